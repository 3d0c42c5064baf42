namespace StyleLab.Tests;

/// <summary>Where tests find committed fixtures and the optional ../shared assets.</summary>
public static class TestPaths
{
    public static string Fixture(params string[] parts) =>
        Path.Combine([AppContext.BaseDirectory, "Fixtures", .. parts]);

    /// <summary>../shared next to the repository (or STYLELAB_SHARED), or null where it is absent.</summary>
    public static string? Shared
    {
        get
        {
            var env = Environment.GetEnvironmentVariable("STYLELAB_SHARED");
            if (!string.IsNullOrEmpty(env) && Directory.Exists(env)) return env;
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "StyleLab.slnx")))
                {
                    var shared = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared"));
                    return Directory.Exists(shared) ? shared : null;
                }
            }
            return null;
        }
    }

    /// <summary>The partial ImageNet VGG-19 in ../shared, or null.</summary>
    public static string? SharedVgg => Shared is { } s
        ? Existing(Path.Combine(s, "weights", "vgg19-imagenet-caffe-partial", "vgg19-imagenet-caffe-conv1_1-conv3_4.safetensors"))
        : null;

    /// <summary>../shared/weights (a weights root, as STYLELAB_WEIGHTS would name it), or null.</summary>
    public static string? SharedWeights => Shared is { } s && Directory.Exists(Path.Combine(s, "weights"))
        ? Path.Combine(s, "weights")
        : null;

    /// <summary>One of the nine ml5 fast-style checkpoint folders in ../shared, or null.</summary>
    public static string? SharedFastStyle(string style) => SharedWeights is { } w
        ? (Directory.Exists(Path.Combine(w, "fast-style-ml5", style)) ? Path.Combine(w, "fast-style-ml5", style) : null)
        : null;

    static string? Existing(string path) => File.Exists(path) ? path : null;

    public static string TempFile(string extension) =>
        Path.Combine(Path.GetTempPath(), $"stylelab-test-{Guid.NewGuid():N}{extension}");
}
