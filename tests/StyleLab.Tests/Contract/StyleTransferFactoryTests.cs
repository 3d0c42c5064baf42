using StyleLab.Decoders;
using StyleLab.Encoders;
using StyleLab.Methods;
using StyleLab.Methods.AdaIN;
using static TorchSharp.torch;

namespace StyleLab.Tests.Contract;

public class StyleTransferFactoryTests
{
    [Fact]
    public void An_unknown_method_lists_the_methods()
    {
        var error = Assert.Throws<ArgumentException>(() => StyleTransferFactory.Create("picasso"));
        Assert.Contains("gatys, adain, wct, sanet, cast, fast, arbitrary, analogy", error.Message);
        var role = Assert.Throws<ArgumentException>(() => StyleTransferFactory.Create("adain", new Dictionary<string, string> { ["transformer"] = "x" }));
        Assert.Contains("decoder, vgg", role.Message);
    }

    [Theory]
    [InlineData("adain", "decoder", "stylelab train adain")]
    [InlineData("sanet", "transformer", "stylelab train sanet")]
    [InlineData("wct", "decoders", "stylelab train wct-decoder")]
    [InlineData("cast", "model", "stylelab train cast")]
    public void Missing_weights_say_how_to_get_or_train_them(string method, string role, string remedy)
    {
        string missing = Path.Combine(Path.GetTempPath(), $"stylelab-missing-{Guid.NewGuid():N}", "weights.safetensors");
        var error = Assert.Throws<MissingWeightsException>(() => StyleTransferFactory.Create(method,
            new Dictionary<string, string> { [role] = role is "decoders" or "model" ? Path.GetDirectoryName(missing)! : missing }));
        Assert.StartsWith(method + ":", error.Message);
        Assert.Contains(remedy, error.Message);
    }

    [SkippableTheory]
    [InlineData("gatys")]
    [InlineData("analogy")]
    [InlineData("fast")]
    [InlineData("arbitrary")]
    public void Methods_with_weights_in_shared_are_built_by_name(string method)
    {
        Skip.If(TestPaths.SharedVgg is null || TestPaths.SharedWeights is null, "../shared is absent");
        var weights = method switch
        {
            "fast" => new Dictionary<string, string> { ["style"] = TestPaths.SharedFastStyle("wave")! },
            "arbitrary" => new Dictionary<string, string> { ["folder"] = Path.Combine(TestPaths.SharedWeights, "magenta-arbitrary", "tflite") },
            _ => new Dictionary<string, string> { ["vgg"] = TestPaths.SharedVgg },
        };
        using var transfer = StyleTransferFactory.Create(method, weights);
        Assert.Equal(method, transfer.Method);
        Assert.NotEmpty(transfer.WeightFiles);
    }

    [Fact]
    public void A_non_finite_output_is_an_error_naming_the_method_and_its_weights()
    {
        using var scope = NewDisposeScope();
        var image = rand(1, 3, 4, 4);
        image[0, 1, 2, 3] = tensor(float.NaN);
        var error = Assert.Throws<NonFiniteOutputException>(() => StyleOutput.Finish(image, "adain", ["decoder.pth"]));
        Assert.Contains("adain produced 1 of 48", error.Message);
        Assert.Contains("decoder.pth", error.Message);
        Assert.Equal(1f, StyleOutput.Finish(image.nan_to_num() + 5, "adain", []).max().item<float>());

        // Through a method: a decoder whose weights hold an infinity.
        var decoder = new VggDecoder("relu1_1");
        using (no_grad()) foreach (var p in decoder.parameters()) p.fill_(float.PositiveInfinity);
        using var adain = new AdaINMethod(new AdaINModel(Vgg19Encoder.Random(1, Preprocessing.Identity, VggPresets.Normalised), decoder), ["broken.safetensors"]);
        var broken = Assert.Throws<NonFiniteOutputException>(() => adain.Stylize(rand(1, 3, 8, 8), [rand(1, 3, 8, 8)]));
        Assert.Contains("broken.safetensors", broken.Message);
    }
}
