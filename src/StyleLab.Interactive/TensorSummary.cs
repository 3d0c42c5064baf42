using System.Globalization;
using System.Net;
using TorchSharp;
using static TorchSharp.torch;

namespace StyleLab.Interactive;

/// <summary>
/// A one-line description of a tensor (shape, dtype, device, min/max/mean) — what a notebook
/// shows for tensors that are not images, instead of thousands of values.
/// </summary>
public static class TensorSummary
{
    /// <summary>E.g. <c>Tensor [1,64,128,128] Float32 cpu · min 0 · max 7.31 · mean 0.42</c>.</summary>
    public static string Text(Tensor tensor)
    {
        var text = $"Tensor [{string.Join(",", tensor.shape)}] {tensor.dtype} {tensor.device}";
        if (tensor.requires_grad) text += " (requires grad)";
        if (tensor.numel() == 0 || tensor.dtype is ScalarType.ComplexFloat32 or ScalarType.ComplexFloat64) return text;
        using var scope = NewDisposeScope();
        var values = tensor.detach().to(ScalarType.Float64);
        return text + $" · min {Number(values.min())} · max {Number(values.max())} · mean {Number(values.mean())}";
    }

    /// <summary>The summary as HTML.</summary>
    public static string Html(Tensor tensor) => $"<code>{WebUtility.HtmlEncode(Text(tensor))}</code>";

    static string Number(Tensor scalar) => scalar.item<double>().ToString("G4", CultureInfo.InvariantCulture);
}
