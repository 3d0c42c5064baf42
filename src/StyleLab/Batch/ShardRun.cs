using System.Diagnostics;
using StyleLab.Imaging;
using StyleLab.Methods;
using StyleLab.Runtime;
using static TorchSharp.torch;

namespace StyleLab.Batch;

/// <summary>
/// Runs one shard of a manifest: its items (<see cref="Shard.Contains"/>) in an order that groups them by model and
/// styles, so each model is loaded once and each style image decoded once per shard run; an item whose output is
/// already complete (<see cref="OutputFile.IsComplete"/>) is skipped; each output is written atomically
/// (<see cref="OutputFile.Write"/>); an item that fails (a corrupt photo, weights missing, out of memory at one
/// size) is logged with its reason and the shard goes on. Cancellation stops between items (the item in flight
/// is given the token too), writes the log's <c>end</c> record and throws; no temporary file stays behind.
/// </summary>
public static class ShardRun
{
    /// <summary>Runs <paramref name="shard"/> of <paramref name="manifest"/> into <paramref name="outputFolder"/>, logging to <paramref name="logFolder"/>.</summary>
    /// <exception cref="OperationCanceledException">Cancelled; every finished output is in place and logged.</exception>
    public static BatchSummary Run(IReadOnlyList<BatchItem> manifest, Shard shard, string outputFolder, string logFolder,
        BatchRunOptions? options = null, IProgress<BatchProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        options ??= new BatchRunOptions();
        var device = options.Device ?? CPU;
        var items = shard.Select(manifest).OrderBy(ModelKey, StringComparer.Ordinal).ThenBy(StylesKey, StringComparer.Ordinal).ToList();
        string OutputPath(BatchItem item) => Path.Combine(outputFolder, item.Output);
        // A run killed between writing and renaming left a temporary file: this shard's own, so it is safe to remove.
        foreach (var item in items) OutputFile.RemoveStale(OutputPath(item));

        using var log = new ShardLog(logFolder, shard);
        ShardLogRecord Record(string e) => new(e, DateTimeOffset.UtcNow, shard.Index, shard.Count);
        log.Append(Record("start") with { Items = items.Count, Host = Environment.MachineName, Pid = Environment.ProcessId });

        var clock = Stopwatch.StartNew();
        int done = 0, skipped = 0;
        var failures = new List<BatchFailure>();
        using var models = new ModelCache(options, device);
        using var styles = new StyleCache(device);
        try
        {
            foreach (var item in items)
            {
                cancellationToken.ThrowIfCancellationRequested();
                progress?.Report(new BatchProgress(done, failures.Count, skipped, items.Count, item.Output, clock.Elapsed));
                string output = OutputPath(item);
                if (OutputFile.IsComplete(output, item.Content, SizeOf(item))) { skipped++; continue; }
                var started = clock.Elapsed;
                try
                {
                    // Models and style images live across items, outside the item's dispose scope.
                    var transfer = models.Get(item);
                    var styleImages = styles.Get(item, inWeights: transfer.StyleCount.Max == 0);
                    using var scope = NewDisposeScope();
                    var content = ImageIO.Load(item.Content, Loading(item), device);
                    var result = transfer.Stylize(content, styleImages, item.Controls, cancellationToken: cancellationToken);
                    OutputFile.Write(result, output);
                    done++;
                    log.Append(Record("done") with { Output = item.Output, Seconds = Math.Round((clock.Elapsed - started).TotalSeconds, 4) });
                }
                catch (Exception e) when (!(e is OperationCanceledException && cancellationToken.IsCancellationRequested))
                {
                    var failure = new BatchFailure(item, Reason(e));
                    failures.Add(failure);
                    log.Append(Record("failed") with { Output = item.Output, Content = item.Content, Reason = failure.Reason });
                }
                NativeHeap.Trim(); // photos of different sizes fragment glibc's heap: without it RSS grew 250 MB in 1000 items
            }
        }
        finally
        {
            log.Append(Record("end") with
            {
                Done = done, Failed = failures.Count, Skipped = skipped, Seconds = Math.Round(clock.Elapsed.TotalSeconds, 3),
                Cancelled = cancellationToken.IsCancellationRequested ? true : null,
            });
        }
        progress?.Report(new BatchProgress(done, failures.Count, skipped, items.Count, null, clock.Elapsed));
        return new BatchSummary(shard, items.Count, done, skipped, failures, clock.Elapsed);
    }

    /// <summary>How an item's images load (photo and styles alike).</summary>
    public static Resize SizeOf(BatchItem item) => item.Size is int s ? Resize.LongestSide(s) : Resize.None;

    static ImageLoadOptions Loading(BatchItem item) => new() { Size = SizeOf(item) };

    /// <summary>One model per method, and per network for a method whose style is in its weights.</summary>
    static string ModelKey(BatchItem item) => item.Method == "fast" ? $"fast\n{item.Styles[0]}" : item.Method;

    static string StylesKey(BatchItem item) => string.Join('\n', item.Styles) + "\n" + item.Size;

    /// <summary>The first line of the error (libtorch appends a C++ backtrace), with the exception's kind.</summary>
    static string Reason(Exception e)
    {
        var error = e is AggregateException { InnerExceptions.Count: 1 } a ? a.InnerException! : e;
        string message = error.Message.Split('\n', 2)[0].Trim();
        return error is ImageFileException image ? $"{image.Problem}: {message}" : $"{error.GetType().Name}: {message}";
    }

    /// <summary>The model of the current group; the previous one is disposed when the group changes. A model that failed to load fails its items without retrying.</summary>
    sealed class ModelCache(BatchRunOptions options, Device device) : IDisposable
    {
        string? _key;
        IStyleTransfer? _model;
        Exception? _error;

        public IStyleTransfer Get(BatchItem item)
        {
            string key = ModelKey(item);
            if (key != _key)
            {
                Dispose();
                _key = key;
                try
                {
                    var weights = options.Weights.TryGetValue(item.Method, out var w) ? new Dictionary<string, string>(w) : new Dictionary<string, string>();
                    if (item.Method == "fast") weights["style"] = item.Styles[0];
                    _model = StyleTransferFactory.Create(item.Method, weights, device, options.Download);
                }
                catch (Exception e) { _error = e; }
            }
            if (_error is not null) throw new InvalidOperationException($"{item.Method} could not be loaded: {_error.Message.Split('\n', 2)[0]}", _error);
            return _model!;
        }

        public void Dispose()
        {
            _model?.Dispose();
            (_model, _error) = (null, null);
        }
    }

    /// <summary>The current group's style images, decoded once at the items' size.</summary>
    sealed class StyleCache(Device device) : IDisposable
    {
        string? _key;
        List<Tensor> _styles = [];

        public IReadOnlyList<Tensor> Get(BatchItem item, bool inWeights)
        {
            if (inWeights) return [];
            string key = StylesKey(item);
            if (key != _key)
            {
                Dispose();
                var loaded = new List<Tensor>();
                try { foreach (var s in item.Styles) loaded.Add(ImageIO.Load(s, Loading(item), device)); }
                catch { foreach (var t in loaded) t.Dispose(); throw; }   // a bad style fails its items, each retrying
                (_styles, _key) = (loaded, key);
            }
            return _styles;
        }

        public void Dispose()
        {
            foreach (var s in _styles) s.Dispose();
            (_styles, _key) = ([], null);
        }
    }
}
