using System.Text.Json;
using StyleLab.Weights;
using TorchSharp;
using static TorchSharp.torch;

namespace StyleLab.Training;

/// <summary>
/// Everything needed to continue a training run exactly where it stopped: the model's state dict,
/// the optimiser's state, the step, libtorch's random state, the data stream's place and the loss
/// history. Saved as one safetensors file (tensors + string metadata).
/// </summary>
/// <param name="Step">Steps completed.</param>
/// <param name="Model">The model's state dict (official names; stored under <c>model.</c>).</param>
/// <param name="Optimizer">The optimiser's state in TorchSharp's own binary form (<c>save_state_dict</c>).</param>
/// <param name="TorchRng">libtorch's CPU generator state (<c>torch.random.get_rng_state()</c>).</param>
/// <param name="Data">Where the batch stream is.</param>
/// <param name="Losses">The loss terms of every step so far.</param>
public sealed record Checkpoint(
    int Step,
    IReadOnlyDictionary<string, Tensor> Model,
    byte[] Optimizer,
    Tensor TorchRng,
    BatchPosition Data,
    IReadOnlyList<LossRecord> Losses) : IDisposable
{
    const string Format = "stylelab.training-checkpoint/1";
    const string ModelPrefix = "model.";

    /// <summary>
    /// Writes the checkpoint to <paramref name="path"/> atomically: the bytes go to
    /// <c>path.tmp</c>, are flushed to disk, and only then replace <paramref name="path"/>, so a
    /// crash or kill during the save leaves the previous checkpoint intact.
    /// </summary>
    public void Save(string path)
    {
        var tensors = Model.ToDictionary(kv => ModelPrefix + kv.Key, kv => kv.Value);
        using var optimizer = tensor(Optimizer, ScalarType.Byte);
        tensors["optimizer"] = optimizer;
        tensors["rng.torch"] = TorchRng;
        var metadata = new Dictionary<string, string>
        {
            ["format"] = Format,
            ["step"] = Step.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["data"] = JsonSerializer.Serialize(Data),
            ["losses"] = JsonSerializer.Serialize(Losses),
        };
        var folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is not null) Directory.CreateDirectory(folder);
        SafeTensors.Save(path, tensors, metadata); // temp file, flush to disk, File.Move
    }

    /// <summary>Reads a checkpoint written by <see cref="Save"/> (CPU tensors).</summary>
    /// <exception cref="WeightFileException">The file is missing, truncated, or not a training checkpoint.</exception>
    public static Checkpoint Load(string path)
    {
        var tensors = SafeTensors.Load(path, out var metadata);
        try
        {
            if (!metadata.TryGetValue("format", out var format) || format != Format)
                throw new WeightFileException(path, $"not a StyleLab training checkpoint (expected format '{Format}').");
            NonFiniteValues.ThrowIfAny(tensors, path);
            var model = tensors.Where(kv => kv.Key.StartsWith(ModelPrefix, StringComparison.Ordinal))
                .ToDictionary(kv => kv.Key[ModelPrefix.Length..], kv => kv.Value);
            using var optimizer = tensors["optimizer"];
            var rng = tensors["rng.torch"];
            int step = int.Parse(metadata["step"], System.Globalization.CultureInfo.InvariantCulture);
            var data = JsonSerializer.Deserialize<BatchPosition>(metadata["data"]);
            // Checked here because libtorch aborts the process (no exception) on a malformed generator state.
            if (rng.dtype != ScalarType.Byte || rng.dim() != 1)
                throw new WeightFileException(path, $"tensor 'rng.torch' is {Describe(rng)}; a generator state is a 1-D uint8 tensor.");
            if (optimizer.dtype != ScalarType.Byte || optimizer.dim() != 1)
                throw new WeightFileException(path, $"tensor 'optimizer' is {Describe(optimizer)}; the optimiser state is a 1-D uint8 tensor.");
            if (step < 0 || data.Epoch < 0 || data.Index < 0)
                throw new WeightFileException(path, $"training checkpoint has a negative step ({step}) or data position ({data.Epoch}, {data.Index}).");
            return new Checkpoint(
                step,
                model,
                optimizer.bytes.ToArray(),
                rng,
                data,
                JsonSerializer.Deserialize<LossRecord[]>(metadata["losses"]) ?? []);
        }
        catch (Exception e) when (e is KeyNotFoundException or JsonException or FormatException or OverflowException or WeightFileException)
        {
            foreach (var t in tensors.Values) t.Dispose();
            if (e is WeightFileException) throw;
            throw new WeightFileException(path, $"training checkpoint is incomplete or malformed ({e.Message}).", e);
        }
    }

    /// <summary>
    /// Checks that this checkpoint was written by the run it is to resume, before any of it reaches libtorch:
    /// the same model tensors (names, shapes, dtypes), a generator state of the size libtorch's
    /// (<paramref name="rng"/>: the current one) and an optimiser state of the expected length. A mismatch in
    /// any would otherwise abort the process inside libtorch, or load wrong numbers.
    /// </summary>
    /// <exception cref="WeightFileException">Something does not match; the message names the file and the tensor.</exception>
    public void Validate(string path, IReadOnlyDictionary<string, Tensor> model, Tensor rng, long optimizerBytes)
    {
        // Keys the model does not hold yet are its own to check: state it creates during training (CAST's stored
        // negative crops) is in a checkpoint but not in a fresh model.
        var missing = model.Keys.Where(k => !Model.ContainsKey(k)).ToList();
        if (missing.Count > 0)
            throw new WeightFileException(path, "the checkpoint is of another model: " +
                $"it lacks {string.Join(", ", missing.Take(4))}{(missing.Count > 4 ? ", …" : "")}.");
        foreach (var (key, own) in model)
        {
            var stored = Model[key];
            if (!stored.shape.SequenceEqual(own.shape) || stored.dtype != own.dtype)
                throw new WeightFileException(path, $"tensor 'model.{key}' is {Describe(stored)}; this model's is {Describe(own)}.");
        }
        if (!TorchRng.shape.SequenceEqual(rng.shape) || TorchRng.dtype != rng.dtype)
            throw new WeightFileException(path, $"tensor 'rng.torch' is {Describe(TorchRng)}; libtorch's generator state is {Describe(rng)}.");
        if (Optimizer.LongLength != optimizerBytes)
            throw new WeightFileException(path,
                $"the optimiser state has {Optimizer.LongLength} bytes; this run's optimisers save {optimizerBytes} (another model or optimiser setting?).");
    }

    static string Describe(Tensor t) => $"{t.dtype} [{string.Join(",", t.shape)}]";

    /// <summary>Disposes the tensors (model and random state).</summary>
    public void Dispose()
    {
        foreach (var t in Model.Values) t.Dispose();
        TorchRng.Dispose();
    }
}
