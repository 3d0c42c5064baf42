namespace StyleLab.Methods.Gatys;

/// <summary>How the pixels are optimised.</summary>
public enum GatysOptimizer
{
    /// <summary>L-BFGS, the paper's choice: few steps, no learning rate to tune.</summary>
    Lbfgs,
    /// <summary>Adam with <see cref="GatysOptions.LearningRate"/>: cheaper per step, needs more steps; the image is kept in [0,1] after each step.</summary>
    Adam,
}
