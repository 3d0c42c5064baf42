"""What the kernel promises beyond the conformance suite: interrupts, live streaming, display
updates, cell-relative line numbers, state across failures, signatures, #r and #load."""
import os
import signal
import tempfile
import time
import unittest
from queue import Empty

import zmq
from jupyter_client.manager import start_new_kernel
from jupyter_kernel_test.msgspec_v5 import validate_message
from jupyter_client.session import Session

KERNEL = "stylelab-csharp"
REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
PLOTLY_DIR = os.path.join(REPO, "artifacts", "kernel-fixtures", "plotly")


class KernelSession:
    """A kernel plus helpers that collect everything one request caused."""

    def __init__(self, cwd=None, env=None, kernel_name=KERNEL):
        extra = {"env": {**os.environ, **env}} if env else {}
        self.unclaimed = {}
        self.km, self.kc = start_new_kernel(kernel_name=kernel_name, startup_timeout=90, cwd=cwd, **extra)

    def close(self):
        self.kc.stop_channels()
        self.km.shutdown_kernel(now=True)

    def execute(self, code, timeout=60, **kwargs):
        """Runs a cell; returns (reply, outputs) where outputs are (arrival time, msg) until idle."""
        msg_id = self.kc.execute(code, **kwargs)
        return self.collect(msg_id, timeout)

    def collect(self, msg_id, timeout=60):
        outputs = []
        deadline = time.time() + timeout
        while True:
            msg = self.kc.get_iopub_msg(timeout=max(0.1, deadline - time.time()))
            if msg["parent_header"].get("msg_id") != msg_id:
                continue
            if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
                break
            if msg["msg_type"] not in ("status", "execute_input"):
                outputs.append((time.time(), msg))
        reply = self.reply(msg_id, timeout)
        return reply, outputs

    def reply(self, msg_id, timeout=60):
        # Replies to different requests may come in any order (queued cells are aborted before the
        # failed cell's reply goes out): keep the ones asked for later.
        if msg_id in self.unclaimed:
            return self.unclaimed.pop(msg_id)
        while True:
            reply = self.kc.get_shell_msg(timeout=timeout)
            parent = reply["parent_header"].get("msg_id")
            if parent == msg_id:
                return reply
            self.unclaimed[parent] = reply


class SessionTestCase(unittest.TestCase):
    """Tests sharing one kernel (self.k), started by the subclass's setUpClass."""

    @classmethod
    def tearDownClass(cls):
        cls.k.close()

    def run_ok(self, code):
        reply, outputs = self.k.execute(code)
        self.assertEqual(reply["content"]["status"], "ok", outputs)
        return outputs


class BehaviourTests(SessionTestCase):
    @classmethod
    def setUpClass(cls):
        cls.workdir = tempfile.mkdtemp(prefix="stylelab-kernel-")
        with open(os.path.join(cls.workdir, "helpers.csx"), "w") as f:
            f.write("int Twice(int x) => 2 * x;\n")
        cls.k = KernelSession(cwd=cls.workdir)

    def result_text(self, code):
        outputs = self.run_ok(code)
        results = [m for _, m in outputs if m["msg_type"] == "execute_result"]
        self.assertEqual(len(results), 1, outputs)
        return results[0]["content"]["data"]["text/plain"]

    # --- interrupt -------------------------------------------------------------------------

    def interrupt_latency(self, code, interrupt):
        msg_id = self.k.kc.execute(code)
        # Wait until the cell is running, then give it a moment inside its loop.
        while True:
            msg = self.k.kc.get_iopub_msg(timeout=30)
            if msg["parent_header"].get("msg_id") == msg_id and msg["msg_type"] == "execute_input":
                break
        time.sleep(1.0)
        start = time.time()
        interrupt()
        reply = self.k.reply(msg_id, timeout=10)
        latency = time.time() - start
        return reply, latency

    def test_interrupt_message_stops_a_cell_observing_the_token(self):
        reply, latency = self.interrupt_latency(
            "while (true) { Cancellation.ThrowIfCancellationRequested(); Thread.Sleep(10); }",
            self.k.km.interrupt_kernel)  # interrupt_mode "message": an interrupt_request on control
        print(f"\ninterrupt_request latency: {latency * 1000:.0f} ms")
        self.assertEqual(reply["content"]["status"], "error")
        self.assertEqual(reply["content"]["ename"], "OperationCanceledException")
        self.assertLess(latency, 2.0)
        self.assertEqual(self.result_text("1 + 1"), "2")

    def test_interrupt_stops_a_running_gatys_optimisation(self):
        # A real Gatys run (random full-size VGG-19, 96 px, far more steps than the test waits for):
        # the optimisation checks the token before every step.
        reply, latency = self.interrupt_latency(
            "var vgg = Vgg19Encoder.Random();\n"
            "var c = torch.rand(1, 3, 96, 96); var s = torch.rand(1, 3, 96, 96);\n"
            "Gatys.Run(vgg, c, s, GatysOptions.Paper with { Steps = 100000, Init = GatysInit.Content },"
            " cancellationToken: Cancellation);",
            self.k.km.interrupt_kernel)
        print(f"\nGatys interrupt latency: {latency * 1000:.0f} ms")
        self.assertEqual(reply["content"]["status"], "error")
        self.assertEqual(reply["content"]["ename"], "OperationCanceledException")
        self.assertLess(latency, 2.0)
        self.assertEqual(self.result_text("3 + 3"), "6")

    def test_sigint_stops_an_awaiting_cell(self):
        reply, latency = self.interrupt_latency(
            "await Task.Delay(Timeout.Infinite, Cancellation);",
            lambda: self.k.km.signal_kernel(signal.SIGINT))
        print(f"\nSIGINT latency: {latency * 1000:.0f} ms")
        self.assertEqual(reply["content"]["status"], "error")
        self.assertLess(latency, 2.0)
        self.assertEqual(self.result_text("2 + 2"), "4")

    # --- streaming and display -------------------------------------------------------------

    def test_stdout_streams_while_the_cell_runs(self):
        reply, outputs = self.k.execute(
            'for (int i = 0; i < 3; i++) { Console.WriteLine($"tick {i}"); Thread.Sleep(700); }')
        finished = time.time()
        self.assertEqual(reply["content"]["status"], "ok")
        streams = [(t, m) for t, m in outputs if m["msg_type"] == "stream"]
        self.assertIn("tick 0", streams[0][1]["content"]["text"])
        # The first line arrived long before the cell's ~2.1 s were over.
        self.assertGreater(finished - streams[0][0], 1.0)
        self.assertEqual("".join(m["content"]["text"] for _, m in streams), "tick 0\ntick 1\ntick 2\n")

    def test_display_handle_updates_in_place(self):
        outputs = self.run_ok('var h = display("one");\nh.Update("two");')
        shown = [m for _, m in outputs if m["msg_type"] == "display_data"]
        updated = [m for _, m in outputs if m["msg_type"] == "update_display_data"]
        self.assertEqual(len(shown), 1)
        self.assertEqual(len(updated), 1)
        display_id = shown[0]["content"]["transient"]["display_id"]
        self.assertEqual(updated[0]["content"]["transient"]["display_id"], display_id)
        self.assertEqual(shown[0]["content"]["data"]["text/plain"], "one")
        self.assertEqual(updated[0]["content"]["data"]["text/plain"], "two")

    def test_a_registered_html_formatter_is_used(self):
        self.run_ok('record Swatch(string Color);\n'
                    'Formatter.Register<Swatch>(s => $"<div style=\'color:{s.Color}\'>{s.Color}</div>", "text/html");')
        outputs = self.run_ok('new Swatch("red")')
        data = [m for _, m in outputs if m["msg_type"] == "execute_result"][0]["content"]["data"]
        self.assertEqual(data["text/html"], "<div style='color:red'>red</div>")
        self.assertIn("text/plain", data)

    # --- errors ----------------------------------------------------------------------------

    def test_compile_errors_name_the_cells_own_lines(self):
        reply, outputs = self.k.execute("var a = 1;\nvar b = 2;\nvar c = nope + a;")
        self.assertEqual(reply["content"]["status"], "error")
        self.assertIn("(3,9): error CS0103", reply["content"]["evalue"])
        errors = [m for _, m in outputs if m["msg_type"] == "error"]
        self.assertEqual(len(errors), 1)
        self.assertIn("var c = nope + a;", "\n".join(errors[0]["content"]["traceback"]))

    def test_runtime_errors_name_the_cells_own_lines(self):
        reply, _ = self.k.execute("int Divide(int d) => 10 / d;\n\nvar q = Divide(0);")
        content = reply["content"]
        self.assertEqual(content["ename"], "DivideByZeroException")
        frames = "\n".join(content["traceback"])
        self.assertRegex(frames, r"at Divide\(\) in In\[\d+\]:line 1")
        self.assertRegex(frames, r"at <cell> in In\[\d+\]:line 3")

    def test_state_survives_a_failing_cell(self):
        self.run_ok("var keep = 42;")
        reply, _ = self.k.execute('var other = 1;\nthrow new Exception("fails");')
        self.assertEqual(reply["content"]["status"], "error")
        reply, _ = self.k.execute("var broken = ;")
        self.assertEqual(reply["content"]["status"], "error")
        self.assertEqual(self.result_text("keep"), "42")

    def test_stop_on_error_aborts_the_queued_cells(self):
        first = self.k.kc.execute('Thread.Sleep(500); throw new Exception("first fails");')
        second = self.k.kc.execute('Console.WriteLine("must not run");')
        self.assertEqual(self.k.reply(first)["content"]["status"], "error")
        self.assertEqual(self.k.reply(second)["content"]["status"], "aborted")
        self.assertEqual(self.result_text("3 + 3"), "6")

    # --- small requests --------------------------------------------------------------------

    def test_connect_comm_info_and_history_replies_are_valid(self):
        msg = self.k.kc.session.msg("connect_request", {})
        self.k.kc.shell_channel.send(msg)
        reply = self.k.reply(msg["header"]["msg_id"])
        validate_message(reply, "connect_reply", msg["header"]["msg_id"])
        self.assertEqual(reply["content"]["shell_port"], self.k.km.get_connection_info()["shell_port"])
        msg_id = self.k.kc.comm_info()
        validate_message(self.k.reply(msg_id), "comm_info_reply", msg_id)
        msg_id = self.k.kc.history(hist_access_type="tail", n=3)
        validate_message(self.k.reply(msg_id), "history_reply", msg_id)

    def test_unknown_requests_are_ignored_but_bracketed_by_busy_and_idle(self):
        msg = self.k.kc.session.msg("no_such_request", {})
        self.k.kc.shell_channel.send(msg)
        states = []
        while len(states) < 2:
            m = self.k.kc.get_iopub_msg(timeout=10)
            if m["parent_header"].get("msg_id") == msg["header"]["msg_id"] and m["msg_type"] == "status":
                states.append(m["content"]["execution_state"])
        self.assertEqual(states, ["busy", "idle"])
        self.assertEqual(self.result_text("7 * 6"), "42")

    # --- signatures ------------------------------------------------------------------------

    def test_a_message_with_a_bad_signature_is_ignored(self):
        info = self.k.km.get_connection_info()
        ctx = zmq.Context.instance()
        shell = ctx.socket(zmq.DEALER)
        shell.connect(f"{info['transport']}://{info['ip']}:{info['shell_port']}")
        try:
            forged = Session(key=b"not-the-key")
            forged.send(shell, "execute_request", {"code": 'Console.WriteLine("forged");', "silent": False})
            self.assertEqual(shell.poll(2000), 0, "the kernel answered a forged message")
            # The same socket with the right key gets an answer, so silence above was the signature.
            genuine = Session(key=self.k.km.session.key)
            genuine.send(shell, "kernel_info_request", {})
            self.assertNotEqual(shell.poll(10000), 0)
            _, reply = genuine.recv(shell)
            self.assertEqual(reply["header"]["msg_type"], "kernel_info_reply")
        finally:
            shell.close(linger=0)
        self.assertEqual(self.result_text("5 + 5"), "10")

    # --- #r and #load ----------------------------------------------------------------------

    def test_load_resolves_relative_to_the_notebook_folder(self):
        self.assertEqual(self.result_text('#load "helpers.csx"\nTwice(21)'), "42")

    def test_r_by_name_adds_a_framework_assembly(self):
        # The default references are a short list (memory); the rest of the framework is one #r away.
        self.assertEqual(self.result_text('#r "System.Xml.ReaderWriter"\nnew System.Xml.XmlDocument().GetType().Name'),
                         "XmlDocument")

    @unittest.skipUnless(os.path.isdir(PLOTLY_DIR), "run.sh builds the Plotly.NET fixture")
    def test_r_loads_into_the_default_context_so_fsharp_libraries_work(self):
        text = self.result_text(
            f'#r "{PLOTLY_DIR}/Plotly.NET.CSharp.dll"\n'
            f'#r "{PLOTLY_DIR}/Plotly.NET.dll"\n'
            "var chart = Plotly.NET.CSharp.Chart.Point<int, int, string>(x: new[] { 1, 2 }, y: new[] { 3, 4 });\n"
            "var html = Plotly.NET.GenericChart.toChartHTML(chart);\n"
            "var context = System.Runtime.Loader.AssemblyLoadContext.GetLoadContext(typeof(Plotly.NET.GenericChart).Assembly);\n"
            'var isDefault = context == System.Runtime.Loader.AssemblyLoadContext.Default;\n'
            'var hasChart = html.Contains("<div");\n'
            '$"{isDefault} {hasChart}"')
        self.assertEqual(text, "True True")

    # --- completion and inspection see earlier cells ----------------------------------------

    def test_completion_sees_variables_from_earlier_cells(self):
        self.run_ok("var styleWeight = 1e6;")
        msg_id = self.k.kc.complete("styleWe")
        content = self.k.reply(msg_id)["content"]
        self.assertIn("styleWeight", content["matches"])
        self.assertEqual(content["cursor_start"], 0)

    def test_inspect_reports_nothing_for_nothing(self):
        msg_id = self.k.kc.inspect("   ", 1)
        self.assertFalse(self.k.reply(msg_id)["content"]["found"])


if __name__ == "__main__":
    unittest.main()


class UncooperativeCellTests(unittest.TestCase):
    """A loop that never looks at Cancellation cannot be interrupted (.NET cannot abort a
    thread); the kernel must still answer and restart cleanly."""

    def test_a_stuck_cell_leaves_the_kernel_responsive_and_restartable(self):
        k = KernelSession()
        try:
            self.assertEqual(k.execute("1")[0]["content"]["status"], "ok")  # compiled and warm
            k.kc.execute("long n = 0; while (true) { n++; }")
            time.sleep(1.0)
            k.km.interrupt_kernel()
            msg_id = k.kc.complete("Console.WriteL")
            self.assertEqual(k.reply(msg_id, timeout=15)["content"]["matches"], ["WriteLine"])
            k.km.restart_kernel(now=False)
            k.kc.stop_channels()
            k.kc = k.km.client()
            k.kc.start_channels()
            k.kc.wait_for_ready(timeout=90)
            reply, _ = k.execute("40 + 2")
            self.assertEqual(reply["content"]["status"], "ok")
        finally:
            k.close()


class FirstCellTests(unittest.TestCase):
    """The first cell is compiled while the kernel may still be warming up its compiler; the StyleLab
    types it uses must be the ones later cells see (a compile alongside the warm-up once gave them an
    assembly identity of their own: "cannot convert from 'SampleKind [path]' to 'SampleKind [StyleLab…]'")."""

    def test_later_cells_see_the_first_cells_stylelab_types(self):
        for attempt in range(4):
            k = KernelSession()
            try:
                reply, outputs = k.execute("using StyleLab.Training;\nvar samples = new SampleData();")
                self.assertEqual(reply["content"]["status"], "ok", outputs)
                reply, outputs = k.execute("samples.Get(SampleKind.Style, \"Starry.jpg\").Name")
                self.assertEqual(reply["content"]["status"], "ok", (attempt, outputs))
            finally:
                k.close()
