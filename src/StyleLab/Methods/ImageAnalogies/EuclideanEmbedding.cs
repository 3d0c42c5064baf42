using static TorchSharp.torch;

namespace StyleLab.Methods.ImageAnalogies;

/// <summary>
/// Lets Deep Image Analogy's PatchMatch (<see cref="DeepAnalogy.PatchMatch"/>), which ranks matches by the cosine of
/// feature vectors, rank them by Euclidean distance instead — the distance Image Analogies minimises. With
/// query u = (f_B, 1, 0) and database vector w = (f_A, −‖f_A‖²/2, √(M − ‖f_A‖² − ‖f_A‖⁴/4)), every w has norm √M,
/// so cos(u, w) = (‖f_B‖² − ‖f_A − f_B‖²) / (2‖u‖√M): for one query the cosine falls exactly as the distance
/// grows, and PatchMatch (patch size 1) finds the Euclidean nearest neighbour.
/// </summary>
public static class EuclideanEmbedding
{
    /// <summary>The query side (B): features [1,D,H,W] → [1,D+2,H,W].</summary>
    public static Tensor Query(Tensor features)
    {
        var shape = features.shape;
        return cat([features, ones(shape[0], 1, shape[2], shape[3], device: features.device), zeros(shape[0], 1, shape[2], shape[3], device: features.device)], 1);
    }

    /// <summary>The database side (A): features [1,D,H,W] → [1,D+2,H,W], all of norm √M.</summary>
    public static Tensor Database(Tensor features)
    {
        using var scope = NewDisposeScope();
        var squared = features.square().sum(dim: 1, keepdim: true).to(ScalarType.Float64);
        var lifted = -squared / 2;
        var used = squared + lifted.square();
        double m = used.max().item<double>() + 1;
        var rest = (m - used).clamp_min(0).sqrt();
        return cat([features, lifted.to(features.dtype), rest.to(features.dtype)], 1).MoveToOuterDisposeScope();
    }
}
