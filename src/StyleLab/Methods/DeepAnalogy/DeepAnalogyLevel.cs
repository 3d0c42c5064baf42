namespace StyleLab.Methods.DeepAnalogy;

/// <summary>One level L of the coarse-to-fine pyramid (Liao et al. 2017, §4.3 and Table 1's settings).</summary>
/// <param name="Layer">The VGG-19 layer whose features are matched, e.g. <c>relu4_1</c>.</param>
/// <param name="Alpha">α_L, the most A′ keeps of A's own features here (<see cref="BlendWeights"/>). Unused at the deepest level, where A′ = A and B = B′.</param>
/// <param name="PatchSize">PatchMatch patch side at this level.</param>
/// <param name="SearchRadius">Random-search radius; null searches the whole map (the deepest level, which starts without a guess).</param>
public sealed record DeepAnalogyLevel(string Layer, float Alpha, int PatchSize, int? SearchRadius);
