using StyleLab.Encoders;
using StyleLab.Methods.CAST;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace StyleLab.Tests.CAST;

public class StyleVggTests
{
    [Fact]
    public void Initialised_from_ImageNet_the_colour_convolution_maps_CAST_images_to_the_VGG_input_and_the_rest_copies_its_convolutions()
    {
        using var scope = NewDisposeScope();
        using var imagenet = Vgg19Encoder.Random(1, Preprocessing.Caffe);
        var stages = StyleVgg.Stages();
        int copied = StyleVgg.InitialiseFrom(stages, imagenet);
        var convs = stages.SelectMany(s => s.children()).OfType<Conv2d>().ToList();
        Assert.Equal(16, copied);

        // [-1, 1] → Caffe's BGR, mean-subtracted 0…255 input, at every pixel (borders included: zero padding, centre tap).
        var x = rand([1, 3, 9, 7], generator: new Generator(3)) * 2 - 1;
        using (no_grad())
        {
            var mapped = convs[0].forward(x);
            var expected = Preprocessing.Caffe.Apply((x + 1) * 0.5);
            Assert.True(mapped.allclose(expected, rtol: 1e-5, atol: 1e-3), $"max difference {(mapped - expected).abs().max().item<float>()}");
        }
        var conv1_1 = (Conv2d)imagenet.named_children().First(c => c.name == "conv1_1").module;
        Assert.True(convs[1].weight!.equal(conv1_1.weight!).all().item<bool>());
        foreach (var stage in stages) stage.Dispose();
    }
}
