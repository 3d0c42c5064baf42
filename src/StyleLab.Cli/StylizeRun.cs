using Spectre.Console;
using StyleLab.Methods;
using StyleLab.Weights;

namespace StyleLab.Cli;

/// <summary>
/// The body every inference command shares: build the method by name (<see cref="StyleTransferFactory"/>),
/// then stylise each photo (a file or a folder) with the request's styles and controls behind the progress bar.
/// </summary>
public static class StylizeRun
{
    /// <summary>Builds <paramref name="method"/> from <paramref name="weights"/> (role → file or id), downloading registered weights that are missing.</summary>
    public static IStyleTransfer Create(string method, IReadOnlyDictionary<string, string?> weights, InferenceRequest request)
    {
        var given = weights.Where(kv => kv.Value is not null).ToDictionary(kv => kv.Key, kv => kv.Value!);
        try { return StyleTransferFactory.Create(method, given, request.Device, download: true); }
        // A wrong option is a usage error (2); an unreadable or corrupt weight file is a runtime failure (1).
        catch (ArgumentException e) { throw new UsageException(e.Message.Split(" (Parameter")[0]); }
    }

    /// <summary>Runs <paramref name="transfer"/> on every photo of the request; returns the process exit code.</summary>
    /// <param name="suffix">What a folder's results are named after (<c>photo-suffix.png</c>); default: the method and its one style.</param>
    public static async Task<int> RunAsync(CliConsole console, IStyleTransfer transfer, InferenceRequest request, CancellationToken cancellationToken,
        string? suffix = null)
    {
        var styles = request.LoadStyles();
        try
        {
            suffix ??= transfer.Method + (request.Styles.Count == 1 ? "-" + Path.GetFileNameWithoutExtension(request.Styles[0]) : "");
            var jobs = ImageJobs.Plan(request.Content, request.Output, suffix, request.Force);
            var elapsed = await ImageJobs.RunAsync(console, jobs, InferenceOptions.Loading(request.Controls.Size), request.Device, photo =>
            {
                // Images are loaded at --size already; masks at each photo's size.
                try { return transfer.Stylize(photo, styles, request.For(photo) with { Size = null }, cancellationToken: cancellationToken); }
                catch (Exception e) when (e is ArgumentException or NotSupportedException) { throw new UsageException(e.Message.Split(" (Parameter")[0]); }
            }, cancellationToken);
            ImageJobs.Print(console, jobs, elapsed);
            if (styles.Count > 0) // a method whose style is in its weights (fast) has no controls to report
                console.Out.MarkupLine($"[grey]{Markup.Escape(transfer.Method)}: α = {request.Controls.Alpha:0.##}, {styles.Count} style(s)" +
                    $"{(request.MaskFiles.Count > 0 ? ", masked" : "")}{(request.Controls.PreserveColor ? ", colours kept" : "")}[/]");
            return ExitCodes.Success;
        }
        finally
        {
            foreach (var s in styles) s.Dispose();
        }
    }
}
