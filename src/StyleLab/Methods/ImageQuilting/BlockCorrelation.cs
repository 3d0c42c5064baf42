using TorchSharp;
using static TorchSharp.torch;

namespace StyleLab.Methods.ImageQuilting;

/// <summary>
/// The error of every B×B block of a source against one weighted template, for all block positions at once:
/// E(s) = Σ_{c,i,j} W_c(i,j)·(S_c(s + (i,j)) − T_c(i,j))² = (S² ⋆ W)(s) − 2·(S ⋆ W·T)(s) + Σ W·T²,
/// the sum of squared differences written as correlations (⋆). The correlations run through FFTs of the whole
/// source, computed once, so one template costs a few FFTs regardless of B — instead of a loop over the
/// (H − B + 1)(W − B + 1) candidate blocks of the paper's description.
/// </summary>
internal sealed class BlockCorrelation : IDisposable
{
    readonly Tensor _spectrum, _squaredSpectrum;   // rfft2 of S and S², [C, H, W/2+1] complex
    readonly long _height, _width;

    public int BlockSize { get; }

    /// <summary>Candidate positions along each axis: H − B + 1 by W − B + 1.</summary>
    public (int Rows, int Columns) Positions => ((int)(_height - BlockSize + 1), (int)(_width - BlockSize + 1));

    /// <summary>Prepares a source [C,H,W] for blocks of side <paramref name="blockSize"/>.</summary>
    public BlockCorrelation(Tensor source, int blockSize)
    {
        (_height, _width) = (source.shape[1], source.shape[2]);
        if (blockSize > _height || blockSize > _width)
            throw new ArgumentException($"Blocks of {blockSize} pixels do not fit a source of {_width}×{_height}; choose a smaller block or a larger texture.");
        BlockSize = blockSize;
        using var scope = NewDisposeScope();
        var s = source.to(ScalarType.Float32);
        _spectrum = fft.rfft2(s).MoveToOuterDisposeScope();
        _squaredSpectrum = fft.rfft2(s.square()).MoveToOuterDisposeScope();
    }

    /// <summary>(S² ⋆ W) over all positions for weights [C,B,B]; depends only on the weights, so callers reuse it.</summary>
    public Tensor Energy(Tensor weights) => Correlate(_squaredSpectrum, weights);

    /// <summary>E(s) for all positions, [H − B + 1, W − B + 1], given <see cref="Energy"/> of W, the product W·T [C,B,B] and Σ W·T².</summary>
    public Tensor Errors(Tensor energy, Tensor weightedTemplate, double constant)
    {
        using var scope = NewDisposeScope();
        return (energy - 2 * Correlate(_spectrum, weightedTemplate) + constant).clamp_min(0).MoveToOuterDisposeScope();
    }

    /// <summary>Σ_c (X_c ⋆ K_c), valid positions only: the kernel is zero-padded to the source, and the product with its conjugate spectrum is a circular correlation that does not wrap at valid positions.</summary>
    Tensor Correlate(Tensor spectrum, Tensor kernel)
    {
        using var scope = NewDisposeScope();
        var padded = nn.functional.pad(kernel.to(ScalarType.Float32), [0, _width - BlockSize, 0, _height - BlockSize]);
        // keepdim: TorchSharp's irfft2 refuses a plain 2-D spectrum.
        var product = (spectrum * fft.rfft2(padded).conj()).sum(0, keepdim: true);
        var full = fft.irfft2(product, s: [_height, _width])[0];
        var (rows, columns) = Positions;
        return full[..rows, ..columns].contiguous().MoveToOuterDisposeScope();
    }

    public void Dispose()
    {
        _spectrum.Dispose();
        _squaredSpectrum.Dispose();
    }
}
