using StyleLab.Decoders;
using StyleLab.Methods.CAST;
using static TorchSharp.torch;

namespace StyleLab.Tests.CAST;

/// <summary>CAST's modules against a PyTorch reference built from the official architecture (tools/fixtures/make_cast_golden.py).</summary>
public class GoldenTests
{
    static void AssertClose(Tensor expected, Tensor actual, double rtol, double atol, string what)
    {
        Assert.Equal(expected.shape, actual.shape);
        using var diff = (expected - actual).abs().max();
        using var scale = expected.abs().max();
        Assert.True(allclose(actual, expected, rtol, atol),
            $"{what}: max |Δ| {diff.item<float>():G4} (max |expected| {scale.item<float>():G4})");
    }

    [Fact]
    public void MSP_codes_and_projections_equal_the_official_architecture_at_every_layer()
    {
        using var scope = NewDisposeScope();
        var golden = GoldenWeights.Golden();
        using var msp = new MultiLayerStyleProjector();
        using var heads = new ProjectionHead();
        GoldenWeights.FillModule(msp);
        GoldenWeights.FillModule(heads);
        msp.eval();
        int[] layers = [0, 1, 2, 3, 4, 5];
        using var _ = no_grad();
        var codes = msp.Codes(GoldenWeights.Image(2, 128, 128, 0.0), layers);
        var projections = heads.Project(codes, layers);
        foreach (int l in layers)
        {
            AssertClose(golden[$"msp_code{l}"], codes[l], 1e-4, 1e-4, $"code {l}");
            AssertClose(golden[$"projection{l}"], projections[l], 1e-4, 2e-5, $"projection {l}");
        }
        // Only the stages needed run, and the order of the layers asked for is kept.
        var some = msp.Codes(GoldenWeights.Image(2, 128, 128, 0.0), [2, 0]);
        AssertClose(golden["msp_code2"], some[0], 1e-4, 1e-4, "code 2 alone");
        AssertClose(golden["msp_code0"], some[1], 1e-4, 1e-4, "code 0 alone");
    }

    [Fact]
    public void Generator_outputs_and_cycle_equal_the_official_architecture()
    {
        using var scope = NewDisposeScope();
        var golden = GoldenWeights.Golden();
        using var template = CastGenerator.Random("relu4_1");
        var official = template.OfficialStateDicts();
        // The official AE keys are enc_k.i; loading them exercises the checkpoint key mapping.
        var ae = official["AE"].ToDictionary(kv => kv.Key, kv => GoldenWeights.Fill(kv.Key, kv.Value.shape));
        Assert.Contains("enc_4.11.weight", ae.Keys);
        Assert.Equal(10, ae.Count(kv => kv.Key.EndsWith(".weight")));
        var decA = official["Dec_A"].ToDictionary(kv => kv.Key, kv => GoldenWeights.Fill("Dec_A." + kv.Key, kv.Value.shape));
        var decB = official["Dec_B"].ToDictionary(kv => kv.Key, kv => GoldenWeights.Fill("Dec_B." + kv.Key, kv.Value.shape));
        using var generator = new CastGenerator(
            CastWeights.EncoderFromStateDict(ae, "golden AE"),
            VggDecoder.FromStateDict(CastWeights.DecoderKeys(decA), "golden Dec_A"),
            VggDecoder.FromStateDict(CastWeights.DecoderKeys(decB), "golden Dec_B"));
        using var _ = no_grad();
        var content = GoldenWeights.Image(1, 32, 32, 0.5);
        var style = GoldenWeights.Image(1, 48, 40, 2.0);
        var fakeB = generator.Generate(content, style, CastDomain.Artistic);
        AssertClose(golden["fake_B"], fakeB, 1e-3, 1e-3, "fake_B");
        AssertClose(golden["fake_A"], generator.Generate(style, content, CastDomain.Realistic), 1e-3, 1e-3, "fake_A");
        AssertClose(golden["rec_A"], generator.Generate(fakeB, content, CastDomain.Realistic), 1e-3, 1e-3, "rec_A");
        // And the state dicts round-trip under the official names.
        var again = generator.OfficialStateDicts();
        Assert.True(allclose(again["AE"]["enc_2.5.weight"], ae["enc_2.5.weight"]));
        Assert.True(allclose(again["Dec_B"]["decoder.28.weight"], decB["decoder.28.weight"]));
    }

    [Fact]
    public void Discriminator_equals_the_official_antialiased_PatchGAN()
    {
        using var scope = NewDisposeScope();
        var golden = GoldenWeights.Golden();
        using var discriminator = new CastDiscriminator();
        Assert.Equal(
            ["model.0.weight", "model.0.bias", "model.2.filt", "model.3.weight", "model.3.bias", "model.6.filt",
             "model.7.weight", "model.7.bias", "model.10.filt", "model.11.weight", "model.11.bias", "model.14.weight", "model.14.bias"],
            discriminator.state_dict().Keys.OrderBy(k => int.Parse(k.Split('.')[1])).ThenBy(k => k.EndsWith("bias")));
        GoldenWeights.FillModule(discriminator);
        using var _ = no_grad();
        AssertClose(golden["discriminator"], discriminator.forward(GoldenWeights.Image(1, 64, 64, 1.0)), 1e-4, 1e-4, "D");
    }

    [Fact]
    public void InfoNCE_equals_the_official_loss_before_and_after_the_query_is_enqueued()
    {
        using var scope = NewDisposeScope();
        var golden = GoldenWeights.Golden();
        var query = GoldenWeights.UnitRows(4, 64, 0.2);
        var key = GoldenWeights.UnitRows(4, 64, 0.9);
        using var queue = new NegativeQueue(16, 64);
        using (no_grad()) queue.Data.copy_(GoldenWeights.UnitRows(16, 64, 1.7).t());
        AssertClose(golden["nce_loss"], InfoNceLoss.Compute(query, key, queue.Data, 0.07).view(1), 1e-5, 1e-5, "loss");
        queue.Enqueue(query);
        Assert.Equal(4, queue.Pointer);
        AssertClose(golden["nce_loss_enqueued"], InfoNceLoss.Compute(query, key, queue.Data, 0.07).view(1), 1e-5, 1e-5, "loss after enqueue");
        // The ring wraps: four more batches of four bring the pointer back to the start.
        for (int i = 0; i < 3; i++) queue.Enqueue(key);
        Assert.Equal(0, queue.Pointer);
        Assert.Throws<ArgumentException>(() => queue.Enqueue(GoldenWeights.UnitRows(3, 64, 0.1)));
    }
}
