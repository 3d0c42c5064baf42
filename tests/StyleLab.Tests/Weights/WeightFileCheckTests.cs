using System.Security.Cryptography;
using System.Text;
using StyleLab.Tests.Cli;
using StyleLab.Weights;

namespace StyleLab.Tests.Weights;

/// <summary><c>stylelab weights verify</c>: every file's SHA-256 against the manifest and the <c>.sha256</c> beside it.</summary>
public sealed class WeightFileCheckTests : IDisposable
{
    const string Published = "the published weights";

    readonly string _folder = Directory.CreateTempSubdirectory("stylelab-verify-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    static string Sha(string content) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(content)));

    /// <summary>One entry with a published hash, and two entries published under one name with none.</summary>
    static WeightRegistry Registry() => WeightRegistry.Load(new MemoryStream(Encoding.UTF8.GetBytes($$"""
        { "weights": [
            { "id": "test-net", "file": "test-net.pth", "format": "pth", "licence": "MIT", "sha256": "{{Sha(Published)}}" },
            { "id": "a-vgg", "file": "vgg.pth", "format": "pth", "licence": "MIT" },
            { "id": "b-vgg", "file": "vgg.pth", "format": "pth", "licence": "MIT" } ] }
        """)), "test manifest");

    string Put(string relative, string content)
    {
        string path = Path.Combine(_folder, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return path;
    }

    /// <summary>As <c>sha256sum file &gt; file.sha256</c> writes it.</summary>
    static void RecordSidecar(string path) =>
        File.WriteAllText(path + ".sha256", $"{StyleLab.Assets.ExpectedHash.OfFile(path)}  {Path.GetFileName(path)}\n");

    static void Tamper(string path)
    {
        var bytes = File.ReadAllBytes(path);
        bytes[bytes.Length / 2] ^= 0x01;
        File.WriteAllBytes(path, bytes);
    }

    [Fact]
    public void A_file_with_the_published_hash_is_ok_and_one_flipped_bit_makes_it_a_mismatch()
    {
        string path = Put("test-net.pth", Published);
        var check = WeightFileCheck.Of(path, Registry());
        Assert.Equal(WeightFileOutcome.Ok, check.Outcome);
        Assert.Equal("test-net", check.Manifest!.Entry.Id);
        Tamper(path);
        var tampered = WeightFileCheck.Of(path, Registry());
        Assert.Equal(WeightFileOutcome.Mismatch, tampered.Outcome);
        Assert.Equal(WeightVerdict.Mismatch, tampered.Manifest!.Verdict);
    }

    [Fact]
    public void A_renamed_copy_is_found_in_the_manifest_by_its_hash()
    {
        var check = WeightFileCheck.Of(Put("downloads/weights (1).bin", Published), Registry());
        Assert.Equal("test-net", check.Manifest!.Entry.Id);
        Assert.Equal(WeightVerdict.Verified, check.Manifest.Verdict);
    }

    [Fact]
    public void The_sha256_file_beside_a_file_the_manifest_has_no_hash_for_decides()
    {
        string path = Put("a-vgg/vgg.pth", "converted by hand");
        var unrecorded = WeightFileCheck.Of(path, Registry());
        Assert.Equal(WeightFileOutcome.Unknown, unrecorded.Outcome);
        Assert.Equal("a-vgg", unrecorded.Manifest!.Entry.Id);   // the id folder settles which vgg.pth it is
        Assert.Null(unrecorded.SidecarMatches);

        RecordSidecar(path);
        Assert.Equal(WeightFileOutcome.Ok, WeightFileCheck.Of(path, Registry()).Outcome);
        Tamper(path);
        var tampered = WeightFileCheck.Of(path, Registry());
        Assert.Equal(WeightFileOutcome.Mismatch, tampered.Outcome);
        Assert.False(tampered.SidecarMatches);
    }

    [Fact]
    public void A_name_several_entries_share_without_a_hash_lists_them_as_candidates()
    {
        var check = WeightFileCheck.Of(Put("elsewhere/vgg.pth", "something"), Registry());
        Assert.Null(check.Manifest);
        Assert.Equal(["a-vgg", "b-vgg"], check.NameCandidates);
        Assert.Equal(WeightFileOutcome.Unknown, check.Outcome);
    }

    [Fact]
    public void A_sha256_file_that_holds_no_hash_is_a_mismatch_not_a_pass()
    {
        string path = Put("x.pth", "data");
        File.WriteAllText(path + ".sha256", "TODO\n");
        var check = WeightFileCheck.Of(path, Registry());
        Assert.Equal(WeightFileOutcome.Mismatch, check.Outcome);
        Assert.StartsWith("unreadable", check.Sidecar);
    }

    [Fact]
    public void Files_under_a_folder_leave_out_records_text_and_the_root_manifest_but_keep_model_manifests()
    {
        Put("README.md", "#");
        Put("manifest.json", "{}");
        Put("x.pth", "data");
        Put("x.pth.sha256", "0");
        Put("wave/manifest.json", "[]");
        Put("wave/group1-shard1of1", "w");
        var files = WeightFileCheck.FilesUnder(_folder).Select(f => Path.GetRelativePath(_folder, f)).ToList();
        Assert.Equal(["wave/group1-shard1of1", "wave/manifest.json", "x.pth"], files);
    }

    [Fact]
    public async Task The_command_reports_each_file_and_exits_1_on_a_tampered_one()
    {
        string good = Put("cache/my-model.safetensors", "not the real file");
        RecordSidecar(good);
        string other = Put("cache/notes/extra.bin", "unrecorded");
        var run = await CliRun.InvokeAsync("weights", "verify", Path.Combine(_folder, "cache"));
        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains("2 files: 1 ok, 0 mismatched, 1 with no recorded hash", run.Output);

        Tamper(good);
        var tampered = await CliRun.InvokeAsync("weights", "verify", good, other);
        Assert.Equal(1, tampered.ExitCode);
        Assert.Contains("MISMATCH", tampered.Output);
        Assert.Single(tampered.ErrorLines);
        Assert.Contains("my-model.safetensors", tampered.Error);
    }

    [Fact]
    public async Task A_target_that_is_no_id_file_or_folder_is_a_usage_error()
    {
        var run = await CliRun.InvokeAsync("weights", "verify", Path.Combine(_folder, "missing.pth"));
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("missing.pth", run.Error);
    }
}
