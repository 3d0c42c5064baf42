using StyleLab.Decoders;
using StyleLab.Encoders;
using StyleLab.Interactive;
using StyleLab.Methods.CAST;
using StyleLab.Methods.SANet;
using StyleLab.Tests.Weights.Torch7;
using StyleLab.Weights;
using TorchSharp;
using static TorchSharp.torch;

namespace StyleLab.Tests.Notebooks;

/// <summary>
/// Each notebook's "official" cells take the paper's path when its weights are in <c>STYLELAB_WEIGHTS</c>: seeded
/// random weights in the official files' layouts and names (the .t7 ones written as Lua Torch writes them) are
/// found, loaded into the paper's model, announced by the banner and used to stylise. CI's notebook run covers the
/// offline path.
/// </summary>
[Trait("Category", "Slow")]
public sealed class OfficialPathTests : IDisposable
{
    readonly string _weights = Directory.CreateTempSubdirectory("stylelab-official-").FullName;
    readonly Dictionary<string, string?> _saved = new();

    public OfficialPathTests()
    {
        Skip.If(TestPaths.Shared is null, "../shared (sample images) is absent");
        // The official files first; ../shared's partial VGG after them, for set-up cells that need it (05's).
        Set("STYLELAB_WEIGHTS", string.Join(Path.PathSeparator, _weights, Path.Combine(TestPaths.Shared!, "weights")));
        Set("STYLELAB_NOTEBOOK_QUICK", "1");
        Set("STYLELAB_DATA", Path.Combine(TestPaths.Shared!, "data"));
    }

    void Set(string name, string value)
    {
        _saved.TryAdd(name, Environment.GetEnvironmentVariable(name));
        Environment.SetEnvironmentVariable(name, value);
    }

    public void Dispose()
    {
        foreach (var (name, value) in _saved) Environment.SetEnvironmentVariable(name, value);
        Directory.Delete(_weights, recursive: true);
    }

    /// <summary>An encoder's weights under vgg_normalised.pth's keys (0 = the 1×1 conv, 2, 5, … the 3×3 ones).</summary>
    static Dictionary<string, Tensor> NormalisedKeys(Vgg19Encoder encoder)
    {
        var prefixes = VggWeightNames.Prefixes(VggWeightLayout.AdaINNormalised);
        var result = new Dictionary<string, Tensor>();
        foreach (var (key, value) in encoder.state_dict())
        {
            int dot = key.LastIndexOf('.');
            if (prefixes.TryGetValue(key[..dot], out var prefix)) result[prefix + key[dot..]] = value;
        }
        return result;
    }

    static VggDecoder Decoder(string layer, long seed)
    {
        torch.random.manual_seed(seed);
        return new VggDecoder(layer);
    }

    void Save(string file, IReadOnlyDictionary<string, Tensor> stateDict) => TorchSave.Save(Path.Combine(_weights, file), stateDict);

    static void AssertOfficialPath(NotebookGlobals run, string paper)
    {
        var banner = Assert.IsType<string>(run.Displayed[0]);
        Assert.StartsWith($"Official weights of {paper}", banner);
        Assert.Contains(run.Displayed, d => d is ImageGrid);
    }

    [SkippableFact]
    public void AdaIN_notebook_uses_the_official_pair()
    {
        using (var encoder = Vgg19Encoder.Random(1, Preprocessing.Identity, VggPresets.Normalised, leadingConv: true, depth: "relu4_1"))
            Save("vgg_normalised.pth", NormalisedKeys(encoder));
        using (var decoder = Decoder("relu4_1", 2)) Save("decoder.pth", decoder.state_dict());
        AssertOfficialPath(NotebookCells.Run(NotebookCells.Cells("02-adain.ipynb", "official")), "AdaIN");
    }

    [SkippableFact]
    public void WCT_notebook_uses_the_official_Torch7_models()
    {
        using (var encoder = Vgg19Encoder.Random(3, Preprocessing.Identity, VggPresets.Normalised, leadingConv: true, depth: "relu5_1"))
            NnTree.Save(NnTree.NormalisedVgg(encoder), Path.Combine(_weights, "vgg_normalised_conv5_1.t7"));
        for (int k = 1; k <= 5; k++)
            using (var decoder = Decoder($"relu{k}_1", 10 + k))
                NnTree.Save(NnTree.Decoder(decoder), Path.Combine(_weights, $"feature_invertor_conv{k}_1.t7"));
        AssertOfficialPath(NotebookCells.Run(NotebookCells.Cells("03-wct.ipynb", "official")), "WCT");
    }

    [SkippableFact]
    public void SANet_notebook_uses_the_official_files()
    {
        using (var encoder = Vgg19Encoder.Random(4, Preprocessing.Identity, VggPresets.Normalised, leadingConv: true, depth: "relu5_1"))
            Save("vgg_normalised.pth", NormalisedKeys(encoder));
        using (var model = SANetModel.Random(SANetLayers.Paper, seed: 4))
        {
            Save("transformer_iter_500000.pth", model.Transform.state_dict());
            Save("decoder_iter_500000.pth", model.Decoder.state_dict());
        }
        AssertOfficialPath(NotebookCells.Run(NotebookCells.Cells("04-sanet.ipynb", "official")), "SANet");
    }

    [SkippableFact]
    public void CAST_notebook_uses_the_official_checkpoints()
    {
        using (var generator = CastGenerator.Random("relu4_1", seed: 5))
        {
            Save("latest_net_AE.pth", CastWeights.EncoderStateDict(generator.Encoder));
            Save("latest_net_Dec_B.pth", generator.DecoderB.state_dict().ToDictionary(kv => "decoder." + kv.Key, kv => kv.Value));
            Save("latest_net_Dec_A.pth", generator.DecoderA.state_dict().ToDictionary(kv => "decoder." + kv.Key, kv => kv.Value));
        }
        AssertOfficialPath(NotebookCells.Run(NotebookCells.Cells("05-cast.ipynb", "official")), "CAST");
    }
}
