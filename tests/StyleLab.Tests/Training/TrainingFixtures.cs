using StyleLab.Imaging;
using StyleLab.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace StyleLab.Tests.Training;

/// <summary>A temporary folder of tiny images (one nested, one corrupt), deleted on dispose.</summary>
sealed class TinyImageFolder : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("stylelab-images-").FullName;

    public TinyImageFolder(int images = 6, bool corrupt = true)
    {
        var generator = new Generator(7);
        for (int i = 0; i < images; i++)
        {
            using var image = rand([1, 3, 20 + 3 * i, 34 - 2 * i], generator: generator);
            string folder = i % 2 == 0 ? Path : System.IO.Path.Combine(Path, "nested");
            ImageIO.Save(image, System.IO.Path.Combine(folder, $"image{i}.png"));
        }
        if (corrupt) File.WriteAllBytes(System.IO.Path.Combine(Path, "garbage.jpg"), "this is not a JPEG"u8.ToArray());
    }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}

/// <summary>A 1×1 convolution learning a fixed colour mix from noisy input: the smallest model with weights, Adam state and randomness.</summary>
sealed class ColourMixModel : ITrainable, IDisposable
{
    readonly Conv2d _conv = nn.Conv2d(3, 3, 1);
    readonly Tensor _target = tensor(new float[] { 0.2f, 0.7f, 0.1f, 0.5f, 0.5f, 0f, 0f, 0.3f, 0.7f }).reshape(3, 3, 1, 1);

    /// <summary>Makes the loss NaN at this (1-based) call, to test divergence.</summary>
    public int? NanAtCall { get; init; }

    /// <summary>
    /// Makes the weight's gradient NaN while the loss stays finite at this (1-based) call, as a
    /// miscomputing convolution does: √|w − w| is 0, but its derivative at 0 is ∞ · 0.
    /// </summary>
    public int? NanGradientAtCall { get; init; }

    /// <summary>Runs inside every loss computation with the (1-based) call number: an interrupt arriving mid-step.</summary>
    public Action<int>? DuringLoss { get; init; }
    int _calls;

    /// <summary>Shows a batch-norm statistic in the state dict, as a model whose forward pass changes state does.</summary>
    public bool BatchNormStatistics { get; init; }
    readonly Tensor _runningMean = zeros(3);

    public IEnumerable<Parameter> Parameters => _conv.parameters();
    public Dictionary<string, Tensor> StateDict()
    {
        var state = _conv.state_dict();
        if (BatchNormStatistics) state["bn.running_mean"] = _runningMean;
        return state;
    }
    public void LoadStateDict(IReadOnlyDictionary<string, Tensor> state) =>
        _conv.load_state_dict(state.Where(kv => kv.Key != "bn.running_mean").ToDictionary());

    public LossTerms Loss(Tensor batch)
    {
        // Input noise draws from libtorch's generator, so resuming must restore it too.
        using var noisy = batch + 0.01 * randn_like(batch);
        using var target = nn.functional.conv2d(noisy, _target);
        var mse = nn.functional.mse_loss(_conv.forward(noisy), target);
        if (++_calls == NanAtCall) mse = mse * double.NaN;
        DuringLoss?.Invoke(_calls);
        if (_calls == NanGradientAtCall) mse = mse + (_conv.weight! - _conv.weight!.detach()).abs().sqrt().sum();
        var decay = 1e-4 * _conv.weight!.square().sum();
        return new LossTerms(mse + decay, new Dictionary<string, Tensor> { ["mse"] = mse, ["decay"] = decay });
    }

    public void Dispose() { _conv.Dispose(); _target.Dispose(); _runningMean.Dispose(); }
}

/// <summary>Reports on the caller's thread (System.Progress posts to the thread pool).</summary>
sealed class InlineProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}

static class Bits
{
    /// <summary>Same shape, dtype and bytes: bit-exact equality.</summary>
    public static bool Identical(Tensor a, Tensor b)
    {
        if (!a.shape.SequenceEqual(b.shape) || a.dtype != b.dtype) return false;
        using var x = a.detach().cpu().contiguous();
        using var y = b.detach().cpu().contiguous();
        return x.bytes.SequenceEqual(y.bytes);
    }
}
