using System.Text.Json.Serialization;

namespace StyleLab.Weights;

/// <summary>The container a weight file is published in.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<WeightFormat>))]
public enum WeightFormat
{
    /// <summary>safetensors: a JSON header and raw tensors.</summary>
    [JsonStringEnumMemberName("safetensors")] SafeTensors,
    /// <summary>PyTorch ≥ 1.6 <c>torch.save</c>: a zip archive with a pickle and tensor records.</summary>
    [JsonStringEnumMemberName("pth")] Pth,
    /// <summary>PyTorch &lt; 1.6 <c>torch.save</c>: pickles and raw storages in one stream.</summary>
    [JsonStringEnumMemberName("pth-legacy")] PthLegacy,
    /// <summary>Lua Torch 7 serialisation.</summary>
    [JsonStringEnumMemberName("t7")] T7,
    /// <summary>TensorFlow.js / deeplearn.js: a JSON manifest with raw float32 shards beside it.</summary>
    [JsonStringEnumMemberName("tfjs")] TfJs,
    /// <summary>A TensorFlow Lite flatbuffer.</summary>
    [JsonStringEnumMemberName("tflite")] TfLite,
}
