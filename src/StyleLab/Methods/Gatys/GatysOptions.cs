using StyleLab.Encoders;

namespace StyleLab.Methods.Gatys;

/// <summary>
/// Everything that shapes a run of <see cref="Gatys.Run"/>. Immutable: change it with <c>with</c>,
/// e.g. <c>GatysOptions.Paper with { Steps = 200, Init = GatysInit.Content }</c>. The defaults
/// (<c>new GatysOptions()</c>) are <see cref="Paper"/>.
/// </summary>
/// <remarks>
/// Layer names are relu outputs (<c>relu4_2</c>, not <c>conv4_2</c>): the paper's Caffe network ran
/// its ReLUs in place, so the blobs it calls "conv4_2" and "conv1_1" held the rectified activations,
/// and the authors' own PyTorch port uses <c>r42</c>, <c>r11</c>… Any layer of
/// <see cref="VggLayers"/> may be used.
/// </remarks>
public sealed record GatysOptions
{
    /// <summary>Content layers and their weights (paper: <c>conv4_2</c> → 1, i.e. <c>relu4_2</c>).</summary>
    public IReadOnlyDictionary<string, double> ContentLayers { get; init; } =
        new Dictionary<string, double> { ["relu4_2"] = 1 };

    /// <summary>Style layers and their weights <c>w_l</c> (paper: <c>conv1_1 … conv5_1</c>, 1/5 each; eq. 5).</summary>
    public IReadOnlyDictionary<string, double> StyleLayers { get; init; } = new Dictionary<string, double>
    {
        ["relu1_1"] = 0.2, ["relu2_1"] = 0.2, ["relu3_1"] = 0.2, ["relu4_1"] = 0.2, ["relu5_1"] = 0.2,
    };

    /// <summary>α, the content weight of eq. 7.</summary>
    public double ContentWeight { get; init; } = 1;

    /// <summary>β, the style weight of eq. 7 (the paper's α/β is 1e-3 … 1e-4).</summary>
    public double StyleWeight { get; init; } = 1e3;

    /// <summary>Weight of the total-variation smoothness term (0 = off, as in the paper).</summary>
    public double TvWeight { get; init; }

    /// <summary>Optimisation steps per pyramid level. One step is one evaluation of the loss and its gradient followed by one update (for L-BFGS: one iteration without line search).</summary>
    public int Steps { get; init; } = 500;

    /// <summary>L-BFGS (paper) or Adam.</summary>
    public GatysOptimizer Optimizer { get; init; } = GatysOptimizer.Lbfgs;

    /// <summary>
    /// Adam's learning rate, in [0,1] pixel units per step. L-BFGS ignores it: a quasi-Newton step
    /// is scaled by its own curvature estimate (learning rate 1, as in PyTorch and neural-style).
    /// </summary>
    public double LearningRate { get; init; } = 0.02;

    /// <summary>Where the optimisation starts (paper: white noise).</summary>
    public GatysInit Init { get; init; } = GatysInit.Noise;

    /// <summary>Keep the content's colours (Gatys et al. 2017).</summary>
    public ColorPreservation PreserveColor { get; init; } = ColorPreservation.None;

    /// <summary>
    /// Coarse-to-fine levels (Gatys et al. CVPR 2017, §5): 1 = off. Level i of L works at the content
    /// size divided by 2^(L−1−i), so each level doubles the size and the last is the full size; each
    /// level's result, upsampled, starts the next. Every level runs <see cref="Steps"/> steps (the
    /// coarse ones are cheap: a quarter of the pixels per halving).
    /// </summary>
    public int PyramidLevels { get; init; } = 1;

    /// <summary>0 = no previews; otherwise every N steps the report carries a preview and the result keeps a snapshot.</summary>
    public int PreviewEvery { get; init; }

    /// <summary>Seed of the noise initialisation.</summary>
    public long Seed { get; init; }

    /// <summary>The paper's settings: full VGG-19, relu4_2 content, relu1_1 … relu5_1 style, α/β = 1e-3, L-BFGS, 500 steps from white noise.</summary>
    public static GatysOptions Paper { get; } = new();

    /// <summary>
    /// For encoders that stop at block 3 (../shared's ImageNet VGG ends at conv3_4): content at
    /// <c>relu3_2</c>, style at <c>relu1_1, relu2_1, relu3_1</c> (1/3 each), α = 1, β = 1e4,
    /// 100 L-BFGS steps from the content image.
    /// </summary>
    /// <remarks>
    /// Tuned by eye on chicago.jpg + Starry.jpg at 256². Without blocks 4–5 the content layer sits
    /// lower (relu3_2 holds more exact detail than relu4_2), so the paper's β = 1e3 left a photo with a
    /// light brush texture; β = 1e4 gives Starry Night's swirls and palette with the skyline intact.
    /// Starting from the content image keeps the structure in few steps, which matters at 1–4 s per
    /// step on a small CPU; 100 steps take the style loss down by ≈ 99 %.
    /// </remarks>
    public static GatysOptions Shallow { get; } = new()
    {
        ContentLayers = new Dictionary<string, double> { ["relu3_2"] = 1 },
        StyleLayers = new Dictionary<string, double> { ["relu1_1"] = 1.0 / 3, ["relu2_1"] = 1.0 / 3, ["relu3_1"] = 1.0 / 3 },
        ContentWeight = 1,
        StyleWeight = 1e4,
        Steps = 100,
        Init = GatysInit.Content,
    };

    /// <summary><see cref="Paper"/> when <paramref name="encoder"/> reaches <c>relu5_1</c>, else <see cref="Shallow"/>.</summary>
    public static GatysOptions For(Vgg19Encoder encoder) =>
        encoder.DeepestLayer.Index >= VggLayers.Get("relu5_1").Index ? Paper : Shallow;

    /// <summary>Every layer these options read, content and style.</summary>
    public IEnumerable<string> Layers => ContentLayers.Keys.Concat(StyleLayers.Keys).Distinct();
}
