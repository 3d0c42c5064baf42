#!/usr/bin/env python3
"""PyTorch reference timings for StyleLab's benchmarks (run with Debian's /usr/bin/python3 + python3-torch).

Times the same two workloads as `stylelab bench` on the same machine:
  forward  - VGG-19 (random weights, no torchvision) from the image to relu5_1, no autograd;
  gatys    - one Gatys iteration: forward to relu5_1 with grad w.r.t. the image, Gram losses at
             relu1_1..relu5_1 plus the content loss at relu4_2, backward to the image.
Prints one JSON object per line: {"workload", "size", "seconds" (median wall), "min", "cpu" (median process CPU
seconds: on a shared machine cpu / threads estimates the idle-machine time), "threads", "variant"}.

  /usr/bin/python3 tools/bench/gatys_reference.py --sizes 256,512 --repeat 5 [--threads 2] [--channels-last]
"""
import argparse, json, statistics, time
import torch
import torch.nn as nn

CONVS = [(3, 64), (64, 64), "P", (64, 128), (128, 128), "P",
         (128, 256), (256, 256), (256, 256), (256, 256), "P",
         (256, 512), (512, 512), (512, 512), (512, 512), "P",
         (512, 512)]  # up to conv5_1
NAMES = ["relu1_1", "relu1_2", None, "relu2_1", "relu2_2", None, "relu3_1", "relu3_2", "relu3_3", "relu3_4", None,
         "relu4_1", "relu4_2", "relu4_3", "relu4_4", None, "relu5_1"]
STYLE = ["relu1_1", "relu2_1", "relu3_1", "relu4_1", "relu5_1"]
CONTENT = "relu4_2"


class Vgg19To51(nn.Module):
    def __init__(self):
        super().__init__()
        self.layers = nn.ModuleList(nn.MaxPool2d(2, 2) if c == "P" else nn.Conv2d(c[0], c[1], 3, padding=1) for c in CONVS)
        for p in self.parameters():
            p.requires_grad_(False)

    def forward(self, x, wanted):
        out = {}
        for layer, name in zip(self.layers, NAMES):
            x = layer(x)
            if name is not None:
                x = torch.relu(x)
                if name in wanted:
                    out[name] = x
        return out


def gram(f):
    n, c, h, w = f.shape
    f = f.reshape(n * c, h * w)
    return f @ f.t() / (c * h * w)


def median_seconds(fn, repeat, warmup):
    """(median wall seconds, min wall seconds, median process CPU seconds) of `repeat` runs after `warmup`."""
    for _ in range(warmup):
        fn()
    wall, cpu = [], []
    for _ in range(repeat):
        c, t = time.process_time(), time.perf_counter()
        fn()
        wall.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
    return statistics.median(wall), min(wall), statistics.median(cpu)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="256,512")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--warmup", type=int, default=1)
    ap.add_argument("--threads", type=int, default=0, help="torch.set_num_threads; 0 keeps the default")
    ap.add_argument("--channels-last", action="store_true")
    args = ap.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    net = Vgg19To51().eval()
    fmt = torch.channels_last if args.channels_last else torch.contiguous_format
    net = net.to(memory_format=fmt)
    variant = "channels_last" if args.channels_last else "contiguous"
    for size in [int(s) for s in args.sizes.split(",")]:
        content = torch.rand(1, 3, size, size).to(memory_format=fmt)
        style = torch.rand(1, 3, size, size).to(memory_format=fmt)
        # Targets once, outside the timed loop, with no autograd (as Gatys does).
        with torch.inference_mode():
            content_target = net(content, {CONTENT})[CONTENT]
            style_targets = {k: gram(v) for k, v in net(style, set(STYLE)).items()}
            t_forward = median_seconds(lambda: net(content, {"relu5_1"}), args.repeat, args.warmup)
        print(json.dumps(dict(workload="forward", size=size, seconds=t_forward[0], min=t_forward[1], cpu=t_forward[2], threads=torch.get_num_threads(),
                              variant=variant, torch=torch.__version__)), flush=True)

        # Inference tensors cannot be saved for backward: clone them out of inference mode.
        content_target = content_target.clone()
        style_targets = {k: v.clone() for k, v in style_targets.items()}
        image = content.clone().requires_grad_(True)

        def iteration():
            image.grad = None
            feats = net(image, set(STYLE) | {CONTENT})
            loss = torch.mean((feats[CONTENT] - content_target) ** 2)
            for k in STYLE:
                loss = loss + 1e3 * torch.mean((gram(feats[k]) - style_targets[k]) ** 2)
            loss.backward()

        t_gatys = median_seconds(iteration, args.repeat, args.warmup)
        print(json.dumps(dict(workload="gatys", size=size, seconds=t_gatys[0], min=t_gatys[1], cpu=t_gatys[2], threads=torch.get_num_threads(),
                              variant=variant, torch=torch.__version__)), flush=True)


if __name__ == "__main__":
    main()
