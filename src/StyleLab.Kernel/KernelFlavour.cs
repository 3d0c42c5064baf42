namespace StyleLab.Kernel;

/// <summary>Which kernel a kernelspec starts.</summary>
public enum KernelFlavour
{
    /// <summary>"C# (StyleLab)": StyleLab, TorchSharp and the formatters preloaded and imported.</summary>
    StyleLab,

    /// <summary>"C#": the framework only; packages come with <c>#r "nuget: …"</c> (StyleLab among them).</summary>
    Plain,
}
