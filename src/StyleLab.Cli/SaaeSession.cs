using Spectre.Console;
using StyleLab.Imaging;
using StyleLab.Methods.Saae;
using static TorchSharp.torch;

namespace StyleLab.Cli;

/// <summary>What <c>stylelab train saae</c> and <c>stylelab saae</c> share: defaults, the classifier, the score and the grid.</summary>
public static class SaaeSession
{
    /// <summary>Steps of a default run: ≈ 10 minutes on two CPU cores (README, SAAE).</summary>
    public const int Steps = 800;

    /// <summary>Samples per batch of a default run.</summary>
    public const int BatchSize = 32;

    /// <summary>The training checkpoint's name in the output folder.</summary>
    public const string CheckpointFile = "saae.safetensors";

    /// <summary>The classifier's checkpoint, next to the model's.</summary>
    public const string ClassifierFile = "classifier.safetensors";

    /// <summary>Steps of the clean-glyph classifier.</summary>
    public const int ClassifierSteps = 300;

    /// <summary>Characters down the grid's side.</summary>
    public const string GridCharacters = "SAAE2018";

    /// <summary>The classifier of <paramref name="folder"/>, trained (about a minute) and saved there the first time.</summary>
    public static async Task<GlyphClassifier> ClassifierAsync(CliConsole console, GlyphFonts fonts, string folder, int size, CancellationToken ct, int steps = ClassifierSteps)
    {
        string path = Path.Combine(folder, ClassifierFile);
        if (File.Exists(path)) return GlyphClassifier.Load(path, size);
        GlyphClassifier? classifier = null;
        await TrainingBar.RunAsync(console, "classifier (clean glyphs)", 0, steps,
            progress => classifier = GlyphClassifier.Train(fonts, steps, size, checkpointPath: path, progress: progress, cancellationToken: ct), ct);
        return classifier!;
    }

    /// <summary>The score as a small table.</summary>
    public static void PrintScore(CliConsole console, SaaeScore score)
    {
        var table = new Table().AddColumns("held-out styles", "value")
            .AddRow("recognised as the intended character", $"{score.Recognition:P1} of {score.Samples}")
            .AddRow("true targets recognised (classifier ceiling)", $"{score.TargetRecognition:P1}")
            .AddRow("reconstruction L1 (mean |G − target|, 0…1)", $"{score.ReconstructionL1:F4}");
        console.Out.Write(table);
    }

    /// <summary>Writes the content × style grid of <paramref name="styles"/> held-out exemplars, enlarged for viewing.</summary>
    public static void WriteGrid(SaaeGenerator generator, GlyphDataset heldOut, string path, string characters = GridCharacters, int styles = 6, int scale = 3)
    {
        using var scope = NewDisposeScope();
        var exemplars = heldOut.Exemplars(styles);
        var grid = SaaeGrid.ContentByStyle(generator, heldOut, characters, exemplars);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        ImageIO.Save(SaaeGrid.Enlarge(grid, scale), path);
    }
}
