namespace StyleLab.Runtime;

/// <summary>
/// oneDNN's own view of the CPU inside a libtorch build StyleLab knows byte for byte: the data-cache
/// sizes its kernels block for, read and — to work around a detection bug — rewritten in place.
/// </summary>
/// <remarks>
/// oneDNN 3.7.1 (libtorch 2.10) reads the cache sizes on AMD from CPUID leaf <c>0x8000001D</c>
/// without checking that the leaf is valid; VMs that leave it empty make it believe L1 = L2 = L3 = 1
/// byte, and its reorders then drop kernel taps of convolutions with a channel tail
/// (docs/known-issues.md). The sizes live in a function-local static <c>Xbyak::util::Cpu</c>, a
/// local symbol with no export, so this works only for a binary whose GNU build id is in
/// <see cref="KnownBuilds"/>; the address that <c>cpu()</c> returns is checked against the table
/// before anything is written. Any other libtorch gets <c>null</c> from <see cref="TryOpen"/>.
/// </remarks>
sealed unsafe class OneDnnCpu
{
    /// <summary>Offsets inside one libtorch_cpu build (from <c>nm</c>) and the layout of its Xbyak::util::Cpu (g++ x86-64).</summary>
    sealed record Build(string Name, string BuildId, long CpuFunction, long CpuObject, long PerCoreCacheSize,
        int DataCacheSize, int CoresSharing, int DataCacheLevels);

    static readonly Build[] KnownBuilds =
    [
        // libtorch-cpu-linux-x64 2.10.0 (oneDNN v3.7.1): md5 of libtorch_cpu.so 58b9d5f8b2dca7eb18f596cd125c4ddd.
        new("libtorch-cpu-linux-x64 2.10.0 (oneDNN 3.7.1)", "e59a73f8ca02c19463bd923dc568ce765b2a1106",
            CpuFunction: 0xf89b1a0,        // dnnl::impl::cpu::x64::cpu()
            CpuObject: 0x1585b180,         // its static Xbyak::util::Cpu cpu_
            PerCoreCacheSize: 0xfa22b40,   // dnnl::impl::cpu::platform::get_per_core_cache_size(int)
            DataCacheSize: 28, CoresSharing: 68, DataCacheLevels: 108),
    ];

    readonly Build _build;
    readonly uint* _cpu;
    readonly delegate* unmanaged<int, uint> _perCoreCacheSize;

    OneDnnCpu(Build build, nint baseAddress)
    {
        _build = build;
        _cpu = (uint*)(baseAddress + build.CpuObject);
        _perCoreCacheSize = (delegate* unmanaged<int, uint>)(baseAddress + build.PerCoreCacheSize);
    }

    /// <summary>The libtorch build, e.g. "libtorch-cpu-linux-x64 2.10.0 (oneDNN 3.7.1)".</summary>
    public string BuildName => _build.Name;

    /// <summary>
    /// Opens oneDNN's CPU view in the <c>libtorch_cpu</c> mapped into this process, or returns null
    /// (and says why in <paramref name="why"/>) when the binary is not one of <see cref="KnownBuilds"/>.
    /// </summary>
    public static OneDnnCpu? TryOpen(out string why)
    {
        if (!OperatingSystem.IsLinux() || !Environment.Is64BitProcess || System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture != System.Runtime.InteropServices.Architecture.X64)
        {
            why = "not Linux x64";
            return null;
        }
        var (path, start) = MappedLibTorchCpu();
        if (path is null)
        {
            why = "libtorch_cpu.so is not mapped into this process";
            return null;
        }
        string? id = ElfBuildId.TryRead(path, out long firstLoad);
        var build = KnownBuilds.FirstOrDefault(b => b.BuildId == id);
        if (build is null || firstLoad != 0)
        {
            why = $"libtorch_cpu.so build id {id ?? "unreadable"} is not a build StyleLab knows";
            return null;
        }
        nint baseAddress = (nint)start;
        // cpu() constructs the static on first use and returns its address: it must be where the table says.
        var cpuFunction = (delegate* unmanaged<nint>)(baseAddress + build.CpuFunction);
        if (cpuFunction() != baseAddress + build.CpuObject)
        {
            why = "oneDNN's cpu() object is not at the expected address";
            return null;
        }
        why = "";
        return new OneDnnCpu(build, baseAddress);
    }

    /// <summary>The per-core data-cache sizes oneDNN blocks for, L1–L3, in bytes.</summary>
    public (uint L1, uint L2, uint L3) PerCoreCacheSizes => (_perCoreCacheSize(1), _perCoreCacheSize(2), _perCoreCacheSize(3));

    /// <summary>
    /// Makes oneDNN use its built-in guesses (L1 32 KiB, L2 512 KiB, L3 1 MiB per core) by declaring
    /// no detected cache levels — what oneDNN ≥ 3.8 does when the CPUID leaf is empty.
    /// </summary>
    public void UseGuessedCacheSizes() => _cpu[_build.DataCacheLevels / 4] = 0;

    /// <summary>Writes the 1-byte cache sizes an empty CPUID leaf produces: reproduces the bug on any machine.</summary>
    public void SimulateEmptyCacheLeaf()
    {
        _cpu[_build.DataCacheLevels / 4] = 3;
        for (int level = 0; level < 3; level++)
        {
            _cpu[_build.DataCacheSize / 4 + level] = 1;
            _cpu[_build.CoresSharing / 4 + level] = 1;
        }
    }

    /// <summary>The path and load address of the <c>libtorch_cpu</c> mapping that starts at file offset 0.</summary>
    static (string? Path, long Start) MappedLibTorchCpu()
    {
        const string library = "/libtorch_cpu.so";
        string? preferred = TorchRuntime.NativeDirectory is { } dir ? Path.Combine(dir, "libtorch_cpu.so") : null;
        (string? Path, long Start) found = (null, 0);
        foreach (var line in File.ReadLines("/proc/self/maps"))
        {
            if (!line.EndsWith(library, StringComparison.Ordinal)) continue;
            var fields = line.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 6 || fields[2] != "00000000") continue;
            var candidate = (fields[5].Trim(), Convert.ToInt64(fields[0].Split('-')[0], 16));
            if (preferred is null || candidate.Item1 == preferred) return candidate;
            found = found.Path is null ? candidate : found;
        }
        return found;
    }
}
