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
        "var __gc = GC.GetGCMemoryInfo(); "
        "Console.WriteLine($\"{__gc.HeapSizeBytes - __gc.FragmentedBytes} {__gc.TotalCommittedBytes}\");")


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
    """The live managed heap after a full compacting collection (a silent cell: no count, no history),
    and what the GC keeps committed for it."""
    live, committed = run(kc, HEAP, silent=True).split()
    return int(live) / 2**20, int(committed) / 2**20


def anonymous_mb(pid):
    """RSS that no file backs: the managed heap, glibc's heap and the runtime's own."""
    with open(f"/proc/{pid}/smaps_rollup") as f:
        for line in f:
            if line.startswith("Anonymous:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def report(label, pid, kc, began, count):
    live, committed = managed_mb(kc)
    print(f"after {label}: {rss_mb(pid):.0f} MB RSS ({anonymous_mb(pid):.0f} anonymous), "
          f"{live:.0f} MB managed live / {committed:.0f} committed "
          f"({(time.time() - began) / max(count, 1) * 1000:.0f} ms/cell)", flush=True)


def main():
    small = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    images = int(sys.argv[2]) if len(sys.argv) > 2 else 200
    km, kc = start_new_kernel(kernel_name="stylelab-csharp", startup_timeout=90)
    pid = km.provisioner.process.pid
    try:
        run(kc, 'Console.WriteLine("warm-up"); var t = torch.ones(2, 2);')
        kc.complete("Console.Wri")
        kc.get_shell_msg(timeout=60)
        start = rss_mb(pid)
        began = time.time()
        report("warm-up", pid, kc, began, 0)
        for i in range(1, small + 1):
            run(kc, f"var v{i} = Enumerable.Range(0, {i}).Sum();\nConsole.WriteLine(v{i});\nv{i} * 2")
            if i % 100 == 0:
                report(f"{i} small cells", pid, kc, began, i)
        if images:
            run(kc, "var sanet = SANetModel.Random();\n"
                    "var content128 = torch.rand(1, 3, 128, 128);\nvar style128 = torch.rand(1, 3, 128, 128);")
            began = time.time()
            for i in range(1, images + 1):
                run(kc, f"// image cell {i}\nusing (torch.NewDisposeScope())\nusing (torch.no_grad())\n"
                        "    display(sanet.Stylize(content128, style128));")
                if i % 50 == 0:
                    report(f"{i} image cells", pid, kc, began, i)
        end = rss_mb(pid)
        cells = small + images
        print(f"after {cells} cells: {end:.0f} MB RSS; growth {end - start:.0f} MB ({(end - start) * 1024 / cells:.0f} KB/cell)")
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


if __name__ == "__main__":
    main()
