namespace StyleLab.Weights;

/// <summary>
/// Rewrites any state-dict file StyleLab reads (.pth zip or legacy pickle, Lua Torch .t7, safetensors) as
/// safetensors: a slow or risky format is then read once, and every later load is a plain data read.
/// </summary>
public static class WeightConversion
{
    /// <summary>
    /// Writes <paramref name="input"/>'s tensors (keys as StyleLab's loaders expect: a .t7 module tree gets
    /// PyTorch's sequential keys) to <paramref name="output"/>, keeping any metadata and recording the source
    /// format and file name.
    /// </summary>
    /// <returns>The number of tensors written.</returns>
    /// <exception cref="WeightFileException">The input is unreadable.</exception>
    public static int ToSafeTensors(string input, string output)
    {
        var format = StateDictFile.Detect(input);
        var tensors = StateDictFile.Load(input, out var metadata);
        try
        {
            var meta = new Dictionary<string, string>(metadata)
            {
                ["converted_from"] = Path.GetFileName(input),
                ["source_format"] = format is { } f ? System.Text.Json.JsonSerializer.Serialize(f).Trim('"') : "unknown",
            };
            var folder = Path.GetDirectoryName(Path.GetFullPath(output));
            if (folder is not null) Directory.CreateDirectory(folder);
            SafeTensors.Save(output, tensors, meta);
            return tensors.Count;
        }
        finally
        {
            foreach (var t in tensors.Values) t.Dispose();
        }
    }
}
