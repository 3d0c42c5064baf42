using StyleLab.Training;
using static TorchSharp.torch;

namespace StyleLab.Methods.Gatys;

/// <summary>What <see cref="Gatys.Run"/> produced. Disposing it frees the image and the snapshots.</summary>
public sealed class GatysResult : IDisposable
{
    internal GatysResult(Tensor image, LossHistory history, IReadOnlyList<(int Step, Tensor Image)> snapshots, TimeSpan elapsed)
    {
        Image = image;
        History = history;
        Snapshots = snapshots;
        Elapsed = elapsed;
    }

    /// <summary>The stylised image [1,3,H,W] in [0,1], the content's size, on the content's device.</summary>
    public Tensor Image { get; }

    /// <summary>Every step's loss terms (the same as the reports').</summary>
    public LossHistory History { get; }

    /// <summary>The image every <see cref="GatysOptions.PreviewEvery"/> steps, on the CPU (empty when previews are off).</summary>
    public IReadOnlyList<(int Step, Tensor Image)> Snapshots { get; }

    /// <summary>Wall-clock time of the run.</summary>
    public TimeSpan Elapsed { get; }

    /// <inheritdoc/>
    public void Dispose()
    {
        Image.Dispose();
        foreach (var (_, snapshot) in Snapshots) snapshot.Dispose();
    }
}
