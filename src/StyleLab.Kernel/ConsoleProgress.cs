namespace StyleLab.Kernel;

/// <summary>Progress lines on the running cell's stdout (the console is the cell's while it runs), in order.</summary>
internal sealed class ConsoleProgress : IProgress<string>
{
    public static readonly ConsoleProgress Instance = new();

    public void Report(string value) => Console.Out.WriteLine(value);
}
