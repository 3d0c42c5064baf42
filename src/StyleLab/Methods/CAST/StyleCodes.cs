using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace StyleLab.Methods.CAST;

/// <summary>
/// CAST's learned style space as an API: the style code of any image (the MSP's projections, the space
/// the contrastive loss shapes), similarities, nearest styles and a 2-D PCA map of a set of codes.
/// </summary>
/// <remarks>
/// A code is the concatenation of the unit projections of the MSP layers in use, divided by √L so it
/// has unit length too: the dot product of two codes is their mean cosine similarity over the layers.
/// Images are resized (shorter side <see cref="Size"/>, the training crop size) and encoded one at a time
/// with batch norm normalising by that image's own statistics, as the MSP sees a crop when it trains at the
/// official batch size of 1; the running statistics are left as they were, and a code does not depend on the
/// other images. (Batch norm's running statistics, evaluation mode, are averages over many crops and
/// normalise no single image as the MSP saw it in training.)
/// </remarks>
public sealed class StyleCodes
{
    readonly MultiLayerStyleProjector _projector;
    readonly ProjectionHead _heads;

    /// <summary>The MSP layers whose projections make up a code.</summary>
    public IReadOnlyList<int> Layers { get; }

    /// <summary>Shorter side images are resized to before encoding.</summary>
    public int Size { get; }

    /// <summary>Codes from a trained MSP and its heads.</summary>
    public StyleCodes(MultiLayerStyleProjector projector, ProjectionHead heads, IReadOnlyList<int>? layers = null, int size = 256)
    {
        _projector = projector;
        _heads = heads;
        Layers = layers ?? [0];
        Size = size;
    }

    /// <summary>The codes of a trained run (its MSP, heads and layers).</summary>
    public static StyleCodes From(CastTraining training, int size = 256) => new(training.Projector, training.Heads, training.Options.Layers, size);

    /// <summary>Unit style codes [N, 2048·L] of images [N,3,H,W] in [0,1].</summary>
    public Tensor Of(Tensor images)
    {
        using var scope = NewDisposeScope();
        long h = images.shape[2], w = images.shape[3];
        double scale = (double)Size / Math.Min(h, w);
        var resized = Math.Abs(scale - 1) < 1e-9 ? images
            : F.interpolate(images, [Math.Max(1, (long)Math.Round(h * scale)), Math.Max(1, (long)Math.Round(w * scale))],
                mode: InterpolationMode.Bilinear, align_corners: false, antialias: scale < 1);
        var projections = OneByOne(_projector, _heads, CastGenerator.ImageRange.Apply(resized), Layers);
        return (cat(projections, 1) / Math.Sqrt(Layers.Count)).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The unit projections (one [N,2048] per layer of <paramref name="layers"/>) of images [N,3,H,W] in CAST's
    /// [-1, 1] range, each image encoded alone with batch norm normalising by its own statistics (as at the
    /// official batch size of 1); no gradient, and the running statistics are left as they were.
    /// </summary>
    public static Tensor[] OneByOne(MultiLayerStyleProjector projector, ProjectionHead heads, Tensor images, IReadOnlyList<int> layers)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        bool training = projector.training;
        var running = projector.buffers().ToList();
        var saved = running.Select(b => b.clone()).ToList();
        projector.train();
        try
        {
            var perImage = Enumerable.Range(0, (int)images.shape[0])
                .Select(i => heads.Project(projector.Codes(images.narrow(0, i, 1), layers), layers)).ToArray();
            return Enumerable.Range(0, layers.Count).Select(l => cat(perImage.Select(p => p[l]).ToArray(), 0).MoveToOuterDisposeScope()).ToArray();
        }
        finally
        {
            for (int i = 0; i < running.Count; i++) running[i].copy_(saved[i]);
            if (!training) projector.eval();
        }
    }

    /// <summary>Codes of several images of any sizes, one by one: [N, D].</summary>
    public Tensor Of(IEnumerable<Tensor> images)
    {
        using var scope = NewDisposeScope();
        return cat(images.Select(Of).ToArray(), 0).MoveToOuterDisposeScope();
    }

    /// <summary>Cosine similarities [N, M] between codes [N, D] and [M, D].</summary>
    public static Tensor Similarity(Tensor a, Tensor b) => a.matmul(b.t());

    /// <summary>The <paramref name="count"/> codes of <paramref name="library"/> [M, D] most similar to <paramref name="code"/> [D] or [1, D], best first.</summary>
    public static IReadOnlyList<(int Index, double Similarity)> Nearest(Tensor code, Tensor library, int count = 5, int? exclude = null)
    {
        using var scope = NewDisposeScope();
        var similarities = Similarity(code.reshape(1, -1), library).flatten().to(ScalarType.Float64).cpu().data<double>().ToArray();
        return similarities.Select((s, i) => (Index: i, Similarity: s)).Where(p => p.Index != exclude)
            .OrderByDescending(p => p.Similarity).Take(count).ToList();
    }

    /// <summary>
    /// How well codes tell styles apart: <paramref name="crops"/> random square crops of each image
    /// (side <paramref name="cropSize"/>, or the shorter side when smaller) are encoded; the result is the
    /// mean cosine distance between crops of different images, that between crops of the same image, and
    /// their difference (the margin: positive when crops of one painting are closer to each other).
    /// </summary>
    public (double Same, double Different, double Margin) CropMargin(IReadOnlyList<Tensor> images, int crops = 4, int cropSize = 64, long seed = 7)
    {
        var contrast = Contrast(images, crops, cropSize, seed: seed);
        return (contrast.Same, contrast.Different, contrast.Margin);
    }

    /// <summary>
    /// The style contrastive loss on a fixed probe, a measure of the style space that does not move with
    /// the training queue: <paramref name="crops"/> seeded random square crops of each image are encoded;
    /// every ordered pair of crops of one image is a query and its positive key, and the crops of all the
    /// other images are the negatives (<see cref="InfoNceLoss"/>, temperature <paramref name="temperature"/>).
    /// Also returns the crop distances of <see cref="CropMargin"/> for the same crops.
    /// </summary>
    /// <remarks>
    /// Training's own InfoNCE (phase P) is not comparable from step to step: its negatives are a queue that
    /// starts as random unit vectors (uninformative) and fills with codes of the run's own paintings, and the
    /// official step enqueues each query among its own negatives, so that loss rises as the queue fills even
    /// while the style space improves. The probe's crops, negatives and evaluation-mode MSP are fixed.
    /// </remarks>
    public StyleContrast Contrast(IReadOnlyList<Tensor> images, int crops = 4, int cropSize = 64, double temperature = 0.07, long seed = 7)
    {
        if (images.Count < 2 || crops < 2)
            throw new ArgumentException("The probe needs at least two images and two crops of each.");
        using var scope = NewDisposeScope();
        var generator = new Generator((ulong)seed);
        var all = new List<Tensor>();
        foreach (var image in images)
        {
            long h = image.shape[2], w = image.shape[3], c = Math.Min(Math.Min(h, w), cropSize);
            for (int k = 0; k < crops; k++)
            {
                long top = randint(0, h - c + 1, [1], generator: generator).item<long>();
                long left = randint(0, w - c + 1, [1], generator: generator).item<long>();
                all.Add(image.narrow(2, top, c).narrow(3, left, c));
            }
        }
        var z = Of(all);
        var distance = 1 - Similarity(z, z);
        var owner = arange(images.Count).repeat_interleave(crops);
        var same = owner.unsqueeze(1).eq(owner.unsqueeze(0)) & ~eye(all.Count, dtype: ScalarType.Bool);
        var different = owner.unsqueeze(1).ne(owner.unsqueeze(0));
        double sameDistance = distance.masked_select(same).mean().item<float>();
        double differentDistance = distance.masked_select(different).mean().item<float>();

        // Ordered pairs (query a, key b), a ≠ b, of each image's crops; the negatives are the other images' crops.
        var pairs = (from a in Enumerable.Range(0, crops) from b in Enumerable.Range(0, crops) where a != b select (a, b)).ToArray();
        var queryIndex = tensor(pairs.Select(p => (long)p.a).ToArray());
        var keyIndex = tensor(pairs.Select(p => (long)p.b).ToArray());
        double loss = 0;
        using (no_grad())
        {
            for (int i = 0; i < images.Count; i++)
            {
                var own = z.narrow(0, (long)i * crops, crops);
                var others = cat([z.narrow(0, 0, (long)i * crops), z.narrow(0, (long)(i + 1) * crops, (long)(images.Count - i - 1) * crops)], 0);
                loss += InfoNceLoss.Compute(own.index_select(0, queryIndex), own.index_select(0, keyIndex), others.t(), temperature).item<float>();
            }
        }
        return new StyleContrast(loss / images.Count, sameDistance, differentDistance, differentDistance - sameDistance);
    }

    /// <summary>
    /// The first two principal components of codes [N, D]: coordinates [N, 2] and the fraction of the
    /// variance each explains. Signs are fixed so the largest-magnitude loading of each axis is positive.
    /// </summary>
    public static (Tensor Coordinates, double[] Explained) Pca2D(Tensor codes)
    {
        using var scope = NewDisposeScope();
        var x = codes.to(ScalarType.Float64);
        var centred = x - x.mean([0], keepdim: true);
        var (_, s, vh) = linalg.svd(centred, fullMatrices: false);
        int k = (int)Math.Min(2, vh.shape[0]);
        var axes = vh[..k];
        var signs = axes.gather(1, axes.abs().argmax(1, keepdim: true)).sign();
        axes = axes * signs;
        var coordinates = centred.matmul(axes.t());
        if (k < 2) coordinates = cat([coordinates, zeros(coordinates.shape[0], 2 - k, dtype: coordinates.dtype)], 1);
        var variance = s.pow(2);
        double total = variance.sum().item<double>();
        var explained = Enumerable.Range(0, 2).Select(i => i < k && total > 0 ? variance[i].item<double>() / total : 0).ToArray();
        return (coordinates.to(ScalarType.Float32).MoveToOuterDisposeScope(), explained);
    }
}

/// <summary>
/// The style space measured on a fixed probe (<see cref="StyleCodes.Contrast"/>): the mean style contrastive
/// loss (InfoNCE of crops of one painting against crops of the others), the mean cosine distances between crops
/// of the same and of different paintings, and the margin between them (different − same).
/// </summary>
public sealed record StyleContrast(double Loss, double Same, double Different, double Margin)
{
    /// <inheritdoc/>
    public override string ToString() => $"InfoNCE {Loss:F4}, same {Same:F4}, different {Different:F4}, margin {Margin:F4}";
}
