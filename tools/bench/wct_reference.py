#!/usr/bin/env python3
"""PyTorch reference timing for StyleLab's WCT benchmark (run with Debian's /usr/bin/python3 + python3-torch).

The algorithm of sunshineatnoon/PytorchWCT (WCT.py + util.py), rebuilt here with random weights (no .t7 files):
five encoders (VGG-19 with reflection padding up to relu{k}_1, each run from the image, as PytorchWCT's
encoder1 … encoder5), five mirrored decoders, and at each level relu5_1 → relu1_1 its whiten_and_color:
float64, unbiased covariance (+I on the content's), torch.svd of both C×C covariances, singular values
below 1e-5 dropped, α blend. Workload `wct5`: one 1×3×S×S content and style image through all five levels.
Prints one JSON object per line: {"workload", "size", "seconds" (median wall), "min", "cpu", "threads"}.

  /usr/bin/python3 tools/bench/wct_reference.py --sizes 256,512 --repeat 3 [--threads 2]
"""
import argparse, json, statistics, time
import torch
import torch.nn as nn

VGG = [(3, 64), (64, 64), "P", (64, 128), (128, 128), "P", (128, 256), (256, 256), (256, 256), (256, 256), "P",
       (256, 512), (512, 512), (512, 512), (512, 512), "P", (512, 512)]
ENDS = {1: 1, 2: 4, 3: 7, 4: 12, 5: 17}  # number of VGG entries up to conv{k}_1


def encoder(k):
    layers = [nn.Conv2d(3, 3, 1)]  # the normalised VGG's preprocessing conv
    for c in VGG[: ENDS[k]]:
        layers += [nn.MaxPool2d(2, 2)] if c == "P" else [nn.ReflectionPad2d(1), nn.Conv2d(c[0], c[1], 3), nn.ReLU(inplace=True)]
    return nn.Sequential(*layers).eval()


def decoder(k):
    layers = []
    entries = list(reversed(VGG[: ENDS[k]]))
    for i, c in enumerate(entries):
        if c == "P":
            layers.append(nn.UpsamplingNearest2d(scale_factor=2))
        else:
            layers += [nn.ReflectionPad2d(1), nn.Conv2d(c[1], c[0], 3)]
            if i != len(entries) - 1:
                layers.append(nn.ReLU(inplace=True))
    return nn.Sequential(*layers).eval()


def whiten_and_color(cF, sF):
    c_size = cF.size()
    cF = cF - torch.mean(cF, 1).unsqueeze(1).expand_as(cF)
    content_conv = torch.mm(cF, cF.t()).div(c_size[1] - 1) + torch.eye(c_size[0]).double()
    _, c_e, c_v = torch.svd(content_conv, some=False)
    k_c = c_size[0]
    for i in range(c_size[0]):
        if c_e[i] < 0.00001:
            k_c = i
            break
    s_size = sF.size()
    s_mean = torch.mean(sF, 1)
    sF = sF - s_mean.unsqueeze(1).expand_as(sF)
    style_conv = torch.mm(sF, sF.t()).div(s_size[1] - 1)
    _, s_e, s_v = torch.svd(style_conv, some=False)
    k_s = s_size[0]
    for i in range(s_size[0]):
        if s_e[i] < 0.00001:
            k_s = i
            break
    whiten = torch.mm(torch.mm(c_v[:, 0:k_c], torch.diag(c_e[0:k_c].pow(-0.5))), c_v[:, 0:k_c].t())
    color = torch.mm(torch.mm(s_v[:, 0:k_s], torch.diag(s_e[0:k_s].pow(0.5))), s_v[:, 0:k_s].t())
    return torch.mm(color, torch.mm(whiten, cF)) + s_mean.unsqueeze(1).expand_as(cF)


def transform(cF, sF, alpha):
    cF = cF.double()[0]
    sF = sF.double()[0]
    c = cF.size(0)
    target = whiten_and_color(cF.view(c, -1), sF.view(c, -1)).view_as(cF)
    return (alpha * target + (1.0 - alpha) * cF).float().unsqueeze(0)


def stylize(encoders, decoders, content, style, alpha=0.6):
    image = content
    for k in (5, 4, 3, 2, 1):
        cF = encoders[k](image)
        sF = encoders[k](style)
        image = decoders[k](transform(cF, sF, alpha))
    return image


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="256,512")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--threads", type=int, default=0)
    args = parser.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    encoders = {k: encoder(k) for k in range(1, 6)}
    decoders = {k: decoder(k) for k in range(1, 6)}
    for size in [int(s) for s in args.sizes.split(",")]:
        content = torch.rand(1, 3, size, size)
        style = torch.rand(1, 3, size, size)
        with torch.no_grad():
            stylize(encoders, decoders, content, style)  # warm-up
            walls, cpus = [], []
            for _ in range(args.repeat):
                w0, c0 = time.perf_counter(), time.process_time()
                stylize(encoders, decoders, content, style)
                walls.append(time.perf_counter() - w0)
                cpus.append(time.process_time() - c0)
        print(json.dumps({"workload": "wct5", "size": size, "seconds": statistics.median(walls), "min": min(walls),
                          "cpu": statistics.median(cpus), "threads": torch.get_num_threads()}))


if __name__ == "__main__":
    main()
