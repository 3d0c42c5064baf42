"""Soak benchmark (not a test): the kernel's memory over a long lesson.

Runs N small cells (`var v{i} = …; Console.WriteLine(v{i}); v{i} * 2`), then M cells that stylise a
128 px image with a random-weight SANet and display it, and prints the kernel's RSS and live managed
heap (after a full, compacting collection) every 100 cells, with the time per cell.

Usage (after tests/kernel/run.sh has installed the kernelspec, or with its JUPYTER_PATH):
  JUPYTER_PATH=… /usr/bin/python3 tests/kernel/measure_memory.py [small=1000] [images=200]
"""
import sys
import time

from jupyter_client.manager import start_new_kernel

HEAP = ("GC.Collect(2, GCCollectionMode.Forced, true, true); GC.WaitForPendingFinalizers(); "
        "GC.Collect(2, GCCollectionMode.Forced, true, true); "
        "Console.WriteLine(GC.GetGCMemoryInfo().HeapSizeBytes - GC.GetGCMemoryInfo().FragmentedBytes);")


def rss_mb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def run(kc, code, silent=False, timeout=300):
    """Runs a cell; returns its stdout. Fails on anything but status ok."""
    msg_id = kc.execute(code, silent=silent, store_history=not silent)
    text = ""
    while True:
        msg = kc.get_iopub_msg(timeout=timeout)
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        if msg["msg_type"] == "stream" and msg["content"]["name"] == "stdout":
            text += msg["content"]["text"]
        if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
            break
    while True:
        reply = kc.get_shell_msg(timeout=timeout)
        if reply["parent_header"].get("msg_id") == msg_id:
            assert reply["content"]["status"] == "ok", (code, reply["content"])
            return text


def managed_mb(kc):
    """The live managed heap after a full compacting collection (a silent cell: no count, no history)."""
    return int(run(kc, HEAP, silent=True).strip()) / 2**20


def main():
    small = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    images = int(sys.argv[2]) if len(sys.argv) > 2 else 200
    km, kc = start_new_kernel(kernel_name="stylelab-csharp", startup_timeout=90)
    pid = km.provisioner.process.pid
    try:
        run(kc, 'Console.WriteLine("warm-up"); var t = torch.ones(2, 2);')
        kc.complete("Console.Wri")
        kc.get_shell_msg(timeout=60)
        start, start_heap = rss_mb(pid), managed_mb(kc)
        print(f"after warm-up: {start:.0f} MB RSS, {start_heap:.0f} MB managed", flush=True)
        began = time.time()
        for i in range(1, small + 1):
            run(kc, f"var v{i} = Enumerable.Range(0, {i}).Sum();\nConsole.WriteLine(v{i});\nv{i} * 2")
            if i % 100 == 0:
                print(f"after {i} small cells: {rss_mb(pid):.0f} MB RSS, {managed_mb(kc):.0f} MB managed "
                      f"({(time.time() - began) / i * 1000:.0f} ms/cell)", flush=True)
        if images:
            run(kc, "var sanet = SANetModel.Random();\n"
                    "var content128 = torch.rand(1, 3, 128, 128);\nvar style128 = torch.rand(1, 3, 128, 128);")
            began = time.time()
            for i in range(1, images + 1):
                run(kc, f"// image cell {i}\nusing (torch.NewDisposeScope())\nusing (torch.no_grad())\n"
                        "    display(sanet.Stylize(content128, style128));")
                if i % 100 == 0:
                    print(f"after {i} image cells: {rss_mb(pid):.0f} MB RSS, {managed_mb(kc):.0f} MB managed "
                          f"({(time.time() - began) / i * 1000:.0f} ms/cell)", flush=True)
        end = rss_mb(pid)
        cells = small + images
        print(f"after {cells} cells: {end:.0f} MB RSS; growth {end - start:.0f} MB ({(end - start) * 1024 / cells:.0f} KB/cell)")
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


if __name__ == "__main__":
    main()
