using StyleLab.Decoders;
using StyleLab.Encoders;
using StyleLab.Methods.WCT;
using StyleLab.Tests.Training;
using StyleLab.Training;
using static TorchSharp.torch;

namespace StyleLab.Tests.WCT;

public class WctDecoderTrainingTests : IDisposable
{
    static readonly ImageFolderOptions Crops = new(BatchSize: 2, ResizeTo: 20, CropSize: 16, Seed: 3);
    readonly TinyImageFolder _images = new(corrupt: false);
    readonly string _folder = Directory.CreateTempSubdirectory("stylelab-wct-").FullName;

    public void Dispose()
    {
        _images.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    static (WctDecoderTraining Model, VggDecoder Decoder) Fresh(Vgg19Encoder encoder, string layer)
    {
        random.manual_seed(21);
        var decoder = new VggDecoder(layer);
        return (new WctDecoderTraining(decoder, encoder), decoder);
    }

    [Fact]
    public void The_loss_is_pixel_plus_lambda_times_feature_reconstruction()
    {
        using var encoder = Vgg19Encoder.Random(seed: 2, options: VggPresets.Normalised);
        random.manual_seed(1);
        using var decoder = new VggDecoder("relu2_1");
        using var images = rand(2, 3, 16, 16);
        var model = new WctDecoderTraining(decoder, encoder, featureWeight: 0.25);
        var loss = model.Loss(images);
        using var scope = NewDisposeScope();
        using var features = encoder.Encode(images, ["relu2_1"]);
        var output = decoder.forward(features["relu2_1"]);
        using var again = encoder.Encode(output, ["relu2_1"]);
        double pixel = (output - images).pow(2).mean().item<float>();
        double feature = (again["relu2_1"] - features["relu2_1"]).pow(2).mean().item<float>();
        Assert.Equal(pixel, loss.Terms["pixel"].item<float>(), 5);
        Assert.Equal(feature, loss.Terms["feature"].item<float>(), 3);
        Assert.Equal(pixel + 0.25 * feature, loss.Total.item<float>(), 3);
    }

    [Fact]
    public void A_resumed_decoder_training_continues_with_the_same_losses_as_an_uninterrupted_one()
    {
        const int N = 3;
        using var encoder = Vgg19Encoder.Random(seed: 2, options: VggPresets.Normalised);
        var options = new TrainingOptions(Steps: 2 * N, LearningRate: 1e-3, CheckpointEvery: 0, Seed: 5);

        var (straightModel, straightDecoder) = Fresh(encoder, "relu2_1");
        using var _a = straightDecoder;
        using var straight = new TrainingLoop(straightModel, new ImageFolderDataset(_images.Path, Crops), options);
        straight.Run();

        string checkpoint = Path.Combine(_folder, "half.safetensors");
        var (firstModel, firstDecoder) = Fresh(encoder, "relu2_1");
        using (firstDecoder)
        using (var first = new TrainingLoop(firstModel, new ImageFolderDataset(_images.Path, Crops), options with { Steps = N, CheckpointPath = checkpoint }))
            first.Run();

        // A new process: other initial weights, a fresh data stream; the checkpoint restores everything.
        random.manual_seed(99);
        using var resumedDecoder = new VggDecoder("relu2_1");
        using var resumed = new TrainingLoop(new WctDecoderTraining(resumedDecoder, encoder), new ImageFolderDataset(_images.Path, Crops), options);
        resumed.Resume(checkpoint);
        resumed.Run();

        foreach (var name in new[] { "pixel", "feature", "total" })
            Assert.Equal(straight.History.Series(name), resumed.History.Series(name));
        var expected = straightDecoder.state_dict();
        Assert.All(resumedDecoder.state_dict(), kv => Assert.True(Bits.Identical(expected[kv.Key], kv.Value), kv.Key));
    }

    [Fact]
    public void An_exported_decoder_is_found_and_loaded_by_layer()
    {
        random.manual_seed(4);
        using var decoder = new VggDecoder("relu2_1");
        WctDecoderFiles.Save(decoder, Path.Combine(_folder, WctDecoderFiles.FileName("relu2_1")));
        var loaded = WctDecoderFiles.LoadAll(_folder);
        Assert.Equal(["relu2_1"], loaded.Select(d => d.FromLayer));
        using var x = rand(1, 128, 3, 3);
        using var a = decoder.forward(x);
        using var b = loaded[0].forward(x);
        Assert.True(a.equal(b).all().item<bool>());
        loaded[0].Dispose();

        // A file whose name says another layer is refused, naming the file.
        File.Move(Path.Combine(_folder, WctDecoderFiles.FileName("relu2_1")), Path.Combine(_folder, WctDecoderFiles.FileName("relu3_1")));
        var e = Assert.Throws<StyleLab.Weights.WeightFileException>(() => WctDecoderFiles.LoadAll(_folder));
        Assert.Contains("relu3_1", e.Message);
        Assert.Throws<FileNotFoundException>(() => WctDecoderFiles.LoadAll(Directory.CreateTempSubdirectory("stylelab-empty-").FullName));
    }
}
