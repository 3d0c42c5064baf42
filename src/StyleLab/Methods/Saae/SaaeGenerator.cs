using StyleLab.Training;
using StyleLab.Weights;
using TorchSharp;
using static TorchSharp.torch;

namespace StyleLab.Methods.Saae;

/// <summary>
/// The SAAE generator (Zhao et al. 2018): the latent code is split into a content part Enc_c(x_c) and a
/// style part Enc_s(x_s), concatenated on channels (half each) and decoded by Dec. No prior is imposed on
/// the latent code; the adversary judges the decoded image instead.
/// </summary>
public sealed class SaaeGenerator : nn.Module<Tensor, Tensor, Tensor>
{
    // Field names are the state-dict keys: enc_c.conv1.conv.weight, enc_s.fc.weight, dec.conv3.norm.bias, …
    readonly ContentEncoder enc_c;
    readonly StyleEncoder enc_s;
    readonly SaaeDecoder dec;

    /// <summary>A generator with fresh (libtorch-seeded) weights, on the CPU.</summary>
    public SaaeGenerator(SaaeOptions? options = null) : base("G")
    {
        Options = (options ?? new SaaeOptions()).Validated();
        enc_c = new ContentEncoder(Options);
        enc_s = new StyleEncoder(Options);
        dec = new SaaeDecoder(Options);
        RegisterComponents();
    }

    /// <summary>The sizes.</summary>
    public SaaeOptions Options { get; }

    /// <summary>Enc_c.</summary>
    public ContentEncoder ContentEncoder => enc_c;

    /// <summary>Enc_s.</summary>
    public StyleEncoder StyleEncoder => enc_s;

    /// <summary>Dec.</summary>
    public SaaeDecoder Decoder => dec;

    /// <summary>The style vectors z_s [B, C·(S/8)²] of exemplars [B,3,S,2S].</summary>
    public Tensor EncodeStyle(Tensor exemplar) => enc_s.forward(exemplar);

    /// <summary>Content glyphs [B,3,S,S] drawn in the styles z_s [B, C·(S/8)²]: Dec([Enc_c(x_c); map(z_s)]).</summary>
    public Tensor Generate(Tensor content, Tensor style)
    {
        using var scope = NewDisposeScope();
        var latent = cat([enc_c.forward(content), enc_s.ToMap(style)], 1);
        return dec.forward(latent).MoveToOuterDisposeScope();
    }

    /// <summary>Content glyphs [B,3,S,S] in the styles of exemplars [B,3,S,2S].</summary>
    public override Tensor forward(Tensor content, Tensor exemplar)
    {
        using var scope = NewDisposeScope();
        return Generate(content, EncodeStyle(exemplar)).MoveToOuterDisposeScope();
    }

    /// <summary>Runs <paramref name="work"/> in evaluation mode (batch norm's running statistics) without gradients, then restores the mode.</summary>
    public T Inference<T>(Func<T> work)
    {
        bool training = this.training;
        eval();
        try
        {
            using var _ = no_grad();
            return work();
        }
        finally
        {
            train(training);
        }
    }

    /// <summary>
    /// The generator of a checkpoint written by <c>stylelab train saae</c> (or any <see cref="TrainingLoop{TBatch}"/>
    /// of <see cref="SaaeTraining"/>), in evaluation mode on <paramref name="device"/>.
    /// </summary>
    /// <exception cref="WeightFileException">The file is missing, corrupt, or not an SAAE checkpoint.</exception>
    public static SaaeGenerator Load(string path, Device? device = null)
    {
        using var checkpoint = Checkpoint.Load(path);
        SaaeGenerator? generator = null;
        try
        {
            generator = new SaaeGenerator(SaaeTraining.ReadOptions(checkpoint.Model));
            StateDicts.CopyInto(generator, checkpoint.Model, SaaeTraining.GeneratorPrefix);
            generator.to(device ?? CPU).eval();
            return generator;
        }
        catch (Exception e) when (e is InvalidDataException or ArgumentOutOfRangeException)
        {
            generator?.Dispose();
            throw new WeightFileException(path, e.Message, e);
        }
    }
}
