using System.Diagnostics;
using StyleLab.Imaging;
using StyleLab.Methods.DeepAnalogy;
using TorchSharp;
using static TorchSharp.torch;

namespace StyleLab.Methods.ImageAnalogies;

/// <summary>
/// Image Analogies (Hertzmann, Jacobs, Oliver, Curless &amp; Salesin, SIGGRAPH 2001): given A, its filtered version A′
/// and B, synthesise B′ so that A : A′ :: B : B′. Coarse to fine over Gaussian pyramids, each pixel q of B′ copies
/// the A′ pixel s(q) whose feature neighbourhood (<see cref="NeighbourhoodFeatures"/>) matches q's best, choosing between
/// the best approximate match and the coherence match by the κ rule, in luminance remapped to B.
/// </summary>
/// <remarks>
/// <para>How this differs from the paper, and why. The paper visits B′ in scan-line order, so q's features see only the
/// already synthesised (causal, L-shaped) part of B′'s 5×5 window, and it finds the approximate match with an ANN
/// k-d tree (or TSVQ). That order is inherently sequential: one nearest-neighbour query per pixel. Here each level is
/// synthesised in <see cref="ImageAnalogyOptions.PassesPerLevel"/> parallel passes over all pixels:</para>
/// <list type="number">
/// <item>B′ at this level starts as A′ read through the coarser level's field up-sampled (<see cref="NnfUpsample"/>);
/// at the coarsest level the first pass matches on A/B alone (the A′/B′ part weighted 0), as no B′ exists yet.</item>
/// <item>Features use B′'s full 5×5 window as the previous pass left it, rather than its causal half, as in the
/// multi-pass (PatchMatch-style) formulations of later patch-based synthesis; it is what makes the pass parallel,
/// and later passes correct what earlier ones got wrong.</item>
/// <item>The approximate match is Deep Image Analogy's vectorised PatchMatch (<see cref="PatchMatch"/>, patch size 1 on the
/// feature vectors, starting from the current field) instead of a k-d tree; <see cref="EuclideanEmbedding"/> makes its
/// cosine ranking the Euclidean one.</item>
/// <item>The coherence match tries, for every pixel at once, the continuation s(r) + (q − r) of each of the 25 pixels r
/// of its 5×5 window (q excluded) in the field the pass started from (<see cref="CoherenceMatch"/>).</item>
/// <item>κ rule per pixel: take p_coh if d_coh ≤ d_app·(1 + 2^(ℓ − L)·κ), ℓ the level and L the finest.</item>
/// </list>
/// </remarks>
public static class ImageAnalogy
{
    /// <summary>B′ for A : A′ :: B : B′; images [1,3,H,W] in [0,1], A and A′ of one size, B of any.</summary>
    public static ImageAnalogyResult Run(Tensor a, Tensor aPrime, Tensor b, ImageAnalogyOptions? options = null,
        IProgress<ImageAnalogyProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        options ??= new ImageAnalogyOptions();
        options.Validate();
        var (imageA, imageAPrime, imageB) = (Single(a, nameof(a)), Single(aPrime, nameof(aPrime)), Single(b, nameof(b)));
        if (!imageA.shape.SequenceEqual(imageAPrime.shape))
            throw new ArgumentException($"A and A′ must have the same size; got A [{Shape(imageA)}] and A′ [{Shape(imageAPrime)}].");
        var clock = Stopwatch.StartNew();
        using var scope = NewDisposeScope();
        var device = imageB.device;
        using var generator = new Generator((ulong)options.Seed, device);

        var yA = Luminance(imageA);
        var yAPrime = Luminance(imageAPrime);
        var yiqB = ColorTransfer.RgbToYiq(imageB);
        var yB = yiqB.narrow(1, 0, 1);
        if (options.RemapLuminance)
        {
            var remap = LuminanceRemapping.Between(yA, yB);
            (yA, yAPrime) = (remap(yA), remap(yAPrime));
        }

        int levels = options.Levels ?? Math.Min(
            GaussianPyramid.LevelsFor((int)imageA.shape[2], (int)imageA.shape[3], options.CoarsestSide),
            GaussianPyramid.LevelsFor((int)imageB.shape[2], (int)imageB.shape[3], options.CoarsestSide));
        var (pyramidA, pyramidAPrime, pyramidB) =
            (GaussianPyramid.Build(yA, levels), GaussianPyramid.Build(yAPrime, levels), GaussianPyramid.Build(yB, levels));

        Nnf? field = null;
        Tensor? coherent = null, bPrime = null;
        Tensor? coarseBPrime = null;
        var fractions = new List<float>();
        for (int level = 0; level < levels; level++)
        {
            var (la, lap, lb) = (pyramidA[level], pyramidAPrime[level], pyramidB[level]);
            var (ca, cap, cb) = level == 0 ? (null, null, null) : (pyramidA[level - 1], pyramidAPrime[level - 1], pyramidB[level - 1]);
            var (hb, wb, ha, wa) = ((int)lb.shape[2], (int)lb.shape[3], (int)la.shape[2], (int)la.shape[3]);
            var start = field is null ? Nnf.Random(hb, wb, ha, wa, generator, device) : NnfUpsample.Apply(field, hb, wb, ha, wa);
            field?.Dispose();
            field = start;
            bPrime = level == 0 ? zeros_like(lb) : field.Warp(lap);
            double factor = 1 + Math.Pow(2, level - (levels - 1)) * options.Kappa;

            for (int pass = 1; pass <= options.PassesPerLevel; pass++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                progress?.Report(new ImageAnalogyProgress(level, levels, pass, options.PassesPerLevel, clock.Elapsed));
                using var passScope = NewDisposeScope();
                float weight = level == 0 && pass == 1 ? 0 : 1;
                var featuresA = NeighbourhoodFeatures.Of(la, lap, ca, cap, weight);
                var featuresB = NeighbourhoodFeatures.Of(lb, bPrime, cb, coarseBPrime, weight);

                // Best approximate match: PatchMatch from the current field, ranking by Euclidean feature distance.
                var query = EuclideanEmbedding.Query(featuresB);
                var database = EuclideanEmbedding.Database(featuresA);
                using var distance = new PatchDistance(query, zeros_like(query), database, zeros_like(database), patchSize: 1);
                var settings = new PatchMatchSettings(PatchSize: 1, SearchRadius: null, Iterations: options.PatchMatchIterations);
                using var approximate = PatchMatch.Search(distance, field, settings, generator, cancellationToken);
                var dApp = CoherenceMatch.Distance(approximate.Field.Coordinates, featuresB, featuresA, wa);

                // Best coherence match, then the κ rule.
                var (pCoh, dCoh) = CoherenceMatch.Best(field, featuresB, featuresA);
                var useCoherence = dCoh.le(dApp * factor);
                var chosen = where(useCoherence.unsqueeze(-1), pCoh, approximate.Field.Coordinates);
                // Counted as coherent only where the coherence match replaced a different approximate match.
                var replaced = useCoherence & pCoh.ne(approximate.Field.Coordinates).any(-1);

                var next = new Nnf(chosen.MoveToOuterDisposeScope(), ha, wa);
                field.Dispose();
                field = next;
                bPrime = field.Warp(lap).MoveToOuterDisposeScope();
                coherent?.Dispose();
                coherent = replaced.MoveToOuterDisposeScope();
            }
            fractions.Add(coherent!.to(ScalarType.Float32).mean().item<float>());
            coarseBPrime = bPrime;
        }

        // The paper's colour handling: the synthesised luminance with B's chrominance, or A′'s colour where B has none to give.
        var result = options.Color == AnalogyColor.ChrominanceOfB
            ? ColorTransfer.YiqToRgb(cat([bPrime!, yiqB.narrow(1, 1, 2)], 1))
            : field!.Warp(imageAPrime);
        var source = field!.Clone();
        source.Coordinates.MoveToOuterDisposeScope();
        field.Dispose();
        return new ImageAnalogyResult(result.clamp(0, 1).MoveToOuterDisposeScope(), source,
            coherent!.MoveToOuterDisposeScope(), fractions, clock.Elapsed);
    }

    static Tensor Luminance(Tensor image) => ColorTransfer.RgbToYiq(image).narrow(1, 0, 1);

    static Tensor Single(Tensor image, string name) => ImageTensors.SingleImage(image, name).unsqueeze(0).to(ScalarType.Float32);

    static string Shape(Tensor t) => string.Join(",", t.shape);
}
