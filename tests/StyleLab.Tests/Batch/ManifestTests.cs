using StyleLab.Batch;

namespace StyleLab.Tests.Batch;

public sealed class ManifestTests : IDisposable
{
    readonly string _folder = Directory.CreateTempSubdirectory("stylelab-manifest-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    static readonly BatchItem[] Items =
    [
        new("photos/a, b.jpg", ["paintings/p \"1\".jpg", "paintings/p2.jpg"], "adain", "x/a-mix.png") { Alpha = 0.5, Mix = [0.25, 0.75], Size = 256 },
        new("photos/c.jpg", ["wave"], "fast", "c.jpg") { PreserveColor = true },
    ];

    [Theory]
    [InlineData("m.csv")]
    [InlineData("m.jsonl")]
    public void A_manifest_reads_back_what_was_written_paths_against_its_folder(string name)
    {
        string path = Path.Combine(_folder, name);
        Manifest.Save(path, Items);
        var read = Manifest.Load(path);
        Assert.Equal(2, read.Count);
        Assert.Equal(Path.Combine(_folder, "photos", "a, b.jpg"), read[0].Content);
        Assert.Equal([Path.Combine(_folder, "paintings", "p \"1\".jpg"), Path.Combine(_folder, "paintings", "p2.jpg")], read[0].Styles);
        Assert.Equal((0.5, 256, "x/a-mix.png"), (read[0].Alpha, read[0].Size!.Value, read[0].Output));
        Assert.Equal([0.25, 0.75], read[0].Mix!);
        Assert.Equal(["wave"], read[1].Styles);   // fast: a network name, not a file
        Assert.True(read[1].PreserveColor);
        Assert.Null(read[1].Size);
    }

    [Theory]
    [InlineData("c.jpg,wave,fast,out/a.png\nd.jpg,wave,fast,out//a.png", "line 3", "also line 2")]
    [InlineData("c.jpg,wave,fast,../a.png", "line 2", "leaves the output folder")]
    [InlineData("c.jpg,wave,fast,/tmp/a.png", "line 2", "absolute")]
    [InlineData("c.jpg,wave,pix2pix,a.png", "line 2", "unknown method")]
    [InlineData("c.jpg,wave,fast,a.tiff", "line 2", "must end in")]
    [InlineData("c.jpg,wave,fast,\"a.png", "line 2", "not closed")]
    public void A_bad_line_is_refused_naming_the_line_and_the_problem(string body, string line, string problem)
    {
        string path = Path.Combine(_folder, "bad.csv");
        File.WriteAllText(path, "content,style,method,output\n" + body + "\n");
        var e = Assert.Throws<ManifestException>(() => Manifest.Load(path));
        Assert.Contains(line, e.Message);
        Assert.Contains(problem, e.Message);
    }

    [Fact]
    public void A_JSON_line_with_an_unknown_field_is_refused()
    {
        string path = Path.Combine(_folder, "bad.jsonl");
        File.WriteAllText(path, "{\"content\":\"a.jpg\",\"style\":\"wave\",\"method\":\"fast\",\"output\":\"a.png\"}\n{\"content\":\"b.jpg\",\"style\":\"wave\",\"method\":\"fast\",\"output\":\"b.png\",\"alpha_\":1}\n");
        var e = Assert.Throws<ManifestException>(() => Manifest.Load(path));
        Assert.Contains("line 2", e.Message);
        Assert.Contains("alpha_", e.Message);
    }
}
