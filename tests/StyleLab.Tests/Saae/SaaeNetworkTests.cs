using StyleLab.Methods.Saae;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace StyleLab.Tests.Saae;

/// <summary>The layers are those of Zhao et al. 2018, §3.</summary>
public class SaaeNetworkTests
{
    static readonly SaaeOptions Options = new(ImageSize: 32, Channels: 16);

    static (int Convs, int Norms, int Linears) Layers(nn.Module module)
    {
        var all = module.modules().ToList();
        return (all.OfType<Conv2d>().Count(), all.OfType<BatchNorm2d>().Count(), all.OfType<Linear>().Count());
    }

    [Fact]
    public void Enc_c_has_three_convolutions_and_keeps_the_spatial_size()
    {
        using var encoder = new ContentEncoder(Options);
        using var map = encoder.forward(rand(2, 3, 32, 32));
        Assert.Equal(new long[] { 2, 16, 32, 32 }, map.shape);
        Assert.Equal((3, 3, 0), Layers(encoder));
    }

    [Fact]
    public void Enc_s_gives_a_style_vector_that_becomes_a_map_the_size_of_the_content_map()
    {
        using var encoder = new StyleEncoder(Options);
        using var z = encoder.forward(rand(2, 3, 32, 64));
        Assert.Equal(new long[] { 2, Options.StyleDimension }, z.shape);
        using var map = encoder.ToMap(z);
        Assert.Equal(new long[] { 2, 16, 32, 32 }, map.shape);
        Assert.Equal((3, 3, 1), Layers(encoder));
    }

    [Fact]
    public void Enc_s_names_the_expected_exemplar_shape()
    {
        using var encoder = new StyleEncoder(Options);
        var e = Assert.Throws<ArgumentException>(() => encoder.forward(rand(1, 3, 32, 32)).Dispose());
        Assert.Contains("[B,3,32,64]", e.Message);
    }

    [Fact]
    public void Dec_turns_half_content_half_style_channels_into_an_image_in_0_1()
    {
        using var decoder = new SaaeDecoder(Options);
        using var image = decoder.forward(randn(2, 32, 32, 32) * 5);
        Assert.Equal(new long[] { 2, 3, 32, 32 }, image.shape);
        Assert.True(image.min().item<float>() >= 0 && image.max().item<float>() <= 1);
        Assert.Equal((3, 3, 0), Layers(decoder));
    }

    [Fact]
    public void The_generator_concatenates_content_and_style_and_decodes_a_glyph()
    {
        using var generator = new SaaeGenerator(Options);
        generator.eval();
        using var output = generator.forward(rand(3, 3, 32, 32), rand(3, 3, 32, 64));
        Assert.Equal(new long[] { 3, 3, 32, 32 }, output.shape);
        Assert.Equal((9, 9, 1), Layers(generator));
    }

    [Fact]
    public void The_discriminator_has_k_plus_1_outputs_the_last_meaning_fake()
    {
        using var discriminator = new SaaeDiscriminator(Options, GlyphAlphabet.Count);
        using var logits = discriminator.forward(rand(4, 3, 32, 32));
        Assert.Equal(new long[] { 4, 37 }, logits.shape);
        Assert.Equal(36, discriminator.FakeClass);
        Assert.Equal((3, 3, 2), Layers(discriminator));
    }

    [Fact]
    public void Sizes_that_do_not_divide_by_8_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new SaaeGenerator(new SaaeOptions(ImageSize: 20)));
    }
}
