namespace StyleLab.Methods.SANet;

/// <summary>Which SANet levels feed the merge convolution (an ablation of a model trained with both).</summary>
public enum SANetLevels
{
    /// <summary>Both, as trained: <c>merge_conv(F_csc(shallow) + up×2(F_csc(deep)))</c>.</summary>
    Both,

    /// <summary>Only the shallow level (relu4_1): the deep term of the sum is dropped.</summary>
    Shallow,

    /// <summary>Only the deep level (relu5_1, up-sampled): the shallow term of the sum is dropped.</summary>
    Deep,
}
