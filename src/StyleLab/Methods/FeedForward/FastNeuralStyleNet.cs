using StyleLab.Weights;
using TorchSharp;
using static TorchSharp.torch;

namespace StyleLab.Methods.FeedForward;

/// <summary>
/// Johnson, Alahi &amp; Fei-Fei's own image transformation networks: the Lua Torch checkpoints of
/// jcjohnson/fast-neural-style (<c>models/eccv16/*.t7</c>, <c>models/instance_norm/*.t7</c>), run from the module
/// tree the file holds (<see cref="Torch7Network"/>), between the pre- and post-processing the checkpoint was
/// trained with. Unlike <see cref="TransformNet"/> (Engstrom's fixed variant) the architecture comes from the
/// file: <c>models.lua</c> builds it from <c>-arch</c> (default
/// <c>c9s1-32,d64,d128,R128×5,u64,u32,c9s1-3</c>), with instance or batch normalisation, residual blocks of
/// unpadded convolutions whose shortcut is shaved (<c>nn.ShaveImage</c>) and a reflection padding of the input
/// that <c>train.lua</c> inserts first ("reflect-start"); then <c>Tanh</c>, <c>MulConstant(150)</c> and
/// <c>TotalVariation</c> (the identity forward).
/// </summary>
/// <remarks>
/// The network sees what <c>preprocess.lua</c> makes of an RGB image in [0,1]: "vgg" (the default) is Caffe's
/// BGR on 0…255 minus the ImageNet mean, "resnet" RGB minus the mean over the standard deviation; its output is
/// turned back the same way. <c>fast_neural_style.lua</c> then applies a 3×3 median filter by default, which is
/// post-processing and not part of the network; StyleLab returns the network's output.
/// </remarks>
public sealed class FastNeuralStyleNet : nn.Module<Tensor, Tensor>
{
    /// <summary>preprocess.lua's <c>vgg_mean</c>, in BGR order, on 0…255.</summary>
    static readonly double[] VggMean = [103.939, 116.779, 123.68];

    /// <summary>preprocess.lua's <c>resnet_mean</c> and <c>resnet_std</c> (fb.resnet.torch), RGB on 0…1.</summary>
    static readonly double[] ResNetMean = [0.485, 0.456, 0.406], ResNetStd = [0.229, 0.224, 0.225];

    readonly nn.Module<Tensor, Tensor> model;

    /// <summary>The checkpoint's <c>opt.preprocessing</c>: <c>vgg</c> or <c>resnet</c>.</summary>
    public string Preprocessing { get; }

    FastNeuralStyleNet(nn.Module<Tensor, Tensor> network, string preprocessing) : base(nameof(FastNeuralStyleNet))
    {
        model = network;
        Preprocessing = preprocessing;
        RegisterComponents();
    }

    /// <summary>
    /// Reads a fast-neural-style checkpoint: a table with <c>model</c> and <c>opt</c> (as <c>train.lua</c> saves it),
    /// or a bare module tree (as <c>scripts/convert_network.lua</c> saves it, taken as "vgg" preprocessing like
    /// <c>fast_neural_style.lua</c>'s default).
    /// </summary>
    /// <exception cref="WeightFileException">Not a Torch7 file, a module StyleLab cannot run, or weights that do not fit.</exception>
    public static FastNeuralStyleNet Load(string path, Device? device = null)
    {
        var root = Torch7Reader.Load(path);
        string preprocessing = (root as Torch7Table)?["opt"] is Torch7Table { } opt && opt["preprocessing"] is string p ? p : "vgg";
        if (preprocessing is not ("vgg" or "resnet"))
            throw new WeightFileException(path, $"its opt.preprocessing is '{preprocessing}'; fast-neural-style knows only 'vgg' and 'resnet'.");
        var net = new FastNeuralStyleNet(Torch7Network.Build(root, path), preprocessing);
        net.eval();
        if (device is not null) net.to(device);
        return net;
    }

    /// <summary>Stylises images [N,3,H,W] in [0,1] (sizes multiples of 4 come back unchanged); unclamped, differentiable.</summary>
    public override Tensor forward(Tensor image)
    {
        using var scope = NewDisposeScope();
        var y = Preprocessing == "vgg"
            ? Deprocess(model.forward(image.flip(1) * 255 - Constant(VggMean, image)), VggMean)
            : model.forward((image - Constant(ResNetMean, image)) / Constant(ResNetStd, image)) * Constant(ResNetStd, image) + Constant(ResNetMean, image);
        return y.MoveToOuterDisposeScope();

        // vgg.deprocess: (img + mean) / 255, BGR back to RGB.
        static Tensor Deprocess(Tensor bgr, double[] mean) => ((bgr + Constant(mean, bgr)) / 255).flip(1);
    }

    static Tensor Constant(double[] perChannel, Tensor like) =>
        tensor(perChannel, like.dtype, like.device).view(1, 3, 1, 1);
}
