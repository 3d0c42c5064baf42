"""The Jupyter project's own conformance tests (jupyter_kernel_test) against stylelab-csharp.

Each attribute below is a claim the kernel makes; anything left unset is something it does not
claim (pager payloads, history).
"""
import unittest

import jupyter_kernel_test


class StyleLabKernelTests(jupyter_kernel_test.KernelTests):
    kernel_name = "stylelab-csharp"
    language_name = "csharp"
    file_extension = ".cs"

    code_hello_world = 'Console.WriteLine("hello, world");'
    code_stderr = 'Console.Error.WriteLine("oops");'

    # Matches are the text replacing [cursor_start, cursor_end): member names, not whole expressions.
    completion_samples = [
        {"text": "Console.WriteL", "matches": {"WriteLine"}},
        {"text": "Math.Ma", "matches": {"Max", "MaxMagnitude"}},
        {"text": "var list = new List<int>(); list.Cou", "matches": {"Count", "CountBy"}},
    ]

    complete_code_samples = ["1 + 2", "var x = 1;", 'Console.WriteLine("hi");', "class A { }", ""]
    incomplete_code_samples = ["if (true) {", "Console.WriteLine(", "class A {", 'var s = """\nabc']
    invalid_code_samples = ["int x = ;", "x = ) 1;"]

    code_generate_error = 'throw new InvalidOperationException("boom");'

    code_execute_result = [
        {"code": "1 + 2", "result": "3"},
        {"code": '"styl" + "elab"', "result": "stylelab"},
        {"code": "new[] { 1, 2, 3 }.Sum()", "result": "6"},
        {"code": "torch.ones(2, 3).sum().item<float>()", "result": "6"},
    ]

    code_display_data = [
        {"code": 'display(HTML("<b>bold</b>"));', "mime": "text/html"},
        {"code": 'display("plain");', "mime": "text/plain"},
    ]

    code_inspect_sample = "Math.Max"
    code_clear_output = "ClearOutput();"


if __name__ == "__main__":
    unittest.main()
