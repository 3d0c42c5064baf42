"""Interrupt latency benchmark (not a test): how long StyleLab's long operations take to stop.

Starts Gatys, AdaIN training and Deep Image Analogy at 256² in a cell (random weights: the time
per operation does not depend on their values; AdaIN trains on ../shared's photos and paintings),
interrupts each after a few different delays, and prints the time from the interrupt request to
the execute_reply. Issue 19 asks for ≤ 0.5 s (docs/kernel.md has the figures).

Usage (after tests/kernel/run.sh has installed the kernelspec, or with its JUPYTER_PATH):
  STYLELAB_DATA=../shared/data JUPYTER_PATH=… /usr/bin/python3 tests/kernel/measure_interrupts.py
"""
import os
import time

from jupyter_client.manager import start_new_kernel

from measure_memory import run

SETUP = """
var data = Environment.GetEnvironmentVariable("STYLELAB_DATA") ?? "../shared/data";
var content = torch.rand(1, 3, 256, 256);
var style = torch.rand(1, 3, 256, 256);
var gatysVgg = Vgg19Encoder.Random(depth: "relu5_1");
var analogyVgg = Vgg19Encoder.Random(depth: "relu5_1");
var adainOptions = new AdaINTrainingOptions(Steps: 1_000_000, BatchSize: 8, ResizeTo: 320, CropSize: 256, CheckpointEvery: 0);
var adain = AdaINTraining.CreateModel(Vgg19Encoder.Random(depth: "relu4_1", leadingConv: true, preprocessing: Preprocessing.Identity), adainOptions);
var pairs = new ImagePairDataset(Path.Combine(data, "content"), Path.Combine(data, "style"), adainOptions.Data);
"""

WORK = {
    "Gatys (L-BFGS, 256², relu1_1–relu5_1)":
        "Gatys.Run(gatysVgg, content, style, GatysOptions.For(gatysVgg) with { Steps = 1_000_000 }, cancellationToken: Cancellation);",
    "AdaIN training (batch 8, 256² crops)":
        "using (var loop = new TrainingLoop<ImagePair>(new AdaINTraining(adain, adainOptions), pairs, adainOptions.Loop(null))) loop.Run(cancellation: Cancellation);",
    "Deep Image Analogy (256², five levels)":
        "DeepImageAnalogy.Run(analogyVgg, content, style, DeepAnalogyOptions.For(analogyVgg), cancellationToken: Cancellation);",
}


def latency(km, kc, code, delay):
    """Seconds from the interrupt request to the execute_reply of a cell interrupted after `delay` s."""
    msg_id = kc.execute(code)
    while True:  # the cell has started once the kernel says busy for it
        msg = kc.get_iopub_msg(timeout=60)
        if msg["parent_header"].get("msg_id") == msg_id and msg["msg_type"] == "status":
            break
    time.sleep(delay)
    asked = time.time()
    km.interrupt_kernel()
    while True:
        reply = kc.get_shell_msg(timeout=120)
        if reply["parent_header"].get("msg_id") == msg_id:
            return time.time() - asked, reply["content"].get("ename", reply["content"]["status"])


def main():
    km, kc = start_new_kernel(kernel_name="stylelab-csharp", startup_timeout=120)
    try:
        run(kc, SETUP)
        for name, code in WORK.items():
            results = [latency(km, kc, code, delay) for delay in (2.0, 3.7, 5.3)]
            times = ", ".join(f"{t:.2f} s" for t, _ in results)
            print(f"{name}: stopped {times} after the interrupt ({results[0][1]})", flush=True)
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


if __name__ == "__main__":
    main()
