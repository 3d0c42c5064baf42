namespace StyleLab.Methods.SANet;

/// <summary>The weights of SANet's training loss, <c>λc Lc + λs Ls + λid1 Lid1 + λid2 Lid2</c>; defaults are the official code's.</summary>
/// <param name="ContentWeight">λc (1).</param>
/// <param name="StyleWeight">λs (3).</param>
/// <param name="Identity1Weight">λid1 (50): pixels of I_cc, I_ss against I_c, I_s.</param>
/// <param name="Identity2Weight">λid2 (1): their features at every loss layer.</param>
public sealed record SANetTrainingOptions(
    double ContentWeight = 1,
    double StyleWeight = 3,
    double Identity1Weight = 50,
    double Identity2Weight = 1);
