#!/usr/bin/env python3
"""PyTorch reference timing for SANet inference (run with Debian's /usr/bin/python3 + python3-torch).

The official architecture (GlebSBrykin/SANET: normalised VGG-19 to relu5_1 with reflection padding and ceil-mode
pooling, SANets at relu4_1 and relu5_1, merge conv, the AdaIN decoder) with random weights; content and style of
the same size; median wall time of N runs after a warm-up, no autograd. Same workload as
`dotnet run -c Release --project bench/StyleLab.Benchmarks -- sanet`.

  /usr/bin/python3 tools/bench/sanet_reference.py --sizes 256,512 --repeat 3 [--threads 2]
"""
import argparse, json, os, statistics, sys, time
import torch
import torch.nn as nn

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures"))
from make_sanet_golden import Transform, decoder_relu4_1  # noqa: E402  (the official architecture, one place)

PLAN = [(3, 64), "R11", (64, 64), "P", (64, 128), "R21", (128, 128), "P", (128, 256), "R31", (256, 256), (256, 256), (256, 256), "P",
        (256, 512), "R41", (512, 512), (512, 512), (512, 512), "P", (512, 512), "R51"]


def encoder():
    layers, stages = [nn.Conv2d(3, 3, 1)], []
    for step in PLAN:
        if step == "P":
            layers.append(nn.MaxPool2d(2, 2, 0, ceil_mode=True))
        elif isinstance(step, str):
            stages.append(len(layers))
        else:
            layers += [nn.ReflectionPad2d(1), nn.Conv2d(*step, 3), nn.ReLU()]
    return nn.Sequential(*layers), stages


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="256,512")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--threads", type=int)
    args = parser.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    vgg, stages = encoder()
    r41, r51 = stages[3], stages[4]
    enc4, enc5 = vgg[:r41], vgg[r41:r51]
    transform, decoder = Transform(512), decoder_relu4_1()
    for m in (vgg, transform, decoder):
        m.eval()

    def run(content, style):
        c4, s4 = enc4(content), enc4(style)
        return decoder(transform(c4, s4, enc5(c4), enc5(s4)))

    with torch.no_grad():
        for size in map(int, args.sizes.split(",")):
            content, style = torch.rand(1, 3, size, size), torch.rand(1, 3, size, size)
            run(content, style)
            times, cpu = [], []
            for _ in range(args.repeat):
                c0, t0 = time.process_time(), time.perf_counter()
                run(content, style)
                times.append(time.perf_counter() - t0)
                cpu.append(time.process_time() - c0)
            print(json.dumps({"workload": "sanet", "size": size, "seconds": statistics.median(times), "min": min(times),
                              "cpu": statistics.median(cpu), "threads": torch.get_num_threads(),
                              "load": open("/proc/loadavg").read().split()[:3]}))


if __name__ == "__main__":
    main()
