using StyleLab.Imaging;
using static TorchSharp.torch;

namespace StyleLab.Tests.Cli;

public sealed class CliBatchTests : IDisposable
{
    readonly string _folder = Directory.CreateTempSubdirectory("stylelab-cli-batch-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    string In(params string[] parts) => Path.Combine([_folder, .. parts]);

    [SkippableFact]
    public async Task Plan_run_in_two_shards_and_status_add_up_and_a_corrupt_photo_fails_the_run()
    {
        Skip.If(TestPaths.SharedFastStyle("wave") is null, "../shared/weights/fast-style-ml5 is absent");
        Directory.CreateDirectory(In("photos", "sub"));
        foreach (var (name, i) in new[] { "a.png", "b.png", "sub/c.png" }.Select((n, i) => (n, i)))
            using (var image = rand(1, 3, 24 + i, 30))
                ImageIO.Save(image, In("photos", name));
        File.WriteAllText(In("photos", "broken.jpg"), "not an image");

        var plan = await CliRun.InvokeAsync("batch", "plan", "--contents", In("photos"), "--styles", "wave,udnie", "--method", "fast",
            "--pairing", "per-content", "2", "--size", "32", "--seed", "3", "-o", In("m.jsonl"));
        Assert.Equal(0, plan.ExitCode);
        Assert.Contains("8 items (4 photos", plan.Output);

        var codes = new List<int>();
        foreach (var shard in new[] { "0/2", "1/2" })
            codes.Add((await CliRun.InvokeAsync("batch", "run", "-m", In("m.jsonl"), "-o", In("out"), "--shard", shard)).ExitCode);
        Assert.Contains(1, codes);                            // the shard holding a broken item fails …
        Assert.Equal(6, Directory.GetFiles(In("out"), "*.png", SearchOption.AllDirectories).Length);   // … after writing the rest
        Assert.True(File.Exists(In("out", "sub", "c-wave.png")));

        var status = await CliRun.InvokeAsync("batch", "status", "-m", In("m.jsonl"), "-o", In("out"), "--retry", In("retry.csv"));
        Assert.Equal(0, status.ExitCode);
        Assert.Contains("8 items: 6 done, 2 failed, 0 pending", status.Output);
        Assert.Contains("failed: broken-udnie.png", status.Output);
        Assert.Equal(3, File.ReadAllLines(In("retry.csv")).Length);   // header + the two broken items
    }

    [Fact]
    public async Task A_shard_count_without_a_shard_index_is_a_usage_error()
    {
        File.WriteAllText(In("m.csv"), "content,style,method,output\na.jpg,wave,fast,a.png\n");
        var run = await CliRun.InvokeAsync("batch", "run", "-m", In("m.csv"), "-o", In("out"), "--shards", "4");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("which shard is this?", run.Error);
        var bad = await CliRun.InvokeAsync("batch", "run", "-m", In("m.csv"), "-o", In("out"), "--shard", "4/4");
        Assert.Equal(2, bad.ExitCode);
    }
}
