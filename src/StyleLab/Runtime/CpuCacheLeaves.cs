using System.Runtime.Intrinsics.X86;
using System.Text;

namespace StyleLab.Runtime;

/// <summary>
/// What the CPU's cache-describing CPUID leaves say: the facts behind oneDNN 3.7.1's misreading
/// (docs/known-issues.md), shown by <c>stylelab info</c>.
/// </summary>
/// <param name="Vendor">"AuthenticAMD", "GenuineIntel", … or "not x86".</param>
/// <param name="TopologyExtensions">AMD's TOPOEXT bit (CPUID 0x80000001 ECX[22]): leaf 0x8000001D is valid only with it.</param>
/// <param name="CacheLeafEmpty">Leaf 0x8000001D sub-leaf 0 reads as zeros: what oneDNN 3.7.1 turns into 1-byte caches.</param>
/// <param name="L1DataKiB">L1 data cache per core from the legacy leaf 0x80000005 (AMD), 0 when unknown.</param>
/// <param name="L2KiB">L2 per core from the legacy leaf 0x80000006 (AMD), 0 when unknown.</param>
public sealed record CpuCacheLeaves(string Vendor, bool TopologyExtensions, bool CacheLeafEmpty, int L1DataKiB, int L2KiB)
{
    /// <summary>Reads this CPU's leaves.</summary>
    public static CpuCacheLeaves Read()
    {
        if (!X86Base.IsSupported) return new("not x86", false, false, 0, 0);
        var (_, b, c, d) = X86Base.CpuId(0, 0);
        var vendor = new StringBuilder(12);
        foreach (int word in new[] { b, d, c })
            for (int i = 0; i < 4; i++) vendor.Append((char)((word >> (8 * i)) & 0xff));
        int maxExtended = X86Base.CpuId(unchecked((int)0x80000000), 0).Eax;
        bool Has(uint leaf) => (uint)maxExtended >= leaf;
        bool topoext = Has(0x80000001) && (X86Base.CpuId(unchecked((int)0x80000001), 0).Ecx & (1 << 22)) != 0;
        bool leafEmpty = Has(0x8000001D) && X86Base.CpuId(unchecked((int)0x8000001D), 0) is (0, 0, 0, 0);
        int l1 = Has(0x80000005) ? (int)((uint)X86Base.CpuId(unchecked((int)0x80000005), 0).Ecx >> 24) : 0;
        int l2 = Has(0x80000006) ? (int)((uint)X86Base.CpuId(unchecked((int)0x80000006), 0).Ecx >> 16) : 0;
        return new(vendor.ToString(), topoext, leafEmpty, l1, l2);
    }

    public override string ToString() => Vendor == "not x86" ? Vendor
        : $"{Vendor}; TOPOEXT {(TopologyExtensions ? "set" : "clear")}, CPUID 0x8000001D {(CacheLeafEmpty ? "empty" : "filled")}" +
          (L1DataKiB > 0 ? $"; legacy leaves: L1d {L1DataKiB} KiB, L2 {L2KiB} KiB per core" : "");
}
