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

    [Fact]
    public void Every_target_has_a_findings_folder_or_none_was_found() =>
        Assert.All(Directory.EnumerateDirectories(Folder), d => Assert.Contains(Path.GetFileName(d), FuzzTargets.All.Keys));
}
