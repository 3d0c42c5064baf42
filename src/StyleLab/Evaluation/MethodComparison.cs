using System.Diagnostics;
using System.Globalization;
using System.Text;
using StyleLab.Encoders;
using StyleLab.Methods;
using StyleLab.Methods.DeepAnalogy;
using StyleLab.Methods.Gatys;
using static TorchSharp.torch;

namespace StyleLab.Evaluation;

/// <summary>One content × style pair of a comparison; the images are [1,3,H,W] in [0,1], owned by the caller.</summary>
public sealed record ComparisonPair(string ContentName, Tensor Content, string StyleName, Tensor Style)
{
    /// <summary>"content × style", the column title.</summary>
    public string Title => $"{ContentName} × {StyleName}";
}

/// <summary>One method on one pair: its image and what it cost.</summary>
/// <param name="Method">The method's name.</param>
/// <param name="Pair">The pair's title.</param>
/// <param name="Image">The result [1,3,H,W] in [0,1], on the CPU.</param>
/// <param name="Seconds">Wall-clock seconds of the <see cref="IStyleTransfer.Stylize"/> call.</param>
/// <param name="PeakMemoryBytes">Peak resident memory of the process above its level before the call, sampled every 5 ms.</param>
/// <param name="Metrics">Losses and SSIM.</param>
public sealed record ComparisonCell(string Method, string Pair, Tensor Image, double Seconds, long PeakMemoryBytes, StyleMetrics Metrics);

/// <summary>A method that could not run, and why (missing weights, an error).</summary>
public sealed record ComparisonSkip(string Method, string Reason);

/// <summary>
/// The same content × style pairs through several methods (rows = methods, columns = pairs), measured with one
/// VGG-19 (<see cref="StyleMetrics"/>). Methods that cannot be built are listed as skipped with the reason.
/// </summary>
public sealed class MethodComparison : IDisposable
{
    MethodComparison(IReadOnlyList<ComparisonPair> pairs, IReadOnlyList<ComparisonCell> cells, IReadOnlyList<ComparisonSkip> skipped)
    {
        Pairs = pairs;
        Cells = cells;
        Skipped = skipped;
    }

    /// <summary>The columns.</summary>
    public IReadOnlyList<ComparisonPair> Pairs { get; }

    /// <summary>Every method × pair that ran, method by method.</summary>
    public IReadOnlyList<ComparisonCell> Cells { get; }

    /// <summary>The methods that did not run.</summary>
    public IReadOnlyList<ComparisonSkip> Skipped { get; }

    /// <summary>The methods that ran, in order (the rows).</summary>
    public IReadOnlyList<string> Methods => Cells.Select(c => c.Method).Distinct().ToList();

    /// <summary>
    /// Runs every method of <paramref name="methods"/> that <paramref name="build"/> can make on every pair. A method
    /// is built, run on all pairs and disposed before the next, so only one is in memory at a time.
    /// </summary>
    /// <param name="methods">Method names, in row order.</param>
    /// <param name="build">Builds a method by name; a <see cref="FileNotFoundException"/> (missing weights) or <see cref="NotSupportedException"/> skips it.</param>
    /// <param name="pairs">The columns.</param>
    /// <param name="encoder">The VGG-19 that measures every output.</param>
    /// <param name="progress">Receives "method: pair" as each cell starts.</param>
    public static MethodComparison Run(IEnumerable<string> methods, Func<string, IStyleTransfer> build, IReadOnlyList<ComparisonPair> pairs,
        Vgg19Encoder encoder, IProgress<string>? progress = null, CancellationToken cancellationToken = default)
    {
        var cells = new List<ComparisonCell>();
        var skipped = new List<ComparisonSkip>();
        try
        {
            foreach (var name in methods)
            {
                cancellationToken.ThrowIfCancellationRequested();
                IStyleTransfer method;
                try { method = build(name); }
                catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or NotSupportedException or ArgumentException)
                {
                    skipped.Add(new ComparisonSkip(name, FirstSentence(e.Message)));
                    continue;
                }
                using (method)
                {
                    // Image Analogies learns a filter from an example pair (A, A′): a photo and one painting are not one.
                    if (method.StyleCount.Min > 1)
                    {
                        skipped.Add(new ComparisonSkip(name, $"takes an example pair of {method.StyleCount.Min} images, not one painting (notebook 00 shows it)"));
                        continue;
                    }
                    var row = new List<ComparisonCell>();
                    try
                    {
                        foreach (var pair in pairs)
                        {
                            progress?.Report($"{name}: {pair.Title}");
                            row.Add(Cell(method, pair, encoder, cancellationToken));
                        }
                        cells.AddRange(row);
                    }
                    // A method that fails on these images (bad weights, a libtorch error) is reported with its error, and the others still run.
                    catch (Exception e) when (e is ArgumentException or NotSupportedException or InvalidOperationException or System.Runtime.InteropServices.ExternalException)
                    {
                        foreach (var c in row) c.Image.Dispose();
                        skipped.Add(new ComparisonSkip(name, "failed: " + FirstSentence(e.Message)));
                    }
                }
            }
            return new MethodComparison(pairs, cells, skipped);
        }
        catch
        {
            foreach (var c in cells) c.Image.Dispose();
            throw;
        }
    }

    /// <summary>
    /// For quick runs (CI, a first look): Gatys with 30 steps, Deep Image Analogy with 3 PatchMatch and 5 deconvolution
    /// iterations; other methods are returned as they are. The short variant takes over the encoder of
    /// <paramref name="method"/>, which holds nothing else and need not be disposed.
    /// </summary>
    public static IStyleTransfer Shortened(IStyleTransfer method) => method switch
    {
        GatysMethod g => new GatysMethod(g.Encoder, g.Options with { Steps = Math.Min(30, g.Options.Steps) }, g.WeightFiles),
        DeepAnalogyMethod a => new DeepAnalogyMethod(a.Encoder, a.Options with { PatchMatchIterations = 3, DeconvolutionIterations = 5 }, a.WeightFiles),
        _ => method,
    };

    static ComparisonCell Cell(IStyleTransfer method, ComparisonPair pair, Vgg19Encoder encoder, CancellationToken cancellationToken)
    {
        var styles = method.StyleCount.Max == 0 ? new List<Tensor>() : [pair.Style];
        using var memory = new PeakMemory();
        var clock = Stopwatch.StartNew();
        var image = method.Stylize(pair.Content, styles, cancellationToken: cancellationToken);
        double seconds = clock.Elapsed.TotalSeconds;
        long peak = memory.Stop();
        using (image)
        {
            var metrics = StyleMetrics.Measure(encoder, image.to(pair.Content.device), pair.Content, pair.Style);
            return new ComparisonCell(method.Method, pair.Title, image.cpu().clone().DetachFromDisposeScope(), seconds, peak, metrics);
        }
    }

    static string FirstSentence(string message)
    {
        string line = message.Split('\n')[0].Split(" (Parameter")[0];
        return line.Length > 600 ? line[..600] + "…" : line;
    }

    /// <summary>One row per method × pair: the numbers of the table, invariant culture.</summary>
    public string ToCsv()
    {
        var csv = new StringBuilder("method,pair,content_loss,gram_style_loss,mean_std_style_loss,ssim_to_content,seconds_per_image,peak_memory_mib,status\n");
        foreach (var c in Cells)
            csv.AppendLine(string.Join(",", c.Method, Quote(c.Pair), N(c.Metrics.ContentLoss), N(c.Metrics.GramLoss), N(c.Metrics.MeanStdLoss),
                N(c.Metrics.SsimToContent), N(c.Seconds), N(c.PeakMemoryBytes / 1048576.0), "ok"));
        foreach (var s in Skipped) csv.AppendLine($"{s.Method},,,,,,,,{Quote("skipped: " + s.Reason)}");
        return csv.ToString();
    }

    /// <summary>
    /// A self-contained page: the grid (rows = methods, columns = pairs; images from <paramref name="imagePath"/>,
    /// a path relative to the page for method and column index), the table per method (means over the pairs) and the skipped methods.
    /// </summary>
    public string ToHtml(Func<string, int, string> imagePath)
    {
        string E(string s) => System.Net.WebUtility.HtmlEncode(s);
        var html = new StringBuilder("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>StyleLab: every method on the same pairs</title>\n")
            .Append("<style>body{font-family:sans-serif;margin:1em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}")
            .Append("th{background:#f4f4f4}td.name{text-align:left;font-weight:bold}img{max-width:256px;display:block}</style></head><body>\n")
            .Append("<h1>Every method on the same content × style pairs</h1>\n<table><tr><th>method</th>");
        foreach (var p in Pairs) html.Append($"<th>{E(p.Title)}</th>");
        html.Append("</tr>\n");
        foreach (var m in Methods)
        {
            html.Append($"<tr><td class=\"name\">{E(m)}</td>");
            for (int i = 0; i < Pairs.Count; i++) html.Append($"<td><img src=\"{E(imagePath(m, i))}\" alt=\"{E(m)}: {E(Pairs[i].Title)}\"></td>");
            html.Append("</tr>\n");
        }
        var first = Cells.FirstOrDefault()?.Metrics;
        html.Append("</table>\n<h2>Measures (mean over the pairs)</h2>\n")
            .Append(first is null ? "" : $"<p>One VGG-19 measures every output: content loss = mean squared feature difference at {E(first.ContentLayer)}; " +
                $"Gram and mean/std style losses at {E(string.Join(", ", first.StyleLayers))}; SSIM to the content on luminance. " +
                "Peak memory: resident memory of the process above its level before the call.</p>\n")
            .Append("<table><tr><th>method</th><th>content loss</th><th>Gram style loss</th><th>mean/std style loss</th><th>SSIM to content</th><th>s / image</th><th>peak memory (MiB)</th></tr>\n");
        foreach (var m in Methods)
        {
            var row = Cells.Where(c => c.Method == m).ToList();
            html.Append($"<tr><td class=\"name\">{E(m)}</td><td>{G(row.Average(c => c.Metrics.ContentLoss))}</td><td>{G(row.Average(c => c.Metrics.GramLoss))}</td>")
                .Append($"<td>{G(row.Average(c => c.Metrics.MeanStdLoss))}</td><td>{row.Average(c => c.Metrics.SsimToContent):F3}</td>")
                .Append($"<td>{row.Average(c => c.Seconds):F2}</td><td>{row.Max(c => c.PeakMemoryBytes) / 1048576.0:F0}</td></tr>\n");
        }
        html.Append("</table>\n");
        if (Skipped.Count > 0)
        {
            html.Append("<h2>Skipped</h2>\n<ul>\n");
            foreach (var s in Skipped) html.Append($"<li><b>{E(s.Method)}</b>: {E(s.Reason)}</li>\n");
            html.Append("</ul>\n");
        }
        return html.Append("</body></html>\n").ToString();
    }

    static string N(double value) => value.ToString("G6", CultureInfo.InvariantCulture);
    static string G(double value) => value.ToString("G4", CultureInfo.InvariantCulture);
    static string Quote(string s) => s.Contains(',') || s.Contains('"') ? "\"" + s.Replace("\"", "\"\"") + "\"" : s;

    /// <summary>Frees every image.</summary>
    public void Dispose()
    {
        foreach (var c in Cells) c.Image.Dispose();
    }

    /// <summary>Samples the process's resident memory every 5 ms until stopped; the peak above the start.</summary>
    sealed class PeakMemory : IDisposable
    {
        readonly long _start = Process.GetCurrentProcess().WorkingSet64;
        long _peak;
        readonly Timer _timer;

        public PeakMemory()
        {
            _peak = _start;
            _timer = new Timer(_ => Sample(), null, 0, 5);
        }

        void Sample()
        {
            using var process = Process.GetCurrentProcess();
            long now = process.WorkingSet64;
            long seen;
            do { seen = Interlocked.Read(ref _peak); } while (now > seen && Interlocked.CompareExchange(ref _peak, now, seen) != seen);
        }

        public long Stop()
        {
            _timer.Dispose();
            Sample();
            return Math.Max(0, Interlocked.Read(ref _peak) - _start);
        }

        public void Dispose() => _timer.Dispose();
    }
}
