using System.Diagnostics;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Security;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace StyleLab.Kernel;

/// <summary>What one restore produced: a folder with the packages' assemblies and natives, flat.</summary>
/// <param name="Assemblies">The managed assemblies in it (the packages' and their dependencies').</param>
/// <param name="Versions">Every package of the graph and the version restored.</param>
/// <param name="FromCache">Whether an earlier restore of the same request was reused.</param>
internal sealed record RestoredPackages(IReadOnlyList<string> Assemblies, IReadOnlyDictionary<string, string> Versions, bool FromCache);

/// <summary>
/// Restores packages with the .NET SDK, as a project would: a throwaway project that references them is
/// published for this machine's runtime identifier, which resolves the dependency graph and puts the
/// runtime-specific assets (natives included) flat in one folder, and runs the packages' build logic
/// (StyleLab's own native handling among it).
/// </summary>
/// <remarks>
/// Restores of pinned versions are kept in <see cref="CacheRoot"/> and reused by later kernels; an
/// unpinned request (<c>#r "nuget: Name"</c>, or a <c>*</c> version) is restored again in each kernel.
/// </remarks>
internal static class PackageRestore
{
    const string ProjectName = "StyleLabKernelPackages";
    const string Marker = "restored.json";

    /// <summary><c>STYLELAB_PACKAGE_CACHE</c>, else <c>$XDG_CACHE_HOME/stylelab/packages</c> (<c>~/.cache/…</c>).</summary>
    public static string CacheRoot =>
        Environment.GetEnvironmentVariable("STYLELAB_PACKAGE_CACHE") is { Length: > 0 } custom ? custom
        : Path.Combine(Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } xdg ? xdg
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache"), "stylelab", "packages");

    /// <summary>The runtime identifier the packages are restored for: this process's OS and architecture.</summary>
    static string RuntimeId =>
        (OperatingSystem.IsWindows() ? "win" : OperatingSystem.IsMacOS() ? "osx" : "linux") + "-" +
        RuntimeInformation.OSArchitecture.ToString().ToLowerInvariant();

    /// <exception cref="InvalidOperationException">The SDK could not restore them; the message has its errors.</exception>
    public static RestoredPackages Run(IReadOnlyList<PackageRequest> packages, IReadOnlyList<string> sources,
        IProgress<string> progress, CancellationToken cancellationToken)
    {
        string what = string.Join(", ", packages);
        bool pinned = packages.All(p => p.Version is { } v && !v.Contains('*'));
        string folder = Path.Combine(CacheRoot, Key(packages, sources));
        string output = Path.Combine(folder, "out");
        string marker = Path.Combine(folder, Marker);
        if (pinned && File.Exists(marker) && Read(marker) is { } cached)
        {
            progress.Report($"{what}: restored before, reused from {folder}");
            return cached;
        }

        var clock = Stopwatch.StartNew();
        progress.Report($"Restoring {what} with the .NET SDK…");
        if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        Directory.CreateDirectory(folder);
        string project = WriteProject(folder, packages, sources);
        Publish(project, output, what, cancellationToken);

        var versions = Versions(Path.Combine(folder, "obj", "project.assets.json"));
        var restored = new RestoredPackages(ManagedAssemblies(output), versions, FromCache: false);
        File.WriteAllText(marker, JsonSerializer.Serialize(new JsonObject
        {
            ["assemblies"] = new JsonArray([.. restored.Assemblies.Select(a => (JsonNode)a)]),
            ["versions"] = new JsonObject(versions.Select(v => KeyValuePair.Create(v.Key, (JsonNode?)v.Value))),
        }));
        string resolved = string.Join(", ", packages.Select(p => $"{p.Name} {versions.GetValueOrDefault(p.Name, "?")}"));
        progress.Report($"Restored {resolved} ({versions.Count} package(s), {restored.Assemblies.Count} assemblies) in {clock.Elapsed.TotalSeconds:0.0} s");
        return restored;
    }

    /// <summary>The cache folder's name: the same request on the same runtime restores into the same folder.</summary>
    static string Key(IReadOnlyList<PackageRequest> packages, IReadOnlyList<string> sources)
    {
        string request = string.Join("\n", [$"net{Environment.Version.Major}.0 {RuntimeId}",
            .. packages.Select(p => $"{p.Name.ToLowerInvariant()} {p.Version ?? "*"}").Order(StringComparer.Ordinal), .. sources]);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(request)))[..16];
    }

    static string WriteProject(string folder, IReadOnlyList<PackageRequest> packages, IReadOnlyList<string> sources)
    {
        // Empty Directory.Build.* files stop MSBuild from picking up a parent folder's.
        File.WriteAllText(Path.Combine(folder, "Directory.Build.props"), "<Project />\n");
        File.WriteAllText(Path.Combine(folder, "Directory.Build.targets"), "<Project />\n");
        File.WriteAllText(Path.Combine(folder, "Directory.Packages.props"), "<Project />\n");
        var references = packages.Select(p =>
            $"    <PackageReference Include=\"{SecurityElement.Escape(p.Name)}\" Version=\"{SecurityElement.Escape(p.Version ?? "*")}\" />");
        string project = Path.Combine(folder, ProjectName + ".csproj");
        File.WriteAllText(project, $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <!-- Written by StyleLab's kernel for #r "nuget: …"; published to collect the packages' assets. -->
              <PropertyGroup>
                <TargetFramework>net{Environment.Version.Major}.0</TargetFramework>
                <RuntimeIdentifier>{RuntimeId}</RuntimeIdentifier>
                <SelfContained>false</SelfContained>
                <EnableDefaultCompileItems>false</EnableDefaultCompileItems>
                <ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally>
                <RestoreAdditionalProjectSources>{SecurityElement.Escape(string.Join(';', sources))}</RestoreAdditionalProjectSources>
              </PropertyGroup>
              <ItemGroup>
            {string.Join("\n", references)}
              </ItemGroup>
            </Project>

            """);
        return project;
    }

    static void Publish(string project, string output, string what, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(DotnetHost())
        {
            WorkingDirectory = Path.GetDirectoryName(project)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            // No build servers: they would outlive the restore and hold its output pipes open.
            ArgumentList = { "publish", project, "-c", "Release", "-o", output, "--nologo", "-v", "quiet", "--disable-build-servers" },
        };
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {start.FileName}");
        using var kill = cancellationToken.Register(() => { try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { } });
        var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
        string stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        cancellationToken.ThrowIfCancellationRequested();
        if (process.ExitCode == 0) return;

        var lines = (stdout + "\n" + stderr.Result).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var errors = lines.Where(l => l.Contains(" error ", StringComparison.Ordinal) || l.StartsWith("error", StringComparison.Ordinal))
            .Select(l => l.Replace(project, ProjectName, StringComparison.Ordinal)).Distinct().Take(10).ToList();
        throw new InvalidOperationException(
            $"#r \"nuget: {what}\": the .NET SDK could not restore it (dotnet publish exited with {process.ExitCode}):\n" +
            string.Join("\n", errors.Count > 0 ? errors : lines.TakeLast(15)));
    }

    /// <summary>The <c>dotnet</c> that runs this kernel (its SDK restores), else the one on PATH.</summary>
    static string DotnetHost()
    {
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host)) return host;
        // <dotnet>/shared/Microsoft.NETCore.App/<version>/System.Private.CoreLib.dll
        var root = Directory.GetParent(Path.GetDirectoryName(typeof(object).Assembly.Location)!)?.Parent?.Parent;
        string candidate = Path.Combine(root?.FullName ?? "", OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet");
        return File.Exists(candidate) ? candidate : "dotnet";
    }

    static Dictionary<string, string> Versions(string assetsFile)
    {
        var assets = JsonNode.Parse(File.ReadAllText(assetsFile))!;
        var versions = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, library) in assets["libraries"]!.AsObject())
            if ((string?)library?["type"] == "package" && key.Split('/') is [var name, var version]) versions[name] = version;
        return versions;
    }

    static List<string> ManagedAssemblies(string folder) =>
        [.. Directory.EnumerateFiles(folder, "*.dll")
            .Where(f => Path.GetFileNameWithoutExtension(f) != ProjectName && IsManaged(f))
            .Order(StringComparer.Ordinal)];

    static bool IsManaged(string file)
    {
        try { AssemblyName.GetAssemblyName(file); return true; }
        catch (BadImageFormatException) { return false; }
    }

    static RestoredPackages? Read(string marker)
    {
        var json = JsonNode.Parse(File.ReadAllText(marker))!;
        var assemblies = json["assemblies"]!.AsArray().Select(a => (string)a!).ToList();
        if (!assemblies.All(File.Exists)) return null;
        var versions = json["versions"]!.AsObject().ToDictionary(v => v.Key, v => (string)v.Value!, StringComparer.OrdinalIgnoreCase);
        return new RestoredPackages(assemblies, versions, FromCache: true);
    }
}
