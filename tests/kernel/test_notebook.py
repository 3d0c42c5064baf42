"""A whole notebook, executed headless the way `jupyter nbconvert --execute` does (nbclient)."""
import unittest

import nbformat
from nbclient import NotebookClient

CELLS = [
    "using StyleLab;\nusing StyleLab.Runtime;",
    "var device = TorchRuntime.ParseDevice(\"cpu\");\nvar image = torch.rand(1, 3, 8, 8, device: device);",
    'Console.WriteLine($"mean {image.mean().item<float>():F2}");\nimage.shape.Length',
    'display(HTML("<i>styled</i>"));',
]


class NotebookTests(unittest.TestCase):
    def test_a_stylelab_notebook_runs_headless(self):
        nb = nbformat.v4.new_notebook()
        nb.cells = [nbformat.v4.new_code_cell(c) for c in CELLS]
        nb.metadata["kernelspec"] = {"name": "stylelab-csharp", "display_name": "C# (StyleLab)", "language": "csharp"}
        NotebookClient(nb, timeout=120, kernel_name="stylelab-csharp").execute()

        outputs = [cell.outputs for cell in nb.cells]
        self.assertEqual(outputs[0], [])
        self.assertTrue(outputs[2][0]["text"].startswith("mean "))
        self.assertEqual(outputs[2][1]["data"]["text/plain"], "4")
        self.assertEqual(outputs[3][0]["data"]["text/html"], "<i>styled</i>")
        self.assertEqual([c.execution_count for c in nb.cells], [1, 2, 3, 4])


if __name__ == "__main__":
    unittest.main()
