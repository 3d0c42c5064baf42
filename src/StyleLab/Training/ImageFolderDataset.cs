using StyleLab.Imaging;
using TorchSharp;
using static TorchSharp.torch;

namespace StyleLab.Training;

/// <summary>How <see cref="ImageFolderDataset"/> turns image files into training crops.</summary>
/// <param name="BatchSize">Images per batch.</param>
/// <param name="ResizeTo">The smaller side of every image is scaled to this many pixels (papers: 512).</param>
/// <param name="CropSize">A random square of this side is then cut out (papers: 256).</param>
/// <param name="Seed">Fixes the shuffles and the crops: the same seed gives the same batches.</param>
public sealed record ImageFolderOptions(int BatchSize = 8, int ResizeTo = 512, int CropSize = 256, int Seed = 0);

/// <summary>
/// Every image under a folder (recursively: .jpg .jpeg .png .webp .bmp .gif), served endlessly as
/// batches of random crops [B,3,C,C] in [0,1]. Each epoch visits the files in a new shuffled order.
/// </summary>
/// <remarks>
/// Randomness is a pure function of (seed, epoch, index) rather than one running generator, so the
/// whole state is a <see cref="BatchPosition"/>: saving and restoring it reproduces the stream
/// exactly, and a file found unreadable is skipped identically in a resumed run.
/// Files that cannot be decoded are skipped, reported once through <see cref="Warning"/> and
/// <see cref="Warnings"/>, and never read again.
/// </remarks>
public sealed class ImageFolderDataset : IBatchSource
{
    static readonly HashSet<string> Extensions = new(StringComparer.OrdinalIgnoreCase) { ".jpg", ".jpeg", ".png", ".webp", ".bmp", ".gif" };

    readonly string[] _files;
    readonly HashSet<string> _unreadable = new();
    readonly List<string> _warnings = new();
    readonly Device _device;
    int[] _order;
    int _orderEpoch;

    /// <summary>Lists the images under <paramref name="folder"/>; batches are made on <paramref name="device"/> (default CPU).</summary>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="InvalidDataException">The folder holds no image files.</exception>
    public ImageFolderDataset(string folder, ImageFolderOptions? options = null, Device? device = null)
    {
        Options = options ?? new ImageFolderOptions();
        if (Options.BatchSize < 1 || Options.CropSize < 1 || Options.ResizeTo < Options.CropSize)
            throw new ArgumentOutOfRangeException(nameof(options), Options,
                "ImageFolderOptions needs BatchSize ≥ 1 and ResizeTo ≥ CropSize ≥ 1.");
        Folder = Path.GetFullPath(folder);
        if (!Directory.Exists(Folder)) throw new DirectoryNotFoundException($"Image folder '{Folder}' does not exist.");
        // Ordinal order, so the same folder lists the same way on every file system.
        _files = Directory.EnumerateFiles(Folder, "*", SearchOption.AllDirectories)
            .Where(f => Extensions.Contains(Path.GetExtension(f)))
            .Order(StringComparer.Ordinal).ToArray();
        if (_files.Length == 0)
            throw new InvalidDataException($"Image folder '{Folder}' holds no images ({string.Join(" ", Extensions.Order())}).");
        _device = device ?? CPU;
        _order = Shuffle(0);
    }

    /// <summary>The folder, as a full path.</summary>
    public string Folder { get; }

    /// <summary>Batch size, sizes and seed.</summary>
    public ImageFolderOptions Options { get; }

    /// <summary>The image files found (including any later found unreadable).</summary>
    public IReadOnlyList<string> Files => _files;

    /// <summary>One message per unreadable file skipped so far, naming the file and the problem.</summary>
    public IReadOnlyList<string> Warnings => _warnings.ToArray();

    /// <summary>Raised once for each unreadable file, with the same message as <see cref="Warnings"/>.</summary>
    public event Action<string>? Warning;

    /// <inheritdoc/>
    public BatchPosition Position { get; set; }

    /// <inheritdoc/>
    /// <exception cref="InvalidDataException">No file in the folder can be read.</exception>
    public Tensor NextBatch()
    {
        using var scope = NewDisposeScope();
        var crops = new List<Tensor>(Options.BatchSize);
        while (crops.Count < Options.BatchSize)
        {
            var (epoch, index) = Position;
            Position = index + 1 < _files.Length ? new(epoch, index + 1) : new(epoch + 1, 0);
            var crop = TryCrop(epoch, index);
            if (crop is null)
            {
                if (_unreadable.Count == _files.Length)
                    throw new InvalidDataException($"Image folder '{Folder}' holds no readable images: all {_files.Length} failed to decode (see Warnings).");
                continue;
            }
            crops.Add(crop);
        }
        return cat(crops, 0).to(_device).MoveToOuterDisposeScope();
    }

    Tensor? TryCrop(int epoch, int index)
    {
        if (epoch != _orderEpoch) { _order = Shuffle(epoch); _orderEpoch = epoch; }
        return TryCrop(_files[_order[index]], new Random(Mix(Options.Seed, epoch, index + 1)));
    }

    /// <summary>
    /// <paramref name="count"/> crops of files drawn at random (with replacement) by a generator seeded
    /// with <paramref name="draw"/>: random access for a second stream that follows a first one's
    /// position (<see cref="ImagePairDataset"/>). Unreadable files are skipped and drawn again.
    /// </summary>
    internal Tensor RandomCrops(int count, int draw)
    {
        using var scope = NewDisposeScope();
        var random = new Random(Mix(Options.Seed, draw, -1));
        var crops = new List<Tensor>(count);
        while (crops.Count < count)
        {
            if (_unreadable.Count == _files.Length)
                throw new InvalidDataException($"Image folder '{Folder}' holds no readable images: all {_files.Length} failed to decode (see Warnings).");
            if (TryCrop(_files[random.Next(_files.Length)], random) is { } crop) crops.Add(crop);
        }
        return cat(crops, 0).to(_device).MoveToOuterDisposeScope();
    }

    Tensor? TryCrop(string file, Random random)
    {
        if (_unreadable.Contains(file)) return null;
        Tensor image;
        try { image = ImageIO.Load(file); }
        catch (Exception e) when (e is ImageFileException or IOException or UnauthorizedAccessException)
        {
            _unreadable.Add(file);
            string message = $"Skipping unreadable image '{file}': {e.Message}";
            _warnings.Add(message);
            Warning?.Invoke(message);
            return null;
        }
        using (image)
        {
            int height = (int)image.shape[2], width = (int)image.shape[3];
            double scale = (double)Options.ResizeTo / Math.Min(width, height);
            // The smaller side lands exactly on ResizeTo; the other is rounded but never below it.
            int w = width <= height ? Options.ResizeTo : Math.Max(Options.ResizeTo, (int)Math.Round(width * scale));
            int h = height < width ? Options.ResizeTo : Math.Max(Options.ResizeTo, (int)Math.Round(height * scale));
            using var sized = w == width && h == height ? image.alias() : Resampling.Resize(image, w, h);
            int top = random.Next(h - Options.CropSize + 1), left = random.Next(w - Options.CropSize + 1);
            return sized[.., .., top..(top + Options.CropSize), left..(left + Options.CropSize)].contiguous();
        }
    }

    int[] Shuffle(int epoch)
    {
        var order = Enumerable.Range(0, _files.Length).ToArray();
        new Random(Mix(Options.Seed, epoch, 0)).Shuffle(order);
        return order;
    }

    // One seed from three numbers. HashCode is randomised per process, so SplitMix64's finaliser
    // is used instead; a seeded System.Random then gives the same sequence on every run.
    internal static int Mix(int seed, int epoch, int index)
    {
        ulong z = (ulong)(uint)seed * 0x9E3779B97F4A7C15UL ^ (ulong)(uint)epoch << 32 ^ (uint)index;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return (int)(z ^ (z >> 31));
    }
}
