using StyleLab.Methods.SANet;
using StyleLab.Tests.Training;
using StyleLab.Training;
using static TorchSharp.torch;

namespace StyleLab.Tests.SANet;

public class SANetTrainingTests
{
    [Fact]
    public void Identity_losses_fall_during_a_short_run_and_a_checkpoint_resumes_into_a_fresh_model()
    {
        using var folder = new TinyImageFolder(images: 6, corrupt: false);
        var data = new ImagePairDataset(folder.Path, folder.Path, new ImageFolderOptions(BatchSize: 2, ResizeTo: 24, CropSize: 16, Seed: 1));
        using var model = SANetModel.Random(SANetLayers.Shallow3, seed: 5);
        var training = new SANetTraining(model);
        string checkpoint = TestPaths.TempFile(".safetensors");
        try
        {
            using var loop = new TrainingLoop<ImagePair>(training, data, new TrainingOptions(Steps: 40, LearningRate: 1e-3, CheckpointEvery: 0, CheckpointPath: checkpoint));
            loop.Run();
            double Mean(string term, int from, int count) =>
                Enumerable.Range(from, count).Select(i => loop.History.Series(term)[i].Value).Average();
            foreach (var term in new[] { "identity1", "identity2", "total" })
                Assert.True(Mean(term, 30, 10) < 0.7 * Mean(term, 0, 10),
                    $"{term}: first steps {Mean(term, 0, 10):g4}, last steps {Mean(term, 30, 10):g4}");
            Assert.Contains("content", loop.History.Names);
            Assert.Contains("style", loop.History.Names);

            // The untrained model (same seed) differs from the trained one until the checkpoint is loaded.
            using var fresh = SANetModel.Random(SANetLayers.Shallow3, seed: 5);
            using var x = rand(1, 3, 16, 16);
            using var y = rand(1, 3, 16, 16);
            using var a = model.Stylize(x, y);
            using (var before = fresh.Stylize(x, y)) Assert.False(a.equal(before).all().item<bool>());
            using var state = Checkpoint.Load(checkpoint);
            new SANetTraining(fresh).LoadStateDict(state.Model);
            using var b = fresh.Stylize(x, y);
            Assert.True(a.equal(b).all().item<bool>());
        }
        finally
        {
            File.Delete(checkpoint);
        }
    }
}
