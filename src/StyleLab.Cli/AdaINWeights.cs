using Spectre.Console;
using StyleLab.Encoders;
using StyleLab.Weights;
using static TorchSharp.torch;

namespace StyleLab.Cli;

/// <summary>Finds and loads the networks of <c>stylelab adain</c> and <c>stylelab train adain</c> (registry ids or paths).</summary>
public static class AdaINWeights
{
    /// <summary>The official normalised VGG-19 (to relu5_4).</summary>
    public const string OfficialVgg = "adain-vgg-normalised";

    /// <summary>The official decoder (from relu4_1).</summary>
    public const string OfficialDecoder = "adain-decoder";

    /// <summary>../shared's partial ImageNet VGG-19 (to conv3_4): what offline decoders are trained on.</summary>
    public const string PartialVgg = "vgg19-caffe-partial";

    /// <summary>A registered id (found locally or downloaded) or an existing file, as a path.</summary>
    public static async Task<WeightLocation> ResolveAsync(CliConsole console, string idOrPath, CancellationToken cancellationToken)
    {
        using var resolver = new WeightResolver();
        if (File.Exists(idOrPath) || !resolver.Registry.TryGet(idOrPath, out var entry))
            return await resolver.ResolveAsync(idOrPath, cancellationToken: cancellationToken);
        return resolver.Locate(idOrPath)
            ?? await DownloadBar.RunAsync(console.Out, entry.File, progress => resolver.ResolveAsync(idOrPath, progress, cancellationToken: cancellationToken));
    }

    /// <summary>The first of <paramref name="ids"/> present locally, or null.</summary>
    public static string? FirstLocal(params string[] ids)
    {
        using var resolver = new WeightResolver();
        return ids.FirstOrDefault(id => resolver.Locate(id) is not null);
    }

    /// <summary>Loads a VGG-19 with the normalised set-up (<see cref="NormalisedVgg"/>) and says what was loaded.</summary>
    public static async Task<Vgg19Encoder> LoadVggAsync(CliConsole console, string idOrPath, Device device, CancellationToken cancellationToken)
    {
        var location = await ResolveAsync(console, idOrPath, cancellationToken);
        var preprocessing = location.Entry?.Preprocessing is { } name ? Preprocessing.FromName(name) : null;
        var encoder = NormalisedVgg.Load(location.Path, preprocessing, device);
        console.Out.MarkupLine($"[grey]VGG-19: {Markup.Escape(location.Entry?.Id ?? Path.GetFileName(location.Path))} " +
            $"({encoder.Preprocessing.Name} preprocessing, up to {encoder.DeepestLayer.Name}) from {Markup.Escape(location.Path)}[/]");
        return encoder;
    }
}
