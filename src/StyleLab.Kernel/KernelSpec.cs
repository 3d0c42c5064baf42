using System.Text.Json;
using System.Text.Json.Nodes;

namespace StyleLab.Kernel;

/// <summary>Writes the kernelspecs that let Jupyter start this kernel: "C# (StyleLab)", or the plain "C#".</summary>
public static class KernelSpec
{
    /// <summary>The kernelspec's folder name, which is also what <c>--kernel stylelab-csharp</c> refers to.</summary>
    public const string Name = "stylelab-csharp";

    /// <summary>The plain kernel's kernelspec name (<see cref="KernelFlavour.Plain"/>).</summary>
    public const string PlainName = "stylelab-csharp-plain";

    /// <summary>The kernelspec name of <paramref name="flavour"/>.</summary>
    public static string NameOf(KernelFlavour flavour) => flavour == KernelFlavour.Plain ? PlainName : Name;

    /// <summary>
    /// Installs <c>kernel.json</c> into <c>&lt;prefix&gt;/share/jupyter/kernels/stylelab-csharp</c> (or
    /// <c>…/stylelab-csharp-plain</c> for the plain kernel), or into
    /// the user's Jupyter data folder when <paramref name="prefix"/> is null. Returns the folder.
    /// </summary>
    /// <param name="prefix">An environment prefix (like <c>jupyter kernelspec install --prefix</c>); null for the user folder.</param>
    /// <param name="command">
    /// How to start the kernel, before <c>-f {connection_file}</c>; null for this kernel's own
    /// executable (or <c>dotnet StyleLab.Kernel.dll</c> when there is no apphost).
    /// </param>
    /// <param name="flavour">The StyleLab kernel or the plain C# one.</param>
    public static string Install(string? prefix = null, IReadOnlyList<string>? command = null, KernelFlavour flavour = KernelFlavour.StyleLab)
    {
        string directory = Path.Combine(prefix is null ? UserDataDirectory() : Path.Combine(prefix, "share", "jupyter"), "kernels", NameOf(flavour));
        Directory.CreateDirectory(directory);
        var json = Json(command ?? DefaultCommand(), flavour);
        File.WriteAllText(Path.Combine(directory, "kernel.json"),
            json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
        return directory;
    }

    /// <summary>The kernel.json content for a kernel started by <paramref name="command"/>.</summary>
    public static JsonObject Json(IReadOnlyList<string> command, KernelFlavour flavour = KernelFlavour.StyleLab) => new()
    {
        ["argv"] = new JsonArray([.. command.Select(c => (JsonNode)c), .. flavour == KernelFlavour.Plain ? ["--plain"] : Array.Empty<JsonNode>(),
            "-f", "{connection_file}"]),
        ["display_name"] = flavour == KernelFlavour.Plain ? "C#" : "C# (StyleLab)",
        ["language"] = "csharp",
        ["interrupt_mode"] = "message",
        // Compiling cells allocates natively on many pool threads; glibc gives each its own 64 MB arena,
        // which stayed resident (measured: +300 MB RSS within 100 cells). Two arenas keep that flat.
        // Every cell is a new assembly: tiered compilation gave each method call-counting stubs and a second,
        // optimised copy of its code, ~50 KB of executable memory per cell. JIT-ing once, optimised, cut 1000 small
        // cells from +98 to +57 MB RSS and 28–36 to 19–22 ms per cell (docs/kernel.md).
        ["env"] = new JsonObject { ["MALLOC_ARENA_MAX"] = "2", ["DOTNET_TieredCompilation"] = "0" },
        ["metadata"] = new JsonObject { ["debugger"] = false },
    };

    /// <summary>This kernel's apphost if it was built with one, else <c>dotnet</c> and its dll.</summary>
    public static IReadOnlyList<string> DefaultCommand()
    {
        string dll = typeof(KernelSpec).Assembly.Location;
        string apphost = Path.ChangeExtension(dll, OperatingSystem.IsWindows() ? ".exe" : null);
        if (File.Exists(apphost)) return [apphost];
        return [Environment.ProcessPath is { } host && Path.GetFileNameWithoutExtension(host) == "dotnet" ? host : "dotnet", dll];
    }

    /// <summary>Where <c>jupyter kernelspec list</c> looks for per-user kernels.</summary>
    public static string UserDataDirectory()
    {
        if (Environment.GetEnvironmentVariable("JUPYTER_DATA_DIR") is { Length: > 0 } custom) return custom;
        string home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        if (OperatingSystem.IsWindows()) return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.ApplicationData), "jupyter");
        if (OperatingSystem.IsMacOS()) return Path.Combine(home, "Library", "Jupyter");
        string dataHome = Environment.GetEnvironmentVariable("XDG_DATA_HOME") is { Length: > 0 } xdg ? xdg : Path.Combine(home, ".local", "share");
        return Path.Combine(dataHome, "jupyter");
    }
}
