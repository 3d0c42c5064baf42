using StyleLab.Encoders;
using TorchSharp;
using static TorchSharp.torch;

namespace StyleLab.Methods.SANet;

/// <summary>
/// One SANet level's attention for one content/style pair: for every content position (a cell of the
/// layer's feature grid) a distribution over the style positions. Ask it where a point or a region of
/// the content looks in the style, and which style patches it draws on most.
/// </summary>
/// <remarks>Positions are feature cells (x = column, y = row); <see cref="Stride"/> pixels of the image per cell.</remarks>
public sealed class AttentionMap : IDisposable
{
    /// <summary>Wraps attention weights [Hc·Wc, Hs·Ws] (rows sum to 1) computed at <paramref name="layer"/>; takes ownership.</summary>
    public AttentionMap(string layer, Tensor weights, int contentRows, int contentColumns, int styleRows, int styleColumns)
    {
        if (weights.dim() != 2 || weights.shape[0] != (long)contentRows * contentColumns || weights.shape[1] != (long)styleRows * styleColumns)
            throw new ArgumentException($"Attention [{string.Join(",", weights.shape)}] does not match content {contentColumns}×{contentRows} and style {styleColumns}×{styleRows}.", nameof(weights));
        Layer = layer;
        Weights = weights;
        ContentRows = contentRows;
        ContentColumns = contentColumns;
        StyleRows = styleRows;
        StyleColumns = styleColumns;
    }

    /// <summary>The layer of this level (e.g. <c>relu4_1</c>).</summary>
    public string Layer { get; }

    /// <summary>The weights [Hc·Wc, Hs·Ws], both row-major.</summary>
    public Tensor Weights { get; }

    /// <summary>Rows of the content feature grid.</summary>
    public int ContentRows { get; }

    /// <summary>Columns of the content feature grid.</summary>
    public int ContentColumns { get; }

    /// <summary>Rows of the style feature grid.</summary>
    public int StyleRows { get; }

    /// <summary>Columns of the style feature grid.</summary>
    public int StyleColumns { get; }

    /// <summary>Image pixels per feature cell at this layer (8 at relu4_1, 16 at relu5_1).</summary>
    public int Stride => VggLayers.Get(Layer).Stride;

    /// <summary>The attention of content cell (<paramref name="x"/>, <paramref name="y"/>) over the style: [Hs, Ws], sums to 1.</summary>
    public Tensor At(int x, int y)
    {
        if ((uint)x >= ContentColumns || (uint)y >= ContentRows)
            throw new ArgumentOutOfRangeException(nameof(x), $"Content cell ({x}, {y}) lies outside the {ContentColumns}×{ContentRows} grid of {Layer}.");
        return Weights[(long)y * ContentColumns + x].reshape(StyleRows, StyleColumns);
    }

    /// <summary>
    /// The mean attention of a content region over the style: [Hs, Ws], sums to 1. The mask [Hc, Wc] (or any
    /// size, resized to the grid; non-zero = inside) weights the content cells.
    /// </summary>
    public Tensor Region(Tensor mask)
    {
        using var scope = NewDisposeScope();
        var m = mask.to(ScalarType.Float32, Weights.device);
        if (m.dim() == 2) m = m.unsqueeze(0).unsqueeze(0);
        if (m.dim() != 4) throw new ArgumentException($"Expected a mask [H,W]; got [{string.Join(",", mask.shape)}].", nameof(mask));
        m = nn.functional.interpolate(m, size: [ContentRows, ContentColumns], mode: InterpolationMode.Bilinear, align_corners: false).flatten();
        var total = m.sum();
        if (total.item<float>() <= 0) throw new ArgumentException("The region mask is empty.", nameof(mask));
        var mean = (m.unsqueeze(1) * Weights).sum(dim: 0) / total;
        return mean.reshape(StyleRows, StyleColumns).MoveToOuterDisposeScope();
    }

    /// <summary>The mean attention over the rectangle of content cells [x, x+width) × [y, y+height).</summary>
    public Tensor Region(int x, int y, int width, int height)
    {
        using var mask = zeros(ContentRows, ContentColumns);
        mask[y..Math.Min(y + height, ContentRows), x..Math.Min(x + width, ContentColumns)] = 1;
        return Region(mask);
    }

    /// <summary>The <paramref name="k"/> style cells content cell (<paramref name="x"/>, <paramref name="y"/>) attends to most, strongest first.</summary>
    public IReadOnlyList<AttendedPatch> TopK(int x, int y, int k = 5)
    {
        using var row = At(x, y);
        return TopK(row, k);
    }

    /// <summary>The <paramref name="k"/> strongest cells of a distribution over the style ([Hs, Ws], e.g. from <see cref="Region(Tensor)"/>).</summary>
    public IReadOnlyList<AttendedPatch> TopK(Tensor distribution, int k = 5)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        using var scope = NewDisposeScope();
        var (values, indices) = distribution.flatten().cpu().topk(Math.Min(k, StyleRows * StyleColumns));
        var v = values.data<float>().ToArray();
        var i = indices.data<long>().ToArray();
        return v.Select((weight, n) => new AttendedPatch((int)(i[n] % StyleColumns), (int)(i[n] / StyleColumns), weight, Stride)).ToList();
    }

    /// <summary>
    /// The style image's pixels under each patch, <paramref name="size"/> pixels square (default twice the
    /// stride) centred on the cell and clamped inside the image: [k, 3, size, size].
    /// </summary>
    public Tensor Patches(Tensor styleImage, IReadOnlyList<AttendedPatch> patches, int? size = null)
    {
        int side = size ?? 2 * Stride;
        long h = styleImage.shape[2], w = styleImage.shape[3];
        if (side > h || side > w) throw new ArgumentException($"Patches of {side} px do not fit the {w}×{h} style image.", nameof(size));
        using var scope = NewDisposeScope();
        var crops = patches.Select(p =>
        {
            var (cx, cy) = p.PixelCentre;
            int left = (int)Math.Clamp(cx - side / 2, 0, w - side), top = (int)Math.Clamp(cy - side / 2, 0, h - side);
            return styleImage[0, .., top..(top + side), left..(left + side)];
        }).ToList();
        return stack(crops).MoveToOuterDisposeScope();
    }

    /// <summary>The content cell under image pixel (<paramref name="px"/>, <paramref name="py"/>).</summary>
    public (int X, int Y) CellAtPixel(int px, int py) =>
        (Math.Clamp(px / Stride, 0, ContentColumns - 1), Math.Clamp(py / Stride, 0, ContentRows - 1));

    /// <inheritdoc/>
    public void Dispose() => Weights.Dispose();
}

/// <summary>A style cell and the attention weight it receives.</summary>
/// <param name="X">Column in the style feature grid.</param>
/// <param name="Y">Row in the style feature grid.</param>
/// <param name="Weight">Its attention weight (a probability).</param>
/// <param name="Stride">Image pixels per cell.</param>
public sealed record AttendedPatch(int X, int Y, float Weight, int Stride)
{
    /// <summary>The centre of the cell in style-image pixels.</summary>
    public (int X, int Y) PixelCentre => (X * Stride + Stride / 2, Y * Stride + Stride / 2);
}
