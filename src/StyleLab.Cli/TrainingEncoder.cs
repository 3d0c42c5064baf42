using Spectre.Console;
using StyleLab.Encoders;
using StyleLab.Imaging;
using StyleLab.Training;
using static TorchSharp.torch;

namespace StyleLab.Cli;

/// <summary>
/// The encoder a <c>stylelab train</c> run learns against. An ImageNet VGG-19 is first normalised to mean
/// activation 1 per filter (Gatys et al. 2016, as the official <c>vgg_normalised.pth</c>), so that the loss
/// terms of every layer weigh as in the official code; its raw Caffe-scale features reach the hundreds and
/// swamp a decoder's pixel terms. The normalised copy is saved in the run folder: <c>--resume</c> and
/// inference must use exactly the encoder the decoder learnt from.
/// </summary>
public static class TrainingEncoder
{
    /// <summary>The normalised encoder inside a run folder.</summary>
    public const string FileName = "vgg.safetensors";

    /// <summary>
    /// <paramref name="encoder"/> if it is the official normalised VGG; on <paramref name="resume"/> the run
    /// folder's saved copy; else <paramref name="encoder"/> normalised over up to 8 images of each folder and saved.
    /// Takes ownership of <paramref name="encoder"/>.
    /// </summary>
    public static Vgg19Encoder Prepare(CliConsole console, Vgg19Encoder encoder, string folder, bool resume,
        DirectoryInfo contentDir, DirectoryInfo styleDir, int size, Device device)
    {
        string path = Path.Combine(folder, FileName);
        if (resume && File.Exists(path))
        {
            encoder.Dispose();
            return Vgg19Encoder.Load(path, VggPresets.Normalised, device: device);
        }
        if (VggNormalisation.IsOfficialNormalised(encoder)) return encoder;
        using var sample = SampleImages(console, contentDir, styleDir, size, device);
        var normalised = VggNormalisation.Normalise(encoder, [sample]);
        encoder.Dispose();
        VggNormalisation.Save(normalised, path);
        console.Out.MarkupLine($"[grey]VGG-19 mean-normalised on {sample.shape[0]} images (Gatys et al. 2016), saved to {Markup.Escape(path)}.[/]");
        return normalised;
    }

    /// <summary>
    /// Up to 8 readable images of each folder, resized to size × size. An unreadable file is skipped with one
    /// warning, as the training dataset skips it (<see cref="ImageFolderDataset"/>).
    /// </summary>
    public static Tensor SampleImages(CliConsole console, DirectoryInfo content, DirectoryInfo style, int size, Device device)
    {
        var load = new ImageLoadOptions { Size = Resize.Exact(size, size) };
        var images = new List<Tensor>();
        try
        {
            foreach (var folder in new[] { content, style })
            {
                int taken = 0;
                foreach (var file in new ImageFolderDataset(folder.FullName).Files)
                {
                    if (taken == 8) break;
                    try { images.Add(ImageIO.Load(file, load, device)); taken++; }
                    catch (ImageFileException e) { console.Error.WriteLine($"warning: skipping unreadable image: {e.Message}"); }
                }
                if (taken == 0) throw new InvalidDataException($"Image folder '{folder.FullName}' holds no readable images (see the warnings above).");
            }
            return cat(images, 0);
        }
        finally { foreach (var i in images) i.Dispose(); }
    }
}
