namespace StyleLab.Runtime;

/// <summary>
/// One 2-d convolution shape, checked in float32 against float64 by <see cref="ConvolutionCheck"/>:
/// input [N, Cin, H, H], weight [Cout, Cin, K, K].
/// </summary>
/// <param name="Name">Where StyleLab uses it, e.g. "decoder RGB head".</param>
/// <param name="N">Batch size.</param>
/// <param name="InChannels">Input channels.</param>
/// <param name="OutChannels">Output channels.</param>
/// <param name="Size">Input height and width.</param>
/// <param name="Kernel">Kernel height and width.</param>
/// <param name="Stride">Stride.</param>
/// <param name="Padding">Zero padding on each side.</param>
/// <param name="Transposed">A transposed convolution (weight [Cin, Cout, K, K]), as the fast nets up-sample.</param>
public sealed record ConvolutionCase(string Name, int N, int InChannels, int OutChannels, int Size, int Kernel,
    int Stride = 1, int Padding = 0, bool Transposed = false)
{
    /// <summary>
    /// The start-up self-test: the shapes that libtorch 2.10's oneDNN gets wrong on VMs with an empty
    /// CPUID cache leaf (an output-channel tail in grad_input, an input-channel tail in the forward pass),
    /// each large enough that libtorch routes it through oneDNN (N·C·H·W above 20480), and small
    /// enough that the float64 reference takes milliseconds.
    /// </summary>
    public static IReadOnlyList<ConvolutionCase> SelfTest { get; } =
    [
        new("decoder RGB head 64→3", 2, 64, 3, 22, 3),
        new("channel tails 17→20", 2, 17, 20, 26, 3),
        new("PatchGAN head 64→1", 2, 64, 1, 18, 4, Padding: 1),
    ];

    /// <summary>Every convolution shape StyleLab's models use, at small spatial sizes (float64 is slow).</summary>
    public static IReadOnlyList<ConvolutionCase> Survey { get; } =
    [
        new("normalised VGG conv0 3→3 1×1", 2, 3, 3, 64, 1),
        new("VGG conv1_1 3→64", 2, 3, 64, 34, 3, Padding: 1),
        new("VGG conv1_2 64→64", 2, 64, 64, 34, 3, Padding: 1),
        new("VGG conv2_1 64→128", 2, 64, 128, 18, 3, Padding: 1),
        new("VGG conv3_1 128→256", 2, 128, 256, 12, 3, Padding: 1),
        new("VGG conv4_1 256→512", 2, 256, 512, 8, 3, Padding: 1),
        new("VGG conv5_1 512→512", 2, 512, 512, 8, 3, Padding: 1),
        new("SANet f/g/h 1×1 512→512", 2, 512, 512, 8, 1),
        new("decoder 512→256", 2, 512, 256, 8, 3),
        new("decoder 256→128", 2, 256, 128, 12, 3),
        new("decoder 128→64", 2, 128, 64, 18, 3),
        new("decoder RGB head 64→3", 2, 64, 3, 34, 3),
        new("fast net 9×9 3→32", 2, 3, 32, 40, 9, Padding: 4),
        new("fast net down 32→64 stride 2", 2, 32, 64, 34, 3, Stride: 2, Padding: 1),
        new("fast net RGB head 9×9 32→3", 2, 32, 3, 34, 9, Padding: 4),
        new("fast net up 64→32 transposed stride 2", 2, 64, 32, 18, 3, Stride: 2, Padding: 1, Transposed: true),
        new("CAST discriminator 3→64 4×4", 2, 3, 64, 34, 4, Padding: 1),
        new("CAST discriminator 64→128 4×4", 2, 64, 128, 18, 4, Padding: 1),
        new("PatchGAN head 64→1", 2, 64, 1, 18, 4, Padding: 1),
        new("SAAE discriminator 3→64 stride 2", 2, 3, 64, 34, 3, Stride: 2, Padding: 1),
        new("SAAE classifier 1→16", 2, 1, 16, 40, 3, Padding: 1),
        new("SAAE glyph head 64→1", 2, 64, 1, 40, 3, Padding: 1),
        new("channel tails 17→20", 2, 17, 20, 26, 3),
    ];

    public override string ToString() =>
        $"{Name}: x[{N},{InChannels},{Size},{Size}] {(Transposed ? "transposed " : "")}w[{OutChannels},{InChannels},{Kernel},{Kernel}]" +
        (Stride != 1 ? $" stride {Stride}" : "") + (Padding != 0 ? $" pad {Padding}" : "");
}
