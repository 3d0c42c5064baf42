using StyleLab.Weights;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace StyleLab.Methods.FeedForward;

/// <summary>
/// The image transformation network of Johnson, Alahi &amp; Fei-Fei (ECCV 2016) in Engstrom's
/// TensorFlow variant, which the nine pretrained ml5 styles use: conv 9×9/32 → conv 3×3/64 stride 2 →
/// conv 3×3/128 stride 2 → five residual blocks of width 128 → two ×2 up-sampling convolutions (64,
/// 32) → conv 9×9/3, each convolution followed by instance normalisation; the output is
/// <c>150·tanh(x) + 127.5</c> on the 0…255 pixel scale the network was trained on.
/// </summary>
/// <remarks>
/// Fully convolutional. Sizes that are multiples of 4 come back unchanged; other sizes come back
/// rounded up to the next multiple of 4 after the two stride-2 convolutions and the two ×2
/// up-samplings, exactly as in TensorFlow (<see cref="FastStyle.Stylize"/> pads and crops so a user
/// gets the size they gave).
/// </remarks>
public sealed class TransformNet : nn.Module<Tensor, Tensor>
{
    /// <summary>ε of every instance normalisation: Engstrom's <c>_instance_norm</c> uses 1e-3, not PyTorch's 1e-5.</summary>
    public const double InstanceNormEpsilon = 1e-3;

    /// <summary>The network sees pixels on 0…255 (ml5 feeds <c>fromPixels</c> without normalising).</summary>
    public const double PixelScale = 255.0;

    /// <summary>Engstrom's output mapping <c>150·tanh(x) + 255/2</c>: it can overshoot 0…255 a little by design.</summary>
    const double TanhScale = 150.0, TanhOffset = 127.5;

    /// <summary>Images need sizes divisible by this for the output to have the input's size.</summary>
    public const int SizeMultiple = 4;

    readonly ConvLayer conv1, conv2, conv3, conv_out;
    readonly ModuleList<ResidualBlock> residuals;
    readonly UpsamplingLayer upsample1, upsample2;

    /// <summary>A network with PyTorch's default random initialisation (train it, or load weights).</summary>
    public TransformNet() : base(nameof(TransformNet))
    {
        conv1 = new ConvLayer(nameof(conv1), 3, 32, 9, 1, relu: true);
        conv2 = new ConvLayer(nameof(conv2), 32, 64, 3, 2, relu: true);
        conv3 = new ConvLayer(nameof(conv3), 64, 128, 3, 2, relu: true);
        residuals = new ModuleList<ResidualBlock>(Enumerable.Range(1, 5).Select(i => new ResidualBlock($"residual{i}", 128)).ToArray());
        upsample1 = new UpsamplingLayer(nameof(upsample1), 128, 64);
        upsample2 = new UpsamplingLayer(nameof(upsample2), 64, 32);
        conv_out = new ConvLayer(nameof(conv_out), 32, 3, 9, 1, relu: false);
        RegisterComponents();
    }

    /// <summary>
    /// Loads an ml5 / deeplearn.js checkpoint folder (Engstrom's variables <c>Variable</c> …
    /// <c>Variable_47</c>). Missing variables or files, truncated files and shapes that do not fit
    /// this network are <see cref="WeightFileException"/>s naming the variable.
    /// </summary>
    public static TransformNet LoadTfjsCheckpoint(string folder, Device? device = null)
    {
        var variables = TfjsCheckpoint.Load(folder);
        try
        {
            var net = new TransformNet();
            EngstromVariables.CopyInto(net, variables, folder);
            net.eval();
            if (device is not null) net.to(device);
            return net;
        }
        finally
        {
            foreach (var t in variables.Values) t.Dispose();
        }
    }

    /// <summary>
    /// Stylises images [N,3,H,W] in [0,1]; the result is on the same scale, unclamped (the tanh
    /// mapping reaches −0.09…1.09), so that training sees the network's true output. Differentiable.
    /// </summary>
    public override Tensor forward(Tensor image) => forward(image, decoderInput: null);

    /// <summary>
    /// <see cref="forward(Tensor)"/> with <paramref name="decoderInput"/> applied to the residual blocks' output (stride 4),
    /// the input of the upsampling "decoder" (<see cref="IDecoderInputAccess"/>).
    /// </summary>
    public Tensor forward(Tensor image, Func<Tensor, Tensor>? decoderInput)
    {
        using var scope = NewDisposeScope();
        var x = conv3.forward(conv2.forward(conv1.forward(image * PixelScale)));
        foreach (var block in residuals) x = block.forward(x);
        if (decoderInput is not null) x = decoderInput(x);
        x = conv_out.forward(upsample2.forward(upsample1.forward(x)));
        return ((x.tanh() * TanhScale + TanhOffset) / PixelScale).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Every convolution with its instance norm, in the order Engstrom's code creates their
    /// TensorFlow variables (which is the order of ml5's <c>Variable_k</c> names).
    /// </summary>
    internal IEnumerable<(string Name, Tensor Kernel, InstanceNorm2d Norm)> LayersInCreationOrder()
    {
        yield return (nameof(conv1), conv1.Kernel, conv1.Norm);
        yield return (nameof(conv2), conv2.Kernel, conv2.Norm);
        yield return (nameof(conv3), conv3.Kernel, conv3.Norm);
        int i = 1;
        foreach (var block in residuals)
        {
            foreach (var (conv, j) in block.Convolutions.Select((c, j) => (c, j + 1)))
                yield return ($"residual{i}.conv{j}", conv.Kernel, conv.Norm);
            i++;
        }
        yield return (nameof(upsample1), upsample1.Kernel, upsample1.Norm);
        yield return (nameof(upsample2), upsample2.Kernel, upsample2.Norm);
        yield return (nameof(conv_out), conv_out.Kernel, conv_out.Norm);
    }
}
