using StyleLab.Fuzz;

namespace StyleLab.Tests.HostileInput;

/// <summary>
/// Every input the fuzzer (tools/fuzz/run.sh) ever found, replayed through the same targets: each must now be
/// read, or refused with its reader's own exception (<see cref="FuzzTargets.Run"/> lets nothing else through).
/// A new finding goes into Fixtures/fuzz/&lt;target&gt;/ and is covered from then on.
/// </summary>
[Trait("Category", "HostileInput")]
public class FuzzFindingTests
{
    static string Folder => TestPaths.Fixture("fuzz");

    public static TheoryData<string, string> Findings
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach (var target in Directory.EnumerateDirectories(Folder).Order(StringComparer.Ordinal))
                foreach (var file in Directory.EnumerateFiles(target).Order(StringComparer.Ordinal))
                    data.Add(Path.GetFileName(target), Path.GetFileName(file));
            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Findings))]
    public void A_fuzzer_finding_is_read_or_refused_in_its_readers_words(string target, string file)
    {
        Assert.Contains(target, FuzzTargets.All.Keys);
        var read = Task.Run(() => FuzzTargets.Run(target, File.ReadAllBytes(Path.Combine(Folder, target, file))));
        Assert.True(read.Wait(TimeSpan.FromSeconds(30)), $"{target}/{file} took more than 30 s");
    }

    [SkippableFact]
    public void The_torch7_target_lets_only_weight_file_errors_through_on_its_seeds_and_their_halves()
    {
        Skip.If(Weights.Torch7.Torch7Files.Folder is null, "../shared/fixtures/torch7 (the t7 seeds) is absent");
        var seeds = Directory.GetFiles(Weights.Torch7.Torch7Files.Folder!, "*.t7");
        Assert.NotEmpty(seeds);
        // FuzzTargets.Run returns (read or refused in the reader's words) or throws what the fuzzer would report.
        foreach (var f in seeds)
        {
            FuzzTargets.Run("t7", File.ReadAllBytes(f));
            FuzzTargets.Run("t7", File.ReadAllBytes(f)[..(int)(new FileInfo(f).Length / 2)]);
        }
        // The seeds (python-torchfile's fixtures) are objects, not nn models with weights, so the state-dict step refuses
        // them all; the reader itself must still parse them, or the target would exercise only the parser's error paths.
        int parsed = seeds.Count(f =>
        {
            try { global::StyleLab.Weights.Torch7Reader.Load(File.ReadAllBytes(f), Path.GetFileName(f)); return true; }
            catch (global::StyleLab.Weights.WeightFileException) { return false; }
        });
        Assert.True(parsed > 0, "the reader parses none of the seeds");
    }

    [Fact]
    public void Every_target_has_a_findings_folder_or_none_was_found() =>
        Assert.All(Directory.EnumerateDirectories(Folder), d => Assert.Contains(Path.GetFileName(d), FuzzTargets.All.Keys));
}
