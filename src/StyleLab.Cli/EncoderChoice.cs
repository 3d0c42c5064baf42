using Spectre.Console;
using StyleLab.Encoders;
using StyleLab.Weights;
using static TorchSharp.torch;

namespace StyleLab.Cli;

/// <summary>Picks and loads the VGG-19 a command runs on: <c>--weights</c> (id or path), else the best weights found.</summary>
public static class EncoderChoice
{
    /// <summary>The library's choice (<see cref="VggChoice.Preferred"/>).</summary>
    public static IReadOnlyList<string> Preferred => VggChoice.Preferred;

    /// <summary>
    /// Loads <paramref name="weights"/> (downloading a registered id if needed), or the first of
    /// <see cref="Preferred"/> that is present, or downloads the first of them. The manifest's
    /// preprocessing is used for registered weights.
    /// </summary>
    public static async Task<Vgg19Encoder> LoadAsync(CliConsole console, string? weights, Device device, CancellationToken cancellationToken,
        VggOptions? options = null)
    {
        using var resolver = new WeightResolver();
        WeightLocation location;
        if (weights is not null)
        {
            location = resolver.Registry.TryGet(weights, out _) && resolver.Locate(weights) is { } local
                ? local
                : await ResolveWithBarAsync(console, resolver, weights, cancellationToken);
        }
        else
        {
            // Nothing local: download the paper's weights (first use), or say where we looked and how to get them.
            location = Preferred.Select(resolver.Locate).FirstOrDefault(l => l is not null)
                ?? await ResolveWithBarAsync(console, resolver, Preferred[0], cancellationToken);
        }
        var preprocessing = location.Entry?.Preprocessing is { } name ? Preprocessing.FromName(name) : null;
        var encoder = Vgg19Encoder.Load(location.Path, options, preprocessing, device);
        console.Out.MarkupLine($"[grey]VGG-19: {Markup.Escape(location.Entry?.Id ?? Path.GetFileName(location.Path))} " +
            $"({encoder.Preprocessing.Name} preprocessing, {encoder.Options.Pooling.ToString().ToLowerInvariant()} pooling, up to {encoder.DeepestLayer.Name}) from {Markup.Escape(location.Path)}[/]");
        return encoder;
    }

    static Task<WeightLocation> ResolveWithBarAsync(CliConsole console, WeightResolver resolver, string weights, CancellationToken cancellationToken) =>
        File.Exists(weights) || !resolver.Registry.TryGet(weights, out var entry)
            ? resolver.ResolveAsync(weights, cancellationToken: cancellationToken)
            : DownloadBar.RunAsync(console.Out, entry.File, progress => resolver.ResolveAsync(weights, progress, cancellationToken: cancellationToken));
}
