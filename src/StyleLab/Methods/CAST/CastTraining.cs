using StyleLab.Decoders;
using StyleLab.Encoders;
using StyleLab.Losses;
using StyleLab.Training;
using StyleLab.Weights;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace StyleLab.Methods.CAST;

/// <summary>
/// CAST's training (official <c>CASTModel.optimize_parameters</c>) as three phases of
/// <see cref="TrainingLoop{TBatch}"/>, in the official order, each with its own Adam:
/// <list type="number">
/// <item><b>D</b> — both discriminators (hinge loss) on real images and the detached fakes;</item>
/// <item><b>P</b> — the MSP and its projection heads: InfoNCE between two crops of each painting, the
///   first crop's codes enqueued as negatives before the loss (as the official code does);</item>
/// <item><b>G</b> — encoder and both decoders: GAN (0.1 each), style InfoNCE of fake_B's codes against
///   real_B's (0.05) and L1 cycle (4.0).</item>
/// </list>
/// The generator's forward pass (fake_B, fake_A, rec_A, rec_B) runs once per step, at the start of
/// phase D, and phase G reuses it, as the official <c>forward()</c> before the three updates.
/// Batches: <see cref="ImagePair.Content"/> = realistic domain A, <see cref="ImagePair.Style"/> = artistic domain B, [0,1].
/// </summary>
/// <remarks>
/// With <see cref="CastOptions.WarmupSteps"/> &gt; 0 (not in the paper) a "warm-up" phase with its own Adam takes
/// G's place for the first steps: Dec_A reconstructs real_A and Dec_B real_B from their encoder features (terms
/// "rec_A", "rec_B"), the encoder frozen; phases D and P run as usual, and G starts with fresh moment estimates.
/// </remarks>
public sealed class CastTraining : ITrainable<ImagePair>, IDisposable
{
    const string CropsKey = "cast.negative_crops";
    const string CropsPointerKey = "cast.negative_crops_ptr";

    readonly NegativeQueue[] _queues;
    // RefreshNegatives: a ring of painting crops [K,3,h,w] (allocated at the first batch) and (next slot, filled).
    Tensor? _negativeCrops;
    readonly Tensor _negativeCropsPointer = zeros(2, ScalarType.Int64);
    Tensor[]? _freshNegatives;
    ImagePair? _forBatch;
    Tensor? _realA, _realB, _fakeA, _fakeB;

    /// <summary>The generator being trained.</summary>
    public CastGenerator Generator { get; }

    /// <summary>The MSP (official netD, the style extractor).</summary>
    public MultiLayerStyleProjector Projector { get; }

    /// <summary>The projection heads (official netP_style).</summary>
    public ProjectionHead Heads { get; }

    /// <summary>Discriminator of the realistic domain (official D_A).</summary>
    public CastDiscriminator DiscriminatorA { get; }

    /// <summary>Discriminator of the artistic domain (official D_B).</summary>
    public CastDiscriminator DiscriminatorB { get; }

    /// <summary>Loss weights and optimiser settings.</summary>
    public CastOptions Options { get; }

    /// <inheritdoc/>
    public IReadOnlyList<TrainingPhase<ImagePair>> Phases { get; }

    /// <summary>Assembles a training run from its networks; queues start random (seeded by <paramref name="seed"/>).</summary>
    public CastTraining(CastGenerator generator, MultiLayerStyleProjector projector, ProjectionHead heads,
        CastDiscriminator discriminatorA, CastDiscriminator discriminatorB, CastOptions? options = null, long seed = 0)
    {
        Generator = generator;
        Projector = projector;
        Heads = heads;
        DiscriminatorA = discriminatorA;
        DiscriminatorB = discriminatorB;
        Options = options ?? new CastOptions();
        var device = generator.parameters().First().device;
        var queueGenerator = new Generator((ulong)seed, device);
        _queues = Options.Layers.Select(_ => new NegativeQueue(Options.QueueSize, generator: queueGenerator)).ToArray();
        foreach (var q in _queues) q.to(device);
        Phases =
        [
            new("D", Distinct(discriminatorA, discriminatorB), DiscriminatorLoss, Options.LearningRateD, Options.Beta1, Options.Beta2),
            // Only what the layers in use reach gets an Adam (unused stages and heads receive no gradient).
            new("P", projector.ParametersFor(Options.Layers).Concat(heads.ParametersFor(Options.Layers)).DistinctBy(p => p.Handle).ToList(), ProjectorLoss, Options.LearningRateNce, Options.Beta1, Options.Beta2),
        ];
        int warmup = Options.WarmupSteps;
        if (warmup > 0)
            Phases = [.. Phases, new("warm-up", Distinct(generator.DecoderA, generator.DecoderB), Reconstruction, Options.LearningRateG, Options.Beta1, Options.Beta2, UntilStep: warmup)];
        Phases = [.. Phases, new("G", Distinct(generator), GeneratorLoss, Options.LearningRateG, Options.Beta1, Options.Beta2, FromStep: warmup)];
    }

    /// <summary>
    /// The offline variant StyleLab trains on ../shared: the generator at relu3_1 on the partial
    /// ImageNet VGG (its encoder fine-tuned, as CAST does), new decoders, discriminators and heads with
    /// the official N(0, 0.02) initialisation, and the MSP from scratch (official initialisation) or from
    /// that VGG (<paramref name="mspFromImageNet"/>).
    /// </summary>
    /// <param name="partialVggPath">The partial ImageNet VGG-19 (to relu3_4 at least).</param>
    /// <param name="options">Loss weights and optimiser settings (default: the official ones).</param>
    /// <param name="mspFromImageNet">Initialise the MSP's style VGG from the ImageNet convolutions instead of N(0, 0.02).</param>
    /// <param name="seed">Seeds every initialisation and the negative queues.</param>
    /// <param name="device">Where the networks live.</param>
    /// <param name="normaliseOver">
    /// Not in the paper: when given, images ([N,3,H,W] in [0,1]) over which the VGG is mean-activation normalised
    /// first (<see cref="VggNormalisation"/>, as AdaIN's official encoder was), so the generator's features are about
    /// 1 at relu3_1 instead of Caffe-scale hundreds that fresh N(0, 0.02) decoders must first learn to undo.
    /// </param>
    public static CastTraining Offline(string partialVggPath, CastOptions? options = null, bool mspFromImageNet = false, long seed = 0,
        Device? device = null, IEnumerable<Tensor>? normaliseOver = null)
    {
        using var saved = random.get_rng_state();
        random.manual_seed(seed);
        var stateDict = StateDictFile.Load(partialVggPath, out var metadata);
        Vgg19Encoder encoder, imagenet;
        try
        {
            var preprocessing = metadata.TryGetValue("preprocessing", out var p) ? Preprocessing.FromName(p.Split(':', ' ', ',')[0]) : Preprocessing.Caffe;
            imagenet = Vgg19Encoder.FromStateDict(stateDict, preprocessing, VggPresets.Normalised, partialVggPath);
            if (normaliseOver is not null)
            {
                var normalised = VggNormalisation.Normalise(imagenet, normaliseOver);
                imagenet.Dispose();
                imagenet = normalised;
            }
            var weights = imagenet.state_dict();
            encoder = Vgg19Encoder.FromStateDict(weights, preprocessing, VggPresets.Normalised, imagenet.Source, VggWeightLayout.Named, trainable: true);
        }
        finally
        {
            foreach (var t in stateDict.Values) t.Dispose();
        }
        var generator = new CastGenerator(encoder, Initialise(new VggDecoder("relu3_1")), Initialise(new VggDecoder("relu3_1")));
        var projector = Initialise(new MultiLayerStyleProjector());
        if (mspFromImageNet) StyleVgg.InitialiseFrom(projector.Stages.ToArray(), imagenet);
        imagenet.Dispose();
        var training = new CastTraining(generator, projector, Initialise(new ProjectionHead()),
            Initialise(new CastDiscriminator()), Initialise(new CastDiscriminator()), options, seed);
        random.set_rng_state(saved);
        if (device is not null) training.To(device);
        return training;
    }

    /// <summary>
    /// The official <c>init_net(…, 'normal', 0.02)</c>: convolution and linear weights ~ N(0, 0.02), biases 0,
    /// batch-norm scales ~ N(1, 0.02). (The official script applies it to the encoder and the style VGG
    /// too, after loading their pretrained weights — which overwrites them; see docs/architecture.md.)
    /// </summary>
    public static T Initialise<T>(T module) where T : nn.Module
    {
        using var _ = no_grad();
        foreach (var (_, m) in module.named_modules())
        {
            switch (m)
            {
                case Conv2d conv:
                    nn.init.normal_(conv.weight!, 0, 0.02);
                    if (conv.bias is not null) nn.init.zeros_(conv.bias);
                    break;
                case Linear linear:
                    nn.init.normal_(linear.weight!, 0, 0.02);
                    if (linear.bias is not null) nn.init.zeros_(linear.bias);
                    break;
                case BatchNorm2d bn:
                    nn.init.normal_(bn.weight!, 1, 0.02);
                    nn.init.zeros_(bn.bias!);
                    break;
            }
        }
        return module;
    }

    /// <summary>Moves every network and queue to <paramref name="device"/>.</summary>
    public void To(Device device)
    {
        foreach (var m in Modules()) m.to(device);
        foreach (var q in _queues) q.to(device);
        if (_negativeCrops is not null)
        {
            var moved = _negativeCrops.to(device).DetachFromDisposeScope();
            if (!ReferenceEquals(moved, _negativeCrops)) _negativeCrops.Dispose();
            _negativeCrops = moved;
        }
    }

    IEnumerable<nn.Module> Modules() => [Generator, Projector, Heads, DiscriminatorA, DiscriminatorB];

    static List<Parameter> Distinct(params nn.Module[] modules) =>
        modules.SelectMany(m => m.parameters()).DistinctBy(p => p.Handle).ToList();

    static void SetRequiresGrad(bool value, params nn.Module[] modules)
    {
        foreach (var p in modules.SelectMany(m => m.parameters())) p.requires_grad = value;
    }

    /// <summary>The official forward: both translations, once per batch (the cycles, which only G uses, are made there).</summary>
    void Forward(ImagePair batch)
    {
        if (ReferenceEquals(batch, _forBatch)) return;
        _forBatch = batch;
        var range = CastGenerator.ImageRange;
        // These live until the end of the loop's step scope, which the three phases share.
        _realA = range.Apply(batch.Content);
        _realB = range.Apply(batch.Style);
        _fakeB = Generator.Generate(_realA, _realB, CastDomain.Artistic);
        _fakeA = Generator.Generate(_realB, _realA, CastDomain.Realistic);
    }

    LossTerms DiscriminatorLoss(ImagePair batch)
    {
        Forward(batch);
        SetRequiresGrad(true, DiscriminatorA, DiscriminatorB);
        SetRequiresGrad(false, Projector, Heads);
        Tensor Basic(CastDiscriminator d, Tensor real, Tensor fake)
        {
            using var fakeDetached = fake.detach();
            return (HingeGanLoss.Compute(d.forward(real), true) + HingeGanLoss.Compute(d.forward(fakeDetached), false)) * 0.5;
        }
        var lossB = Basic(DiscriminatorB, _realB!, _fakeB!) * Options.GanDiscriminatorB;
        var lossA = Basic(DiscriminatorA, _realA!, _fakeA!) * Options.GanDiscriminatorA;
        return new LossTerms((lossB + lossA) * 0.5, new Dictionary<string, Tensor> { ["D_A"] = lossA, ["D_B"] = lossB });
    }

    Tensor[] Project(Tensor images) => Heads.Project(Projector.Codes(PatchSampler.Sample(images, Options.CropScaleMin), Options.Layers), Options.Layers);

    LossTerms ProjectorLoss(ImagePair batch)
    {
        Forward(batch);
        SetRequiresGrad(true, Projector, Heads);
        SetRequiresGrad(false, DiscriminatorA, DiscriminatorB);
        // Re-encoded before this step's passes: restoring batch norm's running statistics afterwards would
        // modify tensors the backward pass needs.
        var stored = Options.RefreshNegatives ? EncodeStoredCrops() : null;
        // The official step also encodes two crops of real_A; their loss is disabled (weight 0) but they
        // move batch norm's running statistics and draw crops, so they are kept.
        Project(_realA!);
        var queryCrops = PatchSampler.Sample(_realB!, Options.CropScaleMin);
        var queryB = Heads.Project(Projector.Codes(queryCrops, Options.Layers), Options.Layers);
        Project(_realA!);
        var keyB = Project(_realB!);
        Tensor loss = zeros(1, device: _realB!.device).squeeze();
        for (int i = 0; i < _queues.Length; i++) _queues[i].Enqueue(queryB[i]);
        if (stored is not null)
        {
            // The queries first among their negatives, as the official enqueue-then-loss order.
            _freshNegatives = stored.Select((codes, i) => cat([queryB[i].detach().t(), codes], 1)).ToArray();
            StoreCrops(queryCrops);
        }
        else _freshNegatives = null;
        for (int i = 0; i < _queues.Length; i++)
            loss = loss + InfoNceLoss.Compute(queryB[i], keyB[i], Negatives(i), Options.Temperature);
        var total = loss * 0.5 * Options.NceProjector;
        return new LossTerms(total, new Dictionary<string, Tensor> { ["nce"] = total });
    }

    /// <summary>The negatives [D,K] of layer <paramref name="i"/>: the queue's stored codes, or this step's re-encoded crops.</summary>
    Tensor Negatives(int i) => _freshNegatives is { } fresh ? fresh[i] : _queues[i].Data;

    /// <summary>The current MSP's codes [D,n] (per layer) of the crops stored so far (n = 0 at the first step).</summary>
    Tensor[] EncodeStoredCrops()
    {
        long filled = _negativeCropsPointer[1].item<long>();
        if (_negativeCrops is null || filled == 0)
            return Options.Layers.Select(_ => zeros([ProjectionHead.Dimension, 0], device: _realB!.device)).ToArray();
        using var scope = NewDisposeScope();
        var codes = StyleCodes.OneByOne(Projector, Heads, _negativeCrops.narrow(0, 0, filled), Options.Layers);
        return codes.Select(c => c.t().contiguous().MoveToOuterDisposeScope()).ToArray();
    }

    /// <summary>Writes this step's query crops over the oldest stored ones (a ring of <see cref="CastOptions.QueueSize"/>).</summary>
    void StoreCrops(Tensor queryCrops)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        long batch = queryCrops.shape[0], size = Options.QueueSize;
        if (size % batch != 0)
            throw new ArgumentException($"The queue size ({size}) must be a multiple of the batch size ({batch}), as in the official code.");
        if (_negativeCrops is null || _negativeCrops.shape[2] != queryCrops.shape[2] || _negativeCrops.shape[3] != queryCrops.shape[3])
        {
            if (_negativeCrops is not null && _negativeCropsPointer[1].item<long>() > 0)
                throw new InvalidOperationException("RefreshNegatives needs crops of one size throughout a run.");
            // Lives with the training, not the step.
            _negativeCrops = zeros([size, 3, queryCrops.shape[2], queryCrops.shape[3]], device: queryCrops.device).DetachFromDisposeScope();
        }
        long pointer = _negativeCropsPointer[0].item<long>(), filled = _negativeCropsPointer[1].item<long>();
        _negativeCrops.narrow(0, pointer, batch).copy_(queryCrops.detach());
        _negativeCropsPointer[0] = (pointer + batch) % size;
        _negativeCropsPointer[1] = Math.Min(size, filled + batch);
    }

    /// <summary>The warm-up's loss: each decoder reconstructs its own domain from the (frozen) encoder's features.</summary>
    LossTerms Reconstruction(ImagePair batch)
    {
        Forward(batch);
        _forBatch = null;
        var encoder = Generator.Encoder.parameters().ToList();
        foreach (var p in encoder) p.requires_grad = false;
        try
        {
            var recA = ReconstructionLoss.Compute(Generator.Features, f => Generator.Decode(f, CastDomain.Realistic), _realA!);
            var recB = ReconstructionLoss.Compute(Generator.Features, f => Generator.Decode(f, CastDomain.Artistic), _realB!);
            return new LossTerms((recA.Total + recB.Total) * 0.5, new Dictionary<string, Tensor> { ["rec_A"] = recA.Total, ["rec_B"] = recB.Total });
        }
        finally
        {
            // The graph is built: gradients reach only the decoders; G trains the encoder again after the warm-up.
            foreach (var p in encoder) p.requires_grad = true;
        }
    }

    LossTerms GeneratorLoss(ImagePair batch)
    {
        Forward(batch);
        SetRequiresGrad(false, DiscriminatorA, DiscriminatorB, Projector, Heads);
        _forBatch = null;
        // The cycles (the official forward makes them before D; no weight they use has changed since).
        var recA = Generator.Generate(_fakeB!, _realA!, CastDomain.Realistic);
        var recB = Generator.Generate(_fakeA!, _realB!, CastDomain.Artistic);
        var ganA = HingeGanLoss.Compute(DiscriminatorB.forward(_fakeB!), true) * Options.GanGeneratorA;
        var ganB = HingeGanLoss.Compute(DiscriminatorA.forward(_fakeA!), true) * Options.GanGeneratorB;

        // Crops in the official order: real_A, real_B, fake_A, fake_B; only (fake_B, real_B) enters the loss.
        var cropRealA = PatchSampler.Sample(_realA!, Options.CropScaleMin);
        var cropRealB = PatchSampler.Sample(_realB!, Options.CropScaleMin);
        var cropFakeA = PatchSampler.Sample(_fakeA!, Options.CropScaleMin);
        var cropFakeB = PatchSampler.Sample(_fakeB!, Options.CropScaleMin);
        Heads.Project(Projector.Codes(cropRealA, Options.Layers), Options.Layers);
        var keyB = Heads.Project(Projector.Codes(cropRealB, Options.Layers), Options.Layers);
        Heads.Project(Projector.Codes(cropFakeA, Options.Layers), Options.Layers);
        var queryB = Heads.Project(Projector.Codes(cropFakeB, Options.Layers), Options.Layers);
        Tensor nce = zeros(1, device: _realB!.device).squeeze();
        for (int i = 0; i < _queues.Length; i++)
            nce = nce + InfoNceLoss.Compute(queryB[i], keyB[i], Negatives(i), Options.Temperature);
        var nceStyle = nce * 0.5 * Options.NceGenerator;

        var cycleA = F.l1_loss(recA, _realA!) * Options.Cycle;
        var cycleB = F.l1_loss(recB, _realB!) * Options.Cycle;
        var cycle = (cycleA + cycleB) * 0.5;
        var total = cycle + nceStyle + (ganA + ganB) * 0.5;
        return new LossTerms(total, new Dictionary<string, Tensor>
        {
            ["GAN_A"] = ganA, ["GAN_B"] = ganB, ["nce_style"] = nceStyle, ["cycle"] = cycle,
        });
    }

    /// <summary>Every network and queue, keyed "<c>net.</c>official key" (net = AE, Dec_A, Dec_B, D, P_style, D_A, D_B, nce_loss), and with <see cref="CastOptions.RefreshNegatives"/> the stored crops.</summary>
    public Dictionary<string, Tensor> StateDict()
    {
        var result = new Dictionary<string, Tensor>();
        foreach (var (net, dict) in OfficialStateDicts())
            foreach (var (key, value) in dict) result[$"{net}.{key}"] = value;
        if (_negativeCrops is not null)
        {
            result[CropsKey] = _negativeCrops;
            result[CropsPointerKey] = _negativeCropsPointer;
        }
        return result;
    }

    /// <summary>The official per-network state dicts (as the official script saves them, one file each).</summary>
    public Dictionary<string, Dictionary<string, Tensor>> OfficialStateDicts()
    {
        var result = Generator.OfficialStateDicts();
        result["D"] = Projector.state_dict();
        result["P_style"] = Heads.state_dict();
        result["D_A"] = DiscriminatorA.state_dict();
        result["D_B"] = DiscriminatorB.state_dict();
        var queues = new Dictionary<string, Tensor>();
        for (int i = 0; i < _queues.Length; i++)
        {
            queues[$"queue_data_B{Options.Layers[i]}"] = _queues[i].Data;
            queues[$"queue_ptr_B{Options.Layers[i]}"] = _queues[i].state_dict()["queue_ptr"];
        }
        result["nce_loss"] = queues;
        return result;
    }

    /// <inheritdoc/>
    public void LoadStateDict(IReadOnlyDictionary<string, Tensor> state)
    {
        using var _ = no_grad();
        if (state.TryGetValue(CropsKey, out var crops))
        {
            _negativeCrops?.Dispose();
            _negativeCrops = crops.detach().to(Generator.parameters().First().device, copy: true).DetachFromDisposeScope();
            _negativeCropsPointer.copy_(state[CropsPointerKey]);
        }
        else if (Options.RefreshNegatives)
            throw new ArgumentException($"The CAST checkpoint lacks '{CropsKey}', which a run with RefreshNegatives keeps.", nameof(state));
        foreach (var (key, target) in StateDict())
        {
            if (!state.TryGetValue(key, out var value))
                throw new ArgumentException($"The CAST checkpoint lacks '{key}'.", nameof(state));
            target.copy_(value);
        }
    }

    /// <summary>
    /// Writes <c>latest_net_{AE,Dec_A,Dec_B,D,P_style,D_A,D_B}.safetensors</c> into <paramref name="folder"/>,
    /// each with the official keys; the encoder file records its preprocessing when it is not the official [-1,1] one.
    /// </summary>
    public void SaveOfficial(string folder)
    {
        Directory.CreateDirectory(folder);
        foreach (var (net, dict) in OfficialStateDicts())
        {
            if (net == "nce_loss") continue;
            var metadata = new Dictionary<string, string> { ["format"] = "CAST (zyxElsa/CAST_pytorch) net_" + net, ["layer"] = Generator.Layer };
            if (net == "AE" && Generator.Encoder.Preprocessing != CastGenerator.ImageRange)
                metadata["preprocessing"] = Generator.Encoder.Preprocessing.Name;
            SafeTensors.Save(Path.Combine(folder, $"latest_net_{net}.safetensors"), dict.ToDictionary(kv => kv.Key, kv => kv.Value.detach().cpu()), metadata);
        }
    }

    /// <summary>Releases every network and queue.</summary>
    public void Dispose()
    {
        foreach (var m in Modules()) m.Dispose();
        foreach (var q in _queues) q.Dispose();
        _negativeCropsPointer.Dispose();
        _negativeCrops?.Dispose();
    }
}
