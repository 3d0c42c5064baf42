using System.CommandLine;
using System.CommandLine.Parsing;
using StyleLab.Imaging;

namespace StyleLab.Cli;

/// <summary>
/// The <c>--size</c> option of every command that scales images (and other options in pixels, such as quilt's
/// <c>--width</c>), declared and checked in one place: a side between a minimum and <see cref="Resize.MaxSide"/>.
/// A value outside is a parse error (exit 2) that names the option and the limit, before anything is loaded;
/// sizes that fit the limit but not the machine are the memory budget's to refuse (<see cref="StyleLab.Runtime.PeakMemory"/>).
/// </summary>
public static class SizeOption
{
    /// <summary>The smallest side the networks' poolings keep meaningful.</summary>
    public const int DefaultMinimum = 16;

    /// <summary>An optional side (absent: each image's own size).</summary>
    public static Option<int?> Optional(string description, string name = "--size", int minimum = DefaultMinimum)
    {
        var option = new Option<int?>(name) { Description = description };
        option.Validators.Add(result => Validate(result, result.GetValueOrDefault<int?>(), name, minimum));
        return option;
    }

    /// <summary>A side with a default.</summary>
    public static Option<int> WithDefault(string description, int defaultValue, string name = "--size", int minimum = DefaultMinimum)
    {
        var option = new Option<int>(name) { Description = description, DefaultValueFactory = _ => defaultValue };
        option.Validators.Add(result => Validate(result, result.GetValueOrDefault<int>(), name, minimum));
        return option;
    }

    /// <summary>Checks a side that did not come through one of these options (exit 2).</summary>
    /// <exception cref="UsageException">Below <paramref name="minimum"/> or above <see cref="Resize.MaxSide"/>.</exception>
    public static int Check(int value, string name = "--size", int minimum = DefaultMinimum) =>
        Problem(value, name, minimum) is { } problem ? throw new UsageException(problem) : value;

    static void Validate(OptionResult result, int? value, string name, int minimum)
    {
        if (result.Tokens.Count > 0 && value is { } v && Problem(v, name, minimum) is { } problem) result.AddError(problem);
    }

    static string? Problem(int value, string name, int minimum) =>
        value < minimum ? $"{name} must be at least {minimum} pixels, not {value}."
        : value > Resize.MaxSide ? $"{name} must be at most {Resize.MaxSide} pixels (the largest image side StyleLab handles), not {value}."
        : null;
}
