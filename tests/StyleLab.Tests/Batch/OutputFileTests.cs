using StyleLab.Batch;
using StyleLab.Imaging;
using static TorchSharp.torch;

namespace StyleLab.Tests.Batch;

public sealed class OutputFileTests : IDisposable
{
    readonly string _folder = Directory.CreateTempSubdirectory("stylelab-output-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    string Content(int width, int height)
    {
        string path = Path.Combine(_folder, $"content-{width}x{height}.png");
        using var image = rand(1, 3, height, width);
        ImageIO.Save(image, path);
        return path;
    }

    [Fact]
    public void A_written_output_is_complete_and_leaves_no_temporary_file()
    {
        string content = Content(60, 40), output = Path.Combine(_folder, "out", "deep", "a.png");
        using var image = rand(1, 3, 20, 30);
        Directory.CreateDirectory(Path.GetDirectoryName(output)!);
        OutputFile.Write(image, output);
        Assert.True(OutputFile.IsComplete(output, content, Resize.LongestSide(30)));
        Assert.Equal(["a.png"], Directory.GetFiles(Path.GetDirectoryName(output)!).Select(Path.GetFileName));
    }

    [Fact]
    public void A_truncated_or_mis_sized_output_is_not_complete()
    {
        string content = Content(60, 40), output = Path.Combine(_folder, "a.png");
        using var image = rand(1, 3, 20, 30);
        OutputFile.Write(image, output);
        Assert.False(OutputFile.IsComplete(output, content, Resize.LongestSide(32)));   // 32×21 expected
        Assert.False(OutputFile.IsComplete(output, content, Resize.None));               // 60×40 expected
        var bytes = File.ReadAllBytes(output);
        File.WriteAllBytes(output, bytes[..(bytes.Length / 2)]);
        Assert.False(OutputFile.IsComplete(output, content, Resize.LongestSide(30)));
        Assert.False(OutputFile.IsComplete(Path.Combine(_folder, "missing.png"), content, Resize.LongestSide(30)));
    }

    [Fact]
    public void An_image_that_cannot_be_encoded_leaves_neither_output_nor_temporary_file()
    {
        string output = Path.Combine(_folder, "nan.png");
        using var image = full(1, 3, 8, 8, float.NaN);
        Assert.Throws<ImageFileException>(() => OutputFile.Write(image, output));
        Assert.Empty(Directory.GetFiles(_folder));
    }

    [Fact]
    public void A_stale_temporary_file_is_removed()
    {
        string output = Path.Combine(_folder, "b.png");
        File.WriteAllText(OutputFile.TemporaryPath(output), "half an image");
        Assert.True(OutputFile.RemoveStale(output));
        Assert.Empty(Directory.GetFiles(_folder));
        Assert.False(OutputFile.RemoveStale(output));
    }
}
