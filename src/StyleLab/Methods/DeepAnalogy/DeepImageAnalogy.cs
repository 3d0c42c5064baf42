using StyleLab.Runtime;
using System.Diagnostics;
using StyleLab.Encoders;
using TorchSharp;
using static TorchSharp.torch;

namespace StyleLab.Methods.DeepAnalogy;

/// <summary>
/// Deep Image Analogy (Liao, Yao, Yuan, Hua, Kang, SIGGRAPH 2017). Given A and B′, builds the latent
/// A′ (A's structure, B′'s appearance) and B (B′'s structure, A's appearance), A : A′ :: B : B′,
/// through nearest-neighbour fields found coarse to fine over VGG-19 features (§4):
/// <list type="number">
/// <item>encode A and B′; at the deepest level F_A′ = F_A and F_B = F_B′ (§4.1);</item>
/// <item>at each level find φ_{a→b} and φ_{b→a} by PatchMatch with the bidirectional distance,
/// starting from the deeper level's fields up-sampled (§4.2);</item>
/// <item>warp F_B′ by φ_{a→b} (and F_A by φ_{b→a}), deconvolve one level down and blend with A's
/// (resp. B′'s) own features to get the next level's F_A′ and F_B (§4.3);</item>
/// <item>vote B′'s pixels through the finest φ_{a→b} to get A′, and A's through φ_{b→a} for B (§4.4).</item>
/// </list>
/// Only the encoder is needed — no trained decoder — so it runs offline with any VGG-19 weights,
/// on whichever device the images are.
/// </summary>
public static class DeepImageAnalogy
{
    /// <summary>
    /// Runs the analogy on images <paramref name="a"/> and <paramref name="bPrime"/> ([1,3,H,W] in [0,1], same device as
    /// <paramref name="encoder"/>; sizes may differ). Options default to <see cref="DeepAnalogyOptions.For"/>(encoder).
    /// </summary>
    public static DeepAnalogyResult Run(Vgg19Encoder encoder, Tensor a, Tensor bPrime, DeepAnalogyOptions? options = null,
        IProgress<DeepAnalogyProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        options ??= DeepAnalogyOptions.For(encoder);
        RequireImage(a, nameof(a));
        RequireImage(bPrime, nameof(bPrime));
        var levels = options.Levels;
        if (levels.Count == 0) throw new ArgumentException("At least one level is needed.", nameof(options));
        foreach (var level in levels) encoder.Require(level.Layer);
        PeakMemory.Require(PeakMemory.PerPixel(PeakMemory.DeepAnalogyBytesPerPixel, a.shape[2], a.shape[3], [(bPrime.shape[2], bPrime.shape[3])]),
            "Deep Image Analogy", a.shape[2], a.shape[3], PeakMemory.DeepAnalogyBytesPerPixel);

        var clock = Stopwatch.StartNew();
        var timings = new List<DeepAnalogyTiming>();
        var results = new List<DeepAnalogyLevelResult>();
        var stage = new StageClock(clock, timings, progress, levels.Count);
        var generator = new Generator((ulong)options.Seed, a.device);
        int imageHeight = (int)a.shape[2], imageWidth = (int)a.shape[3];
        int bHeight = (int)bPrime.shape[2], bWidth = (int)bPrime.shape[3];

        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        stage.Start(DeepAnalogyStage.Encoding, null, -1);
        using var fa = encoder.Encode(a, levels.Select(l => l.Layer));
        using var fbp = encoder.Encode(bPrime, levels.Select(l => l.Layer));

        Tensor? reconstructionBPrime = null, reconstructionA = null;
        Nnf? aToB = null, bToA = null;
        try
        {
            for (int i = 0; i < levels.Count; i++)
            {
                var level = levels[i];
                var (featuresA, featuresBPrime) = (fa[level.Layer], fbp[level.Layer]);
                int h = (int)featuresA.shape[2], w = (int)featuresA.shape[3];
                int hb = (int)featuresBPrime.shape[2], wb = (int)featuresBPrime.shape[3];

                // §4.1 / §4.3: the deepest level takes A′ = A and B = B′; below, each blends its own
                // features with the deconvolved reconstruction of the other image's.
                stage.Start(DeepAnalogyStage.Blending, level.Layer, i);
                Tensor featuresAPrime, featuresB;
                Tensor? weightsA = null, weightsBPrime = null;
                Nnf initialAToB, initialBToA;
                if (i == 0)
                {
                    featuresAPrime = featuresA.alias();
                    featuresB = featuresBPrime.alias();
                    initialAToB = Nnf.Identity(h, w, hb, wb, a.device);
                    initialBToA = Nnf.Identity(hb, wb, h, w, a.device);
                }
                else
                {
                    weightsA = BlendWeights.Compute(featuresA, level.Alpha, options.Kappa, options.Tau);
                    weightsBPrime = BlendWeights.Compute(featuresBPrime, level.Alpha, options.Kappa, options.Tau);
                    featuresAPrime = BlendWeights.Blend(featuresA, reconstructionBPrime!, weightsA);
                    featuresB = BlendWeights.Blend(featuresBPrime, reconstructionA!, weightsBPrime);
                    initialAToB = NnfUpsample.Apply(aToB!, h, w, hb, wb);
                    initialBToA = NnfUpsample.Apply(bToA!, hb, wb, h, w);
                }

                var settings = new PatchMatchSettings(level.PatchSize, level.SearchRadius, options.PatchMatchIterations, options.PropagationJumps);
                stage.Start(DeepAnalogyStage.PatchMatchAToB, level.Layer, i);
                // Pairs (A, B) and (A′, B′) for a → b; (B, A) and (B′, A′) for b → a (Eq. 2–3).
                var matchAToB = PatchMatch.Search(featuresA, featuresAPrime, featuresB, featuresBPrime, initialAToB, settings, generator, cancellationToken);
                stage.Start(DeepAnalogyStage.PatchMatchBToA, level.Layer, i);
                var matchBToA = PatchMatch.Search(featuresB, featuresBPrime, featuresA, featuresAPrime, initialBToA, settings, generator, cancellationToken);
                initialAToB.Dispose();
                initialBToA.Dispose();
                (aToB, bToA) = (matchAToB.Field, matchBToA.Field);

                Tensor? nextBPrime = null, nextA = null;
                if (i + 1 < levels.Count)
                {
                    stage.Start(DeepAnalogyStage.Deconvolution, level.Layer, i);
                    var next = levels[i + 1];
                    nextBPrime = Deconvolve(encoder, aToB, featuresBPrime, fbp[next.Layer], fa[next.Layer], level, next, options, cancellationToken);
                    nextA = Deconvolve(encoder, bToA, featuresA, fa[next.Layer], fbp[next.Layer], level, next, options, cancellationToken);
                }

                stage.Start(DeepAnalogyStage.Inspection, level.Layer, i);
                results.Add(new DeepAnalogyLevelResult(level, Keep(matchAToB), Keep(matchBToA),
                    Keep(featuresAPrime), Keep(featuresB), KeepIfAny(reconstructionBPrime), KeepIfAny(reconstructionA),
                    KeepIfAny(weightsA), KeepIfAny(weightsBPrime),
                    Keep(VoteImage(aToB, bPrime, imageHeight, imageWidth, options.ImagePatchSize)),
                    Keep(VoteImage(bToA, a, bHeight, bWidth, options.ImagePatchSize))));
                (reconstructionBPrime, reconstructionA) = (nextBPrime, nextA);
            }

            // §4.4: the finest fields, at pixel resolution, vote the output images.
            stage.Start(DeepAnalogyStage.Voting, null, -1);
            var pixelAToB = NnfUpsample.Apply(aToB!, imageHeight, imageWidth, bHeight, bWidth);
            var pixelBToA = NnfUpsample.Apply(bToA!, bHeight, bWidth, imageHeight, imageWidth);
            var aPrime = Keep(PatchVoting.Vote(pixelAToB, bPrime, options.ImagePatchSize).clamp(0, 1));
            var b = Keep(PatchVoting.Vote(pixelBToA, a, options.ImagePatchSize).clamp(0, 1));
            pixelAToB.Coordinates.MoveToOuterDisposeScope();
            pixelBToA.Coordinates.MoveToOuterDisposeScope();
            stage.Start(DeepAnalogyStage.Done, null, -1);
            return new DeepAnalogyResult(aPrime, b, pixelAToB, pixelBToA, results, timings);
        }
        catch
        {
            foreach (var result in results) result.Dispose();
            throw;
        }
    }

    /// <summary>
    /// §4.3: R^{L−1} for the image on the field's target side. The target is its level-L features
    /// voted through φ; the start is its level-(L−1) features voted through φ up-sampled, the official
    /// implementation's initial guess. <paramref name="sourceGrid"/> gives the field's source grid at L−1.
    /// </summary>
    static Tensor Deconvolve(Vgg19Encoder encoder, Nnf field, Tensor features, Tensor nextFeatures, Tensor sourceGrid,
        DeepAnalogyLevel level, DeepAnalogyLevel next, DeepAnalogyOptions options, CancellationToken cancellationToken)
    {
        using var scope = NewDisposeScope();
        var target = PatchVoting.Vote(field, features, level.PatchSize);
        using var upsampled = NnfUpsample.Apply(field, (int)sourceGrid.shape[2], (int)sourceGrid.shape[3],
            (int)nextFeatures.shape[2], (int)nextFeatures.shape[3]);
        var initial = PatchVoting.Vote(upsampled, nextFeatures, next.PatchSize);
        using var grad = enable_grad();
        return FeatureDeconvolution.Reconstruct(encoder, next.Layer, level.Layer, target, initial,
            options.DeconvolutionIterations, cancellationToken).MoveToOuterDisposeScope();
    }

    /// <summary>The level's field taken to pixels and used to vote <paramref name="image"/>: this level's A′ (or B).</summary>
    static Tensor VoteImage(Nnf field, Tensor image, int height, int width, int patchSize)
    {
        using var pixels = NnfUpsample.Apply(field, height, width, (int)image.shape[2], (int)image.shape[3]);
        return PatchVoting.Vote(pixels, image, patchSize).clamp(0, 1);
    }

    static Tensor Keep(Tensor t) => t.MoveToOuterDisposeScope();

    static Tensor? KeepIfAny(Tensor? t) => t?.MoveToOuterDisposeScope();

    static PatchMatchResult Keep(PatchMatchResult match)
    {
        match.Field.Coordinates.MoveToOuterDisposeScope();
        match.Distance.MoveToOuterDisposeScope();
        return match;
    }

    static void RequireImage(Tensor image, string name)
    {
        if (image.dim() != 4 || image.shape[0] != 1 || image.shape[1] != 3)
            throw new ArgumentException($"'{name}' must be one RGB image [1,3,H,W]; got [{string.Join(",", image.shape)}].", name);
    }

    /// <summary>Times consecutive stages and reports each start.</summary>
    sealed class StageClock(Stopwatch clock, List<DeepAnalogyTiming> timings, IProgress<DeepAnalogyProgress>? progress, int levelCount)
    {
        DeepAnalogyStage? _stage;
        string? _layer;
        TimeSpan _since;

        public void Start(DeepAnalogyStage stage, string? layer, int level)
        {
            var now = clock.Elapsed;
            if (_stage is { } previous) timings.Add(new DeepAnalogyTiming(previous, _layer, now - _since));
            _stage = stage == DeepAnalogyStage.Done ? null : stage;
            (_layer, _since) = (layer, now);
            progress?.Report(new DeepAnalogyProgress(stage, layer, level, levelCount, now));
        }
    }
}
