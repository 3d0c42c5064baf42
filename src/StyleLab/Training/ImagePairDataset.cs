using static TorchSharp.torch;

namespace StyleLab.Training;

/// <summary>
/// Content crops from one folder paired with style crops from another — the training data of the
/// arbitrary-style models (AdaIN, SANet, CAST), which see a random style for every content image.
/// </summary>
/// <remarks>
/// The content stream is an <see cref="ImageFolderDataset"/> (epoch-shuffled); the styles of a batch
/// are drawn at random by a generator seeded from the content position, so the content position alone
/// is the whole state and a resumed run sees the same pairs.
/// </remarks>
public sealed class ImagePairDataset : IBatchSource<ImagePair>
{
    readonly ImageFolderDataset _content;
    readonly ImageFolderDataset _style;

    /// <summary>Lists both folders; both are cropped as <paramref name="options"/> says.</summary>
    /// <exception cref="DirectoryNotFoundException">A folder does not exist.</exception>
    /// <exception cref="InvalidDataException">A folder holds no image files.</exception>
    public ImagePairDataset(string contentFolder, string styleFolder, ImageFolderOptions? options = null, Device? device = null)
    {
        _content = new ImageFolderDataset(contentFolder, options, device);
        _style = new ImageFolderDataset(styleFolder, _content.Options, device);
        _content.Warning += m => Warning?.Invoke(m);
        _style.Warning += m => Warning?.Invoke(m);
    }

    /// <summary>The content images.</summary>
    public ImageFolderDataset Content => _content;

    /// <summary>The style images.</summary>
    public ImageFolderDataset Style => _style;

    /// <summary>Raised once for each unreadable file of either folder.</summary>
    public event Action<string>? Warning;

    /// <summary>Unreadable files skipped so far, in both folders.</summary>
    public IReadOnlyList<string> Warnings => [.. _content.Warnings, .. _style.Warnings];

    /// <inheritdoc/>
    public BatchPosition Position { get => _content.Position; set => _content.Position = value; }

    /// <inheritdoc/>
    public ImagePair NextBatch()
    {
        var (epoch, index) = Position;
        var content = _content.NextBatch();
        try
        {
            return new ImagePair(content, _style.RandomCrops((int)content.shape[0], ImageFolderDataset.Mix(epoch, index, 0x57)));
        }
        catch
        {
            content.Dispose();
            throw;
        }
    }
}
