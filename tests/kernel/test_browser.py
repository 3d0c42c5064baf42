"""A notebook run by a real front end: the classic Notebook server (Debian python3-notebook) in
headless Chromium (Debian chromium), as a student's browser runs it — cells executed through the
page's own JavaScript, and an image output rendered. tests/kernel/run.sh installs both when missing."""
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import unittest

import nbformat

HERE = os.path.dirname(os.path.abspath(__file__))
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CELLS = [
    "using StyleLab;",
    "var picture = torch.linspace(0, 1, 3 * 24 * 24).reshape(1, 3, 24, 24);\ndisplay(picture);",
    "1 + 1",
]


def has_notebook():
    return subprocess.run([sys.executable, "-c", "import notebook.notebookapp"], capture_output=True).returncode == 0


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@unittest.skipUnless(CHROMIUM and has_notebook(), "needs Debian chromium and python3-notebook (run.sh installs them)")
class BrowserTests(unittest.TestCase):
    def test_the_classic_notebook_in_chromium_runs_the_cells_and_renders_the_image(self):
        work = tempfile.mkdtemp(prefix="stylelab-browser-")
        config = os.path.join(work, "config")
        os.makedirs(os.path.join(config, "custom"))
        shutil.copy(os.path.join(HERE, "browser", "custom.js"), os.path.join(config, "custom", "custom.js"))
        nb = nbformat.v4.new_notebook()
        nb.cells = [nbformat.v4.new_code_cell(c) for c in CELLS]
        nb.metadata["kernelspec"] = {"name": "stylelab-csharp", "display_name": "C# (StyleLab)", "language": "csharp"}
        path = os.path.join(work, "lesson.ipynb")
        nbformat.write(nb, path)

        port = free_port()
        env = {**os.environ, "JUPYTER_CONFIG_DIR": config}
        server = subprocess.Popen(
            [sys.executable, "-m", "notebook", "--no-browser", f"--port={port}", "--ip=127.0.0.1",
             f"--notebook-dir={work}", "--NotebookApp.token=", "--NotebookApp.password=", "--allow-root"],
            env=env, stdout=subprocess.DEVNULL, stderr=open(os.path.join(work, "server.log"), "w"))
        browser = None
        try:
            deadline = time.time() + 60
            while True:
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=1).close()
                    break
                except OSError:
                    self.assertIsNone(server.poll(), "the Notebook server exited: " + open(os.path.join(work, "server.log")).read()[-2000:])
                    self.assertLess(time.time(), deadline, "the Notebook server did not listen within 60 s")
                    time.sleep(0.5)
            # PLATFORM.md's offline flags; the page stays open until the notebook has saved itself.
            browser = subprocess.Popen(
                [CHROMIUM, "--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                 "--window-size=1100,1900", f"--user-data-dir={os.path.join(work, 'chromium')}",
                 f"http://127.0.0.1:{port}/notebooks/lesson.ipynb"],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            saved = None
            deadline = time.time() + 180
            while time.time() < deadline:
                time.sleep(1)
                try:
                    with open(path) as f:
                        current = json.load(f)
                except json.JSONDecodeError:
                    continue  # the server rewrites the file in place: caught mid-save, read it again
                if "browser_check" in current["metadata"]:
                    saved = current
                    break
            with open(os.path.join(work, "server.log")) as f:
                log = f.read()[-3000:]
            self.assertIsNotNone(saved, "the page never ran the cells and saved; server log:\n" + log)
        finally:
            for process in (browser, server):
                if process is not None:
                    process.terminate()
                    try:
                        process.wait(timeout=20)
                    except subprocess.TimeoutExpired:
                        process.kill()
            shutil.rmtree(work, ignore_errors=True)

        check = saved["metadata"]["browser_check"]
        print(f"\nrendered by {check['user_agent']}: {check['images']} image(s), {check['errors']} error output(s)")
        self.assertEqual(check["errors"], 0, saved["cells"])
        self.assertGreaterEqual(check["loaded"], 1, check)
        cells = saved["cells"]
        self.assertEqual([c["execution_count"] for c in cells], [1, 2, 3])
        # The saved file keeps multi-line strings as lists of lines.
        text = lambda value: "".join(value) if isinstance(value, list) else value
        self.assertIn("<img", text(cells[1]["outputs"][0]["data"]["text/html"]))
        self.assertEqual(text(cells[2]["outputs"][0]["data"]["text/plain"]), "2")


if __name__ == "__main__":
    unittest.main()
