namespace StyleLab.Interactive;

/// <summary>
/// Replaces one notebook output in place. StyleLab's kernel provides it as
/// <c>display(x).Update</c>; a legacy .NET Interactive notebook as <c>x.Display().Update</c>.
/// Adapt either with <see cref="DisplayUpdater.From"/>.
/// </summary>
public interface IDisplayUpdater
{
    /// <summary>Shows <paramref name="content"/> in place of what the output showed before.</summary>
    void Update(object content);
}

/// <summary>Adapters to <see cref="IDisplayUpdater"/>.</summary>
public static class DisplayUpdater
{
    /// <summary>Wraps an update callback, e.g. <c>DisplayUpdater.From(display("starting…").Update)</c>.</summary>
    public static IDisplayUpdater From(Action<object> update) => new Callback(update ?? throw new ArgumentNullException(nameof(update)));

    sealed record Callback(Action<object> Update) : IDisplayUpdater
    {
        void IDisplayUpdater.Update(object content) => Update(content);
    }
}
