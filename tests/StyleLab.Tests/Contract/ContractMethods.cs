using StyleLab.Decoders;
using StyleLab.Encoders;
using StyleLab.Methods;
using StyleLab.Methods.AdaIN;
using StyleLab.Methods.Arbitrary;
using StyleLab.Methods.CAST;
using StyleLab.Methods.DeepAnalogy;
using StyleLab.Methods.FeedForward;
using StyleLab.Methods.Gatys;
using StyleLab.Methods.ImageAnalogies;
using StyleLab.Methods.ImageQuilting;
using StyleLab.Methods.SANet;
using StyleLab.Methods.WCT;
using TorchSharp;
using static TorchSharp.torch;

namespace StyleLab.Tests.Contract;

/// <summary>Every method, small and seeded (random weights; Magenta's networks from ../shared), for the contract theory.</summary>
public static class ContractMethods
{
    public static TheoryData<string> Names => new(StyleTransferFactory.Methods);

    /// <summary>The method, or a skip where it needs ../shared and that is absent.</summary>
    public static IStyleTransfer Build(string name)
    {
        random.manual_seed(7);
        switch (name)
        {
            case "gatys":
                return new GatysMethod(Vgg19Encoder.Random(1, Preprocessing.Identity),
                    GatysOptions.Shallow with { Steps = 3, Init = GatysInit.Content });
            case "adain":
                return new AdaINMethod(new AdaINModel(Vgg19Encoder.Random(2, Preprocessing.Identity, VggPresets.Normalised), Tame(new VggDecoder("relu2_1"))));
            case "wct":
                return new WctMethod(new UniversalStyleTransfer(Vgg19Encoder.Random(3, Preprocessing.Identity, VggPresets.Normalised),
                    [Tame(new VggDecoder("relu2_1")), Tame(new VggDecoder("relu1_1"))], ownsModels: true));
            case "sanet":
                var sanet = SANetModel.Random(SANetLayers.Shallow3, seed: 4);
                Tame(sanet.Decoder);
                return new SANetMethod(sanet);
            case "cast":
                var cast = CastGenerator.Random("relu2_1", seed: 5);
                Tame(cast.DecoderB, bias: 0);
                return new CastMethod(cast);
            case "fast":
                return new FastStyleMethod(FastStyle.FromNetwork(new TransformNet(), "random"));
            case "arbitrary":
                Skip.If(TestPaths.SharedWeights is null || !File.Exists(Path.Combine(TestPaths.SharedWeights, ArbitraryStyle.WeightsFolder, new ArbitraryStyleOptions().PredictorFile)),
                    "../shared/weights/magenta-arbitrary is absent");
                return new ArbitraryStyleMethod(ArbitraryStyle.Load(weightsRoots: [TestPaths.SharedWeights!]));
            case "analogy":
                return new DeepAnalogyMethod(Vgg19Encoder.Random(6), new DeepAnalogyOptions
                {
                    Levels = DeepAnalogyOptions.PaperLevels.Skip(3).ToList(),   // relu2_1, relu1_1
                    PatchMatchIterations = 1,
                    DeconvolutionIterations = 2,
                });
            case "quilt":
                return new ImageQuiltingMethod(new ImageQuiltingOptions { BlockSize = 8, Iterations = 2, Seed = 1 });
            case "image-analogy":
                return new ImageAnalogyMethod(new ImageAnalogyOptions { CoarsestSide = 10, PassesPerLevel = 1, PatchMatchIterations = 1, Seed = 1 });
            default:
                throw new ArgumentException(name);
        }
    }

    /// <summary>
    /// A random decoder's output sits away from [0,1] with a spread of a few thousandths, so clamping would flatten
    /// it and hide every difference: centre its last convolution on the middle grey and widen it to a few hundredths.
    /// </summary>
    static VggDecoder Tame(VggDecoder decoder, double bias = 0.5)
    {
        var parameters = decoder.parameters().ToList();
        using (no_grad())
        {
            parameters[^2].mul_(20);
            parameters[^1].fill_(bias);
        }
        return decoder;
    }

    /// <summary>As many style images as the method takes (none for Johnson's networks; the last candidate repeated for a pair).</summary>
    public static List<Tensor> Styles(IStyleTransfer method, params Tensor[] candidates) =>
        Enumerable.Range(0, Math.Max(method.StyleCount.Min, Math.Min(1, method.StyleCount.Max)))
            .Select(i => candidates[Math.Min(i, candidates.Length - 1)]).ToList();
}
