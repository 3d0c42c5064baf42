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
            return new Checkpoint(
                int.Parse(metadata["step"], System.Globalization.CultureInfo.InvariantCulture),
                model,
                optimizer.bytes.ToArray(),
                tensors["rng.torch"],
                JsonSerializer.Deserialize<BatchPosition>(metadata["data"]),
                JsonSerializer.Deserialize<LossRecord[]>(metadata["losses"]) ?? []);
        }
        catch (WeightFileException)
        {
            foreach (var t in tensors.Values) t.Dispose();
            throw;
        }
        catch (Exception e) when (e is KeyNotFoundException or JsonException or FormatException)
        {
            foreach (var t in tensors.Values) t.Dispose();
            throw new WeightFileException(path, $"training checkpoint is incomplete or malformed ({e.Message}).", e);
        }
    }

    /// <summary>Disposes the tensors (model and random state).</summary>
    public void Dispose()
    {
        foreach (var t in Model.Values) t.Dispose();
        TorchRng.Dispose();
    }
}
