using System.Text.Json;
using StyleLab.Interactive;
using StyleLab.Methods.SANet;
using static TorchSharp.torch;

namespace StyleLab.Tests.SANet;

public class AttentionExplorerTests
{
    [Fact]
    public void The_explorer_embeds_every_level_as_compact_rows_scaled_to_their_maximum()
    {
        using var scope = NewDisposeScope();
        using var model = SANetModel.Random(SANetLayers.Shallow3, seed: 7);
        var content = rand(1, 3, 64, 48);
        var style = rand(1, 3, 48, 64);
        var explorer = AttentionExplorer.Create(model, content, style, contentGrid: 6, styleGrid: 8);
        using var payload = JsonDocument.Parse(explorer.PayloadJson);
        var levels = payload.RootElement.GetProperty("levels");
        Assert.Equal(2, levels.GetArrayLength());
        var shallow = levels[0];
        Assert.Equal("relu3_1", shallow.GetProperty("layer").GetString());
        int cRows = shallow.GetProperty("content").GetProperty("rows").GetInt32(), cCols = shallow.GetProperty("content").GetProperty("cols").GetInt32();
        Assert.Equal(6, cRows);   // relu3_1: 16×12 positions → at most 6 cells along the longer side
        Assert.InRange(cCols, 4, 5);
        Assert.Equal(8, shallow.GetProperty("style").GetProperty("cols").GetInt32());
        var rows = Convert.FromBase64String(shallow.GetProperty("rows").GetProperty("base64").GetString()!);
        int gs = 8 * 6, gc = rows.Length / gs;
        Assert.Equal(cRows * cCols, gc);
        for (int r = 0; r < gc; r++) Assert.Equal(255, rows.Skip(r * gs).Take(gs).Max());
        var max = MemoryMarshalFloats(shallow.GetProperty("max").GetProperty("base64").GetString()!);
        Assert.All(max, m => Assert.InRange(m, 1f / gs - 1e-6f, 1f));
        Assert.Contains("attention-explorer", explorer.ToHtml().Replace("stylelab-attention", "attention-explorer"));
        Assert.Contains("mousemove", explorer.ToHtml());
    }

    static float[] MemoryMarshalFloats(string base64)
    {
        var bytes = Convert.FromBase64String(base64);
        var floats = new float[bytes.Length / 4];
        Buffer.BlockCopy(bytes, 0, floats, 0, bytes.Length);
        return floats;
    }
}
