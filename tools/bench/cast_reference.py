#!/usr/bin/python3
"""PyTorch reference timings for `dotnet run -c Release --project bench/StyleLab.Benchmarks -- cast`:
the full-size CAST generator (official architecture from tools/fixtures/make_cast_golden.py, random
weights) stylising a square image with a painting of the same size, and the MSP's stage-0 style code.

    /usr/bin/python3 tools/bench/cast_reference.py [--sizes 256,512] [--repeat 5]
"""
import argparse
import os
import pathlib
import statistics
import sys
import time

import torch

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "fixtures"))
import make_cast_golden as ref  # noqa: E402

torch.set_default_dtype(torch.float32)


def timed(repeat, fn):
    fn()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), min(times)


def code0(msp, proj, x):
    """Stage 0 only (the official forward runs all six stages and keeps one; StyleLab runs what it needs)."""
    f = msp.enc_1(x)
    pooled = torch.cat([torch.nn.functional.adaptive_avg_pool2d(f, 1), torch.nn.functional.adaptive_max_pool2d(f, 1)], 1)
    return proj([torch.nn.functional.relu(msp.conv1x1_0(pooled))], [0])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="256,512")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    print(f"CAST inference (PyTorch {torch.__version__}) · threads {torch.get_num_threads()}, load {os.getloadavg()}")
    enc, dec = ref.Encoder().eval(), ref.Decoder().eval()
    msp, proj = ref.StyleExtractor().eval(), ref.Projector().eval()
    print(f"{'workload':<16} {'size':>5} {'median s':>10} {'min s':>8}")
    with torch.no_grad():
        for size in map(int, args.sizes.split(",")):
            content, style = torch.rand(1, 3, size, size), torch.rand(1, 3, size, size)
            med, low = timed(args.repeat, lambda: ((dec(enc(content * 2 - 1, style * 2 - 1)) + 1) / 2).clamp(0, 1))
            print(f"{'stylise':<16} {size:>5} {med:>10.3f} {low:>8.3f}")
            med, low = timed(args.repeat, lambda: code0(msp, proj, content * 2 - 1))
            print(f"{'style code':<16} {size:>5} {med:>10.3f} {low:>8.3f}")


if __name__ == "__main__":
    main()
