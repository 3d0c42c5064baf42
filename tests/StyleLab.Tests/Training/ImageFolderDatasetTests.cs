using StyleLab.Training;
using static TorchSharp.torch;

namespace StyleLab.Tests.Training;

public class ImageFolderDatasetTests
{
    static readonly ImageFolderOptions Small = new(BatchSize: 2, ResizeTo: 24, CropSize: 16, Seed: 3);

    [Fact]
    public void Batches_are_crops_of_resized_images_and_a_corrupt_file_is_skipped_once_with_a_warning()
    {
        using var folder = new TinyImageFolder();
        var dataset = new ImageFolderDataset(folder.Path, Small);
        var heard = new List<string>();
        dataset.Warning += heard.Add;

        Assert.Equal(7, dataset.Files.Count); // recursive, the corrupt one included
        for (int i = 0; i < 10; i++) // several epochs of 6 readable files
        {
            using var batch = dataset.NextBatch();
            Assert.Equal(new long[] { 2, 3, 16, 16 }, batch.shape);
            Assert.True(batch.min().item<float>() >= 0 && batch.max().item<float>() <= 1);
        }
        var warning = Assert.Single(dataset.Warnings);
        Assert.Contains("garbage.jpg", warning);
        Assert.Equal([warning], heard);
        Assert.True(dataset.Position.Epoch >= 2);
    }

    [Fact]
    public void The_same_seed_gives_the_same_batches_and_a_restored_position_the_same_continuation()
    {
        using var folder = new TinyImageFolder();
        var first = new ImageFolderDataset(folder.Path, Small);
        var second = new ImageFolderDataset(folder.Path, Small);
        var other = new ImageFolderDataset(folder.Path, Small with { Seed = 4 });
        bool anyDifferent = false;
        BatchPosition? saved = null;
        Tensor? afterSaved = null;
        for (int i = 0; i < 8; i++)
        {
            if (i == 5) saved = first.Position;
            using var a = first.NextBatch();
            using var b = second.NextBatch();
            using var c = other.NextBatch();
            Assert.True(Bits.Identical(a, b));
            anyDifferent |= !Bits.Identical(a, c);
            if (i == 5) afterSaved = a.clone();
        }
        Assert.True(anyDifferent);

        var resumed = new ImageFolderDataset(folder.Path, Small) { Position = saved!.Value };
        using var again = resumed.NextBatch();
        Assert.True(Bits.Identical(again, afterSaved!));
        afterSaved!.Dispose();
    }

    [Fact]
    public void An_empty_folder_or_one_with_no_readable_image_is_an_error_naming_it()
    {
        using var empty = new TinyImageFolder(images: 0, corrupt: false);
        var e = Assert.Throws<InvalidDataException>(() => new ImageFolderDataset(empty.Path, Small));
        Assert.Contains(empty.Path, e.Message);

        using var broken = new TinyImageFolder(images: 0, corrupt: true);
        var dataset = new ImageFolderDataset(broken.Path, Small);
        var f = Assert.Throws<InvalidDataException>(() => dataset.NextBatch());
        Assert.Contains(broken.Path, f.Message);
    }
}
