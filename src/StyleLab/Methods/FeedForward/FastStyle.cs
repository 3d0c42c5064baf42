using StyleLab.Runtime;
using StyleLab.Weights;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace StyleLab.Methods.FeedForward;

/// <summary>
/// Real-time style transfer with one pretrained transformation network per style (Johnson et al.
/// 2016): a single forward pass instead of Gatys' optimisation. The nine ml5 styles are found by name
/// where StyleLab looks for weights (<c>STYLELAB_WEIGHTS</c>, the checkout's <c>weights/</c>, the cache)
/// as <c>fast-style-ml5/&lt;style&gt;/manifest.json</c>; Johnson's own Lua Torch checkpoints
/// (<c>candy.t7</c>, …) load from their file (<see cref="FastNeuralStyleNet"/>).
/// </summary>
/// <example>
/// <code>
/// using var wave = FastStyle.Load("wave");
/// using var stylised = wave.Stylize(ImageIO.Load("chicago.jpg"));
/// </code>
/// </example>
public sealed class FastStyle : IDisposable
{
    /// <summary>The folder under a weights root that holds one checkpoint folder per style.</summary>
    public const string WeightsFolder = "fast-style-ml5";

    /// <summary>The styles ml5 publishes (Engstrom's and ml5's trained networks).</summary>
    public static IReadOnlyList<string> KnownStyles { get; } =
        ["la_muse", "mathura", "matilde_perez", "matta", "rain_princess", "scream", "udnie", "wave", "wreck"];

    /// <summary>The network (RGB in [0,1] to RGB in [0,1], unclamped); its weights are frozen.</summary>
    public nn.Module<Tensor, Tensor> Network { get; }

    /// <summary>The style's name (its folder's name).</summary>
    public string Name { get; }

    /// <summary>The device the network runs on.</summary>
    public Device Device { get; }

    FastStyle(nn.Module<Tensor, Tensor> network, string name, Device device)
    {
        (Network, Name, Device) = (network, name, device);
        foreach (var p in network.parameters()) p.requires_grad = false;
        network.eval();
    }

    /// <summary>
    /// Loads a style by checkpoint folder path (ml5), <c>.t7</c> file path (fast-neural-style), or by name from
    /// the <paramref name="weightsRoots"/> (default: where StyleLab looks for weights). An unknown name lists
    /// the styles found.
    /// </summary>
    public static FastStyle Load(string folderOrStyleName, Device? device = null, IEnumerable<string>? weightsRoots = null)
    {
        device ??= CPU;
        if (File.Exists(folderOrStyleName))
            return new FastStyle(FastNeuralStyleNet.Load(folderOrStyleName, device), Path.GetFileNameWithoutExtension(folderOrStyleName), device);
        // An existing folder is taken as a checkpoint, so a broken one gets the reader's precise error.
        string folder = Directory.Exists(folderOrStyleName)
            ? folderOrStyleName
            : Find(folderOrStyleName, weightsRoots);
        var net = TransformNet.LoadTfjsCheckpoint(folder, device);
        return new FastStyle(net, Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder))), device);
    }

    /// <summary>Wraps a network of one's own (e.g. from <see cref="TransformNetTraining"/>).</summary>
    public static FastStyle FromNetwork(nn.Module<Tensor, Tensor> network, string name, Device? device = null)
    {
        device ??= CPU;
        network.to(device);
        return new FastStyle(network, name, device);
    }

    /// <summary>Style name → checkpoint folder for every style found under the weights roots.</summary>
    public static IReadOnlyDictionary<string, string> AvailableStyles(IEnumerable<string>? weightsRoots = null)
    {
        var found = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var root in weightsRoots ?? WeightFolders.Default())
        {
            var styles = Path.Combine(root, WeightsFolder);
            if (!Directory.Exists(styles)) continue;
            foreach (var dir in Directory.EnumerateDirectories(styles).Where(TfjsCheckpoint.IsCheckpoint))
                found.TryAdd(Path.GetFileName(dir), dir);   // the first root that has a style wins
        }
        return found;
    }

    /// <summary>
    /// Stylises images [N,3,H,W] in [0,1] (on any device; the result comes back on the input's device
    /// and size, clamped to [0,1]). Sizes that are not multiples of 4 are reflection-padded at the
    /// bottom/right before the network and cropped after, so the network sees the even-size alignment
    /// of its stride-2 layers that it was trained with.
    /// </summary>
    public Tensor Stylize(Tensor content)
    {
        using var scope = NewDisposeScope();
        return Render(content).clamp(0, 1).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// <see cref="Stylize"/> before clamping (so <see cref="StyleOutput"/> sees ±∞); <paramref name="decoderInput"/> edits
    /// the features after the residual blocks (<see cref="TransformNet"/> only).
    /// </summary>
    internal Tensor Render(Tensor content, Func<Tensor, Tensor>? decoderInput = null)
    {
        if (content.dim() != 4 || content.shape[1] != 3)
            throw new ArgumentException($"Expected an image batch [N,3,H,W]; got [{string.Join(",", content.shape)}].", nameof(content));
        long height = content.shape[2], width = content.shape[3];
        PeakMemory.Require(PeakMemory.FastStyle(height, width) * content.shape[0], "Fast style transfer", height, width, PeakMemory.FastStyleBytesPerPixel * content.shape[0]);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var x = PadToMultiple(content.to(ScalarType.Float32, Device), TransformNet.SizeMultiple);
        var y = decoderInput is null ? Network.forward(x)
            : Network is TransformNet net ? net.forward(x, decoderInput)
            : throw new NotSupportedException($"The network '{Name}' is a {Network.GetType().Name}: only Engstrom's TransformNet has a decoder input StyleLab can edit.");
        if (y.shape[2] < height || y.shape[3] < width)
            throw new InvalidOperationException(
                $"the network '{Name}' returns {y.shape[2]}×{y.shape[3]} for a {x.shape[2]}×{x.shape[3]} image: it does not keep the image's size " +
                "(a fast-neural-style model trained without \"reflect-start\" padding shrinks its input; pad the photo before the call).");
        y = y.narrow(2, 0, height).narrow(3, 0, width);
        return y.to(content.device).MoveToOuterDisposeScope();
    }

    static Tensor PadToMultiple(Tensor x, int multiple)
    {
        long bottom = (multiple - x.shape[2] % multiple) % multiple, right = (multiple - x.shape[3] % multiple) % multiple;
        if (bottom == 0 && right == 0) return x;
        // Reflection needs the image to be longer than the padding; tiny images repeat their edge instead.
        var mode = x.shape[2] > bottom && x.shape[3] > right ? PaddingModes.Reflect : PaddingModes.Replicate;
        return F.pad(x, [0, right, 0, bottom], mode);
    }

    static string Find(string name, IEnumerable<string>? weightsRoots)
    {
        var roots = (weightsRoots ?? WeightFolders.Default()).ToList();
        var styles = AvailableStyles(roots);
        if (styles.TryGetValue(name, out var folder)) return folder;
        string where = roots.Count == 0 ? "no weights folders" : $"looked in {string.Join(", ", roots.Select(r => Path.Combine(r, WeightsFolder)))}";
        string have = styles.Count == 0 ? "no styles found" : $"found: {string.Join(", ", styles.Keys)}";
        throw new ArgumentException(
            $"'{name}' is neither a checkpoint folder (with {TfjsCheckpoint.ManifestName}), a fast-neural-style .t7 file, nor a fast-style network found by name ({where}; {have}). " +
            $"Point STYLELAB_WEIGHTS at a folder that holds {WeightsFolder}/<style>/.", nameof(name));
    }

    /// <inheritdoc/>
    public void Dispose() => Network.Dispose();
}
