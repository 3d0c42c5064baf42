using StyleLab.Training;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace StyleLab.Methods.Saae;

/// <summary>
/// SAAE's three-step training schedule on <see cref="TrainingLoop{TBatch}"/> (Zhao et al. 2018, §3.3: "a
/// three-step training schedule stabilises the min-max game"). The paper does not spell the steps out;
/// StyleLab runs three phases on every batch, each with its own Adam:
/// <list type="number">
/// <item><b>R</b> (reconstruction): Enc_c, Enc_s, Dec minimise ‖G(x_c, x_s) − y‖₁, the target y being the
/// content character drawn in the exemplar's style. It teaches the split latent code what to carry.</item>
/// <item><b>D</b> (discriminator): cross-entropy of D on real targets labelled with their character
/// (k classes) and on generated images labelled "fake" (class k); one batch of both, so batch norm
/// sees the same statistics in steps 2 and 3.</item>
/// <item><b>G</b> (adversarial): the generator minimises D's cross-entropy towards the <i>intended</i>
/// character — the multi-class adversary demands that the glyph be that character and look real. Off
/// for the first <see cref="SaaeTrainingOptions.WarmupSteps"/> steps (a zero loss leaves Adam's update at
/// exactly zero), while D learns the real classes.</item>
/// </list>
/// The state dict holds both networks, the sizes (<c>saae.config</c>) and the schedule's step
/// (<c>saae.step</c>), so a checkpoint resumes exactly.
/// </summary>
public sealed class SaaeTraining : ITrainable<SaaeBatch>, IDisposable
{
    internal const string GeneratorPrefix = "generator.";
    internal const string DiscriminatorPrefix = "discriminator.";
    const string ConfigKey = "saae.config", StepKey = "saae.step";

    readonly Tensor _config;
    readonly Tensor _step = zeros(1, ScalarType.Int64);
    (SaaeBatch? Batch, Tensor? Images) _generated;

    /// <summary>Fresh networks (initialised from libtorch's generator) on <paramref name="device"/>, in training mode.</summary>
    public SaaeTraining(SaaeOptions? options = null, SaaeTrainingOptions? training = null, Device? device = null)
    {
        Generator = new SaaeGenerator(options);
        Discriminator = new SaaeDiscriminator(Generator.Options, GlyphAlphabet.Count);
        Training = training ?? new SaaeTrainingOptions();
        Generator.to(device ?? CPU).train();
        Discriminator.to(device ?? CPU).train();
        var o = Generator.Options;
        _config = tensor(new double[] { o.ImageSize, o.Channels, o.LeakySlope });
        var generatorParameters = Generator.parameters().ToList();
        Phases =
        [
            new("R", generatorParameters, Reconstruction, Training.ReconstructionLearningRate),
            new("D", Discriminator.parameters().ToList(), DiscriminatorLoss, Training.DiscriminatorLearningRate, Beta1: 0.5),
            new("G", generatorParameters, Adversarial, Training.AdversarialLearningRate, Beta1: 0.5),
        ];
    }

    /// <summary>G = Dec(Enc_c, Enc_s).</summary>
    public SaaeGenerator Generator { get; }

    /// <summary>D, with k + 1 outputs.</summary>
    public SaaeDiscriminator Discriminator { get; }

    /// <summary>The schedule's learning rates and warm-up.</summary>
    public SaaeTrainingOptions Training { get; }

    /// <summary>Steps of the schedule completed (restored by <see cref="LoadStateDict"/>).</summary>
    public long Step => _step.item<long>();

    /// <inheritdoc/>
    public IReadOnlyList<TrainingPhase<SaaeBatch>> Phases { get; }

    LossTerms Reconstruction(SaaeBatch batch)
    {
        var generated = Generator.forward(batch.Content, batch.Exemplar);
        _generated = (batch, generated.detach());
        var l1 = (generated - batch.Target).abs().mean();
        return new LossTerms(l1, new Dictionary<string, Tensor> { ["L1"] = l1 });
    }

    LossTerms DiscriminatorLoss(SaaeBatch batch)
    {
        // Step 1's images of this very batch serve as the fakes (the loop keeps a step's tensors alive
        // until the step ends), which saves a generator pass; otherwise (a phase run on its own, or those
        // images already freed) the phase makes its own.
        Tensor fake;
        if (ReferenceEquals(_generated.Batch, batch) && _generated.Images is { IsInvalid: false } images) fake = images;
        else using (no_grad()) fake = Generator.forward(batch.Content, batch.Exemplar);
        _generated = default;
        var (real, faked) = Judge(batch, fake, batch.Labels.new_full(batch.Labels.shape, Discriminator.FakeClass));
        return new LossTerms(real + faked, new Dictionary<string, Tensor> { ["real"] = real, ["fake"] = faked });
    }

    LossTerms Adversarial(SaaeBatch batch)
    {
        var (_, adversarial) = Judge(batch, Generator.forward(batch.Content, batch.Exemplar), batch.Labels);
        bool warm = Step >= Training.WarmupSteps;
        _step.add_(1);
        return new LossTerms(warm ? adversarial : 0 * adversarial, new Dictionary<string, Tensor> { ["adv"] = adversarial });
    }

    /// <summary>D's mean cross-entropy on the real targets (towards their labels) and on <paramref name="fake"/> (towards <paramref name="fakeLabels"/>).</summary>
    (Tensor Real, Tensor Fake) Judge(SaaeBatch batch, Tensor fake, Tensor fakeLabels)
    {
        long n = batch.Target.shape[0];
        var logits = Discriminator.forward(cat([batch.Target, fake], 0));
        var ce = F.cross_entropy(logits, cat([batch.Labels, fakeLabels], 0), reduction: nn.Reduction.None);
        return (ce[..(int)n].mean(), ce[(int)n..].mean());
    }

    /// <inheritdoc/>
    public Dictionary<string, Tensor> StateDict()
    {
        var state = StateDicts.Prefixed(Generator, GeneratorPrefix).Concat(StateDicts.Prefixed(Discriminator, DiscriminatorPrefix))
            .ToDictionary(kv => kv.Key, kv => kv.Value);
        state[ConfigKey] = _config;
        state[StepKey] = _step;
        return state;
    }

    /// <inheritdoc/>
    /// <exception cref="InvalidDataException">The state is of other sizes, or a tensor is missing.</exception>
    public void LoadStateDict(IReadOnlyDictionary<string, Tensor> state)
    {
        var saved = ReadOptions(state);
        if (saved != Generator.Options)
            throw new InvalidDataException($"the checkpoint is of an SAAE model with {saved}, this one has {Generator.Options}.");
        StateDicts.CopyInto(Generator, state, GeneratorPrefix);
        StateDicts.CopyInto(Discriminator, state, DiscriminatorPrefix);
        if (!state.TryGetValue(StepKey, out var step)) throw new InvalidDataException($"tensor '{StepKey}' is missing.");
        _step.copy_(step);
    }

    /// <summary>The sizes a state dict was made with.</summary>
    /// <exception cref="InvalidDataException">Not an SAAE state dict.</exception>
    internal static SaaeOptions ReadOptions(IReadOnlyDictionary<string, Tensor> state)
    {
        if (!state.TryGetValue(ConfigKey, out var config) || config.numel() != 3)
            throw new InvalidDataException($"not an SAAE checkpoint (no '{ConfigKey}' tensor).");
        var values = config.to_type(ScalarType.Float64).data<double>().ToArray();
        return new SaaeOptions((int)values[0], (int)values[1], values[2]);
    }

    /// <summary>Releases both networks.</summary>
    public void Dispose()
    {
        Generator.Dispose();
        Discriminator.Dispose();
        _config.Dispose();
        _step.Dispose();
    }
}
