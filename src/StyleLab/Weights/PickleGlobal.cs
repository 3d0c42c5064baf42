namespace StyleLab.Weights;

/// <summary>
/// A Python global (<c>module.name</c>) that a pickle named and the allow-list accepted.
/// </summary>
/// <remarks>
/// The unpickler never resolves a global to code: it only carries the name, so that
/// <see cref="TorchGlobals"/> can decide what, if anything, "calling" it builds.
/// </remarks>
internal sealed record PickleGlobal(string Module, string Name)
{
    public string FullName => Module + "." + Name;

    public override string ToString() => FullName;
}
