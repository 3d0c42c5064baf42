#!/usr/bin/env python3
"""PyTorch reference timing for StyleLab's AdaIN benchmark (run with Debian's /usr/bin/python3 + python3-torch).
The same workload as `stylelab bench adain`: the official AdaIN networks (naoto0804/pytorch-AdaIN net.py's
architecture, written here, random weights) — the normalised VGG-19 to relu4_1 (1x1 conv, reflection padding,
ceil-mode max pooling) on content and style, AdaIN, the mirrored decoder (nearest up-sampling) — as test.py's
style_transfer() with alpha = 1, in inference mode, on 1x3xSxS images.
Prints one JSON object per line: {"workload", "size", "seconds" (median wall), "min", "cpu", "threads"}.
  /usr/bin/python3 tools/bench/adain_reference.py --sizes 256,512 --repeat 5 [--threads 2]
"""
import argparse, json
import torch
import torch.nn as nn

from gatys_reference import median_seconds  # same timing as the Gatys reference (warm-up, median, CPU seconds)

ENCODER = [(3, 64), (64, 64), "P", (64, 128), (128, 128), "P", (128, 256), (256, 256), (256, 256), (256, 256), "P", (256, 512)]
DECODER = [(512, 256), "U", (256, 256), (256, 256), (256, 256), (256, 128), "U", (128, 128), (128, 64), "U", (64, 64), (64, 3)]


def sequential(spec, first=None):
    layers = [first] if first is not None else []
    for item in spec:
        if item == "P":
            layers.append(nn.MaxPool2d((2, 2), (2, 2), (0, 0), ceil_mode=True))
        elif item == "U":
            layers.append(nn.Upsample(scale_factor=2, mode="nearest"))
        else:
            layers += [nn.ReflectionPad2d((1, 1, 1, 1)), nn.Conv2d(item[0], item[1], (3, 3)), nn.ReLU()]
    return layers


def calc_mean_std(feat, eps=1e-5):
    n, c = feat.shape[:2]
    var = feat.reshape(n, c, -1).var(dim=2) + eps
    return feat.reshape(n, c, -1).mean(dim=2).view(n, c, 1, 1), var.sqrt().view(n, c, 1, 1)


def adain(content, style):
    sm, ss = calc_mean_std(style)
    cm, cs = calc_mean_std(content)
    return (content - cm) / cs * ss + sm


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="256,512")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--warmup", type=int, default=1)
    ap.add_argument("--threads", type=int, default=0)
    args = ap.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    vgg = nn.Sequential(*sequential(ENCODER, nn.Conv2d(3, 3, (1, 1)))).eval()
    decoder = nn.Sequential(*sequential(DECODER)[:-1]).eval()  # no ReLU after the last conv
    for size in [int(s) for s in args.sizes.split(",")]:
        content, style = torch.rand(1, 3, size, size), torch.rand(1, 3, size, size)

        def transfer():
            return decoder(adain(vgg(content), vgg(style)))

        with torch.inference_mode():
            t = median_seconds(transfer, args.repeat, args.warmup)
        print(json.dumps(dict(workload="adain", size=size, seconds=t[0], min=t[1], cpu=t[2], threads=torch.get_num_threads(),
                              torch=torch.__version__)), flush=True)


if __name__ == "__main__":
    main()
