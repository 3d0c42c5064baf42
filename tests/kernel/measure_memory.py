"""Runs N small cells and prints the kernel's resident memory as it goes (run via run.sh's JUPYTER_PATH).

Usage: JUPYTER_PATH=… /usr/bin/python3 tests/kernel/measure_memory.py [cells=200]
"""
import sys
import time

from jupyter_client.manager import start_new_kernel


def rss_mb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def managed_mb(kc):
    """The kernel's live managed heap after a full collection (a silent cell: no count, no history)."""
    msg_id = kc.execute("Console.WriteLine(GC.GetTotalMemory(forceFullCollection: true))", silent=True, store_history=False)
    while True:
        msg = kc.get_iopub_msg(timeout=60)
        if msg["parent_header"].get("msg_id") == msg_id and msg["msg_type"] == "stream":
            return int(msg["content"]["text"]) / 2**20


def run(kc, code):
    msg_id = kc.execute(code)
    while True:
        reply = kc.get_shell_msg(timeout=60)
        if reply["parent_header"].get("msg_id") == msg_id:
            assert reply["content"]["status"] == "ok", reply["content"]
            return


def main():
    cells = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    km, kc = start_new_kernel(kernel_name="stylelab-csharp", startup_timeout=90)
    pid = km.provisioner.process.pid
    try:
        run(kc, 'Console.WriteLine("warm-up"); var t = torch.ones(2, 2);')
        kc.complete("Console.Wri")
        kc.get_shell_msg(timeout=60)
        start = rss_mb(pid)
        began = time.time()
        print(f"after warm-up: {start:.0f} MB")
        for i in range(1, cells + 1):
            run(kc, f'var v{i} = Enumerable.Range(0, {i}).Sum();\nConsole.WriteLine(v{i});\nv{i} * 2')
            if i % 50 == 0:
                print(f"after {i} cells: {rss_mb(pid):.0f} MB RSS, {managed_mb(kc):.0f} MB managed "
                      f"({(time.time() - began) / i * 1000:.0f} ms/cell)")
        run(kc, "GC.Collect(); GC.WaitForPendingFinalizers(); GC.Collect();")
        end = rss_mb(pid)
        print(f"after {cells} cells + GC: {end:.0f} MB; growth {end - start:.0f} MB ({(end - start) * 1024 / cells:.0f} KB/cell)")
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


if __name__ == "__main__":
    main()
