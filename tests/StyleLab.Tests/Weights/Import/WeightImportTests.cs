using System.IO.Compression;
using StyleLab.Decoders;
using StyleLab.Tests.Cli;
using StyleLab.Tests.Weights.Torch7;
using StyleLab.Weights;
using TorchSharp;

namespace StyleLab.Tests.Weights.Import;

/// <summary>
/// <c>weights import</c> files official models by what they hold, whatever their names; <c>weights convert</c>
/// turns any readable format into safetensors holding the same tensors.
/// </summary>
public sealed class WeightImportTests : IDisposable
{
    readonly string _folder = Directory.CreateTempSubdirectory("stylelab-import-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    static byte[] DecoderT7(string layer, long seed)
    {
        torch.random.manual_seed(seed);
        using var decoder = new VggDecoder(layer);
        return Torch7Writer.Serialise(NnTree.Decoder(decoder));
    }

    /// <summary>An archive as a Google Drive download of WCT's models might look, with renamed files and clutter.</summary>
    string WctArchive()
    {
        string zip = Path.Combine(_folder, "models.zip");
        using var archive = ZipFile.Open(zip, ZipArchiveMode.Create);
        void Add(string name, byte[] bytes)
        {
            using var stream = archive.CreateEntry(name, CompressionLevel.NoCompression).Open();
            stream.Write(bytes);
        }
        Add("models/a.t7", DecoderT7("relu1_1", 1));
        Add("models/b.t7", DecoderT7("relu2_1", 2));
        Add("models/deep/c.bin", DecoderT7("relu4_1", 4));
        Add("README.txt", "not weights"u8.ToArray());
        Add("models/function.t7", [8, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0]);
        return zip;
    }

    [Fact]
    public void A_zip_of_renamed_WCT_decoders_is_filed_under_the_right_ids()
    {
        string into = Path.Combine(_folder, "cache");
        var results = WeightImporter.Import([WctArchive()], into);

        var imported = results.Where(r => r.Imported).ToDictionary(r => Path.GetFileName(r.Source.Split('!')[1]), r => r.Id);
        Assert.Equal("wct-decoder1", imported["a.t7"]);
        Assert.Equal("wct-decoder2", imported["b.t7"]);
        // relu4_1 decoders of AdaIN, SANet and WCT share their shapes; a .t7 can only be WCT's.
        Assert.Equal("wct-decoder4", imported["c.bin"]);
        Assert.Equal(3, imported.Count);
        Assert.Contains(results, r => r.Source.EndsWith("function.t7") && !r.Imported && r.Note!.Contains("Lua function"));
        Assert.Contains(results, r => r.Source.EndsWith("README.txt") && !r.Imported);

        string filed = Path.Combine(into, "wct-decoder2", "feature_invertor_conv2_1.t7");
        Assert.True(File.Exists(filed));
        Assert.Equal(Assets.ExpectedHash.OfFile(filed), File.ReadAllText(filed + ".sha256").Split(' ')[0]);
        using var decoder = VggDecoder.Load(filed);
        Assert.Equal("relu2_1", decoder.FromLayer);

        // The resolver finds them where import put them.
        using var resolver = new WeightResolver(environment: new Assets.AssetEnvironment(v => v == WeightResolver.WeightsVariable ? into : null, null, Path.Combine(_folder, "none")));
        Assert.Equal(filed, resolver.Locate("wct-decoder2")!.Path);
    }

    [Fact]
    public void The_command_reports_what_it_found_and_fails_when_nothing_is_imported()
    {
        string into = Path.Combine(_folder, "cli");
        var run = CliRun.InvokeAsync("weights", "import", WctArchive(), "--into", into).GetAwaiter().GetResult();
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("wct-decoder1", run.Output);
        Assert.Contains("VGG decoder from relu1_1", run.Output);
        Assert.Contains("3 of 5 files imported", run.Output);

        string text = Path.Combine(_folder, "notes.txt");
        File.WriteAllText(text, "hello");
        var none = CliRun.InvokeAsync("weights", "import", text, "--into", into).GetAwaiter().GetResult();
        Assert.Equal(1, none.ExitCode);
    }

    [Fact]
    public void An_id_settles_what_the_content_leaves_open_and_a_wrong_one_is_refused()
    {
        string t7 = Path.Combine(_folder, "decoder.t7");
        File.WriteAllBytes(t7, DecoderT7("relu4_1", 7));
        var asAdaIN = Assert.Single(WeightImporter.Import([t7], Path.Combine(_folder, "x"), id: "adain-decoder"));
        Assert.Equal("adain-decoder", asAdaIN.Id);
        Assert.Contains("published as pth-legacy", asAdaIN.Note);
        var wrong = Assert.Single(WeightImporter.Import([t7], Path.Combine(_folder, "y"), id: "wct-decoder2"));
        Assert.False(wrong.Imported);
    }

    [Fact]
    public void Convert_writes_the_same_tensors_as_safetensors()
    {
        string t7 = Path.Combine(_folder, "feature_invertor_conv2_1.t7");
        File.WriteAllBytes(t7, DecoderT7("relu2_1", 3));
        string pth = TestPaths.Fixture("adain", "decoder.pth");
        foreach (var input in new[] { t7, pth })
        {
            string output = Path.Combine(_folder, Path.GetFileNameWithoutExtension(input) + ".safetensors");
            var run = CliRun.InvokeAsync("weights", "convert", input, output).GetAwaiter().GetResult();
            Assert.Equal(0, run.ExitCode);
            var original = StateDictFile.Load(input);
            var converted = SafeTensors.Load(output, out var metadata);
            Assert.Equal(original.Keys.Order(), converted.Keys.Order());
            foreach (var (key, value) in original)
                Assert.True(value.to(converted[key].dtype).allclose(converted[key], 0, 0), key);
            Assert.Equal(Path.GetFileName(input), metadata["converted_from"]);
            // And back: the safetensors file loads into the same decoder.
            using var a = VggDecoder.Load(input);
            using var b = VggDecoder.Load(output);
            Assert.Equal(a.FromLayer, b.FromLayer);
        }
    }

    [Fact]
    public void Ties_in_content_are_broken_by_container_then_by_the_published_name()
    {
        var registry = WeightRegistry.Default;
        var decoder = new WeightRecognition("decoder", ["adain-decoder", "sanet-decoder", "wct-decoder4"]);
        Assert.Equal("adain-decoder", decoder.Resolve(registry, "0", WeightFormat.PthLegacy));
        Assert.Equal("sanet-decoder", decoder.Resolve(registry, "0", WeightFormat.Pth));
        Assert.Equal("wct-decoder4", decoder.Resolve(registry, "0", WeightFormat.T7));
        Assert.Null(decoder.Resolve(registry, "0", WeightFormat.SafeTensors));
        var cast = new WeightRecognition("CAST decoder", ["cast-dec-a", "cast-dec-b"]);
        Assert.Equal("cast-dec-b", cast.Resolve(registry, "0", WeightFormat.Pth, "latest_net_Dec_B.pth"));
        Assert.Null(cast.Resolve(registry, "0", WeightFormat.Pth, "decoder.pth"));
        var vgg = new WeightRecognition("VGG-19", ["vgg19-torchvision", "vgg19-caffe"]);
        Assert.Equal("vgg19-torchvision", vgg.Resolve(registry, "dcbb9e9d" + new string('0', 56), WeightFormat.PthLegacy));
    }
}
