using System.Net;
using System.Text;
using StyleLab.Imaging;
using StyleLab.Interactive;
using StyleLab.Methods.DeepAnalogy;
using static TorchSharp.torch;

namespace StyleLab.Cli;

/// <summary>Writes what <c>stylelab analogy</c> produced: images, field colour maps, and one self-contained report.html.</summary>
public static class AnalogyReport
{
    /// <summary>The files every report writes (besides one pair per level): what <c>--force</c> guards.</summary>
    public static IReadOnlyList<string> FileNames { get; } =
        ["A.png", "BPrime.png", "APrime.png", "B.png", "nnf_ab.png", "nnf_ba.png", "nnf_key_bprime.png", "nnf_ab_displacement.png", "consistency_ab.png", "report.html"];

    /// <summary>Writes the files into <paramref name="folder"/>; returns how many.</summary>
    public static int Write(DeepAnalogyResult result, Tensor a, Tensor bPrime, string folder)
    {
        Directory.CreateDirectory(folder);
        var images = new List<(string File, string Caption, Tensor Image)>();
        void Add(string file, string caption, Tensor image) => images.Add((file, caption, image));
        using var scope = NewDisposeScope();
        Add("A.png", "A (input)", a);
        Add("BPrime.png", "B′ (input)", bPrime);
        Add("APrime.png", "A′: A's layout, B′'s appearance", result.APrime);
        Add("B.png", "B: B′'s layout, A's appearance", result.B);
        Add("nnf_ab.png", "φ a→b coloured by matched position in B′", NnfColorMap.Coordinates(result.AToB));
        Add("nnf_ba.png", "φ b→a coloured by matched position in A", NnfColorMap.Coordinates(result.BToA));
        Add("nnf_key_bprime.png", "colour key of B′ positions", NnfColorMap.Key(result.AToB.TargetHeight, result.AToB.TargetWidth, result.APrime.device));
        Add("nnf_ab_displacement.png", "φ a→b displacement (hue = direction, saturation = length)", NnfColorMap.Displacement(result.AToB));
        Add("consistency_ab.png", "round-trip error ‖φ b→a(φ a→b(p)) − p‖ (white ≥ 8 px)",
            BidirectionalConsistency.Image(BidirectionalConsistency.Map(result.AToB, result.BToA)));
        foreach (var level in result.Levels)
        {
            Add($"level_{level.Layer}_APrime.png", $"A′ from the {level.Layer} field", level.APrimeImage);
            Add($"level_{level.Layer}_B.png", $"B from the {level.Layer} field", level.BImage);
        }
        foreach (var (file, _, image) in images) ImageIO.Save(image, Path.Combine(folder, file));

        var html = new StringBuilder("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Deep Image Analogy</title></head>" +
            "<body style=\"font:14px sans-serif;margin:16px\"><h1 style=\"font-size:20px\">Deep Image Analogy</h1>");
        html.Append("<p>Levels ").Append(WebUtility.HtmlEncode(string.Join(", ", result.Levels.Select(l => l.Layer)))).Append("; time ")
            .Append(WebUtility.HtmlEncode(string.Join(", ", result.TimeByStage.Select(kv => $"{kv.Key} {kv.Value.TotalSeconds:F1} s")))).Append(".</p>");
        html.Append(CorrespondenceExplorer.Create(result, bPrime).ToHtml());
        html.Append("<div style=\"display:flex;flex-wrap:wrap;gap:12px;margin-top:16px\">");
        foreach (var (file, caption, image) in images)
            html.Append("<figure style=\"margin:0\">").Append(InlineImage.Html(image, alt: file, displaySide: 256))
                .Append("<figcaption style=\"font:12px sans-serif;max-width:256px\">").Append(WebUtility.HtmlEncode(caption)).Append("</figcaption></figure>");
        html.Append("</div></body></html>");
        File.WriteAllText(Path.Combine(folder, "report.html"), html.ToString());
        return images.Count + 1;
    }
}
