using System.Runtime.CompilerServices;

namespace StyleLab.Tests;

/// <summary>
/// Points StyleLab at ../shared's weights and images when the environment does not, so a plain
/// `dotnet test` in a checkout next to ../shared sees what CI (`.ci/run`) sees.
/// </summary>
static class SharedEnvironment
{
    [ModuleInitializer]
    internal static void Initialize()
    {
        if (TestPaths.Shared is not { } shared) return;
        SetIfUnset("STYLELAB_WEIGHTS", Path.Combine(shared, "weights"));
        SetIfUnset("STYLELAB_DATA", Path.Combine(shared, "data"));
    }

    static void SetIfUnset(string name, string folder)
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(name)) && Directory.Exists(folder))
            Environment.SetEnvironmentVariable(name, folder);
    }
}
