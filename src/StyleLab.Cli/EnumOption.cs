using System.CommandLine;

namespace StyleLab.Cli;

/// <summary>
/// An option whose value is an enum member, spelled in lower case on the command line
/// (<c>--optimizer lbfgs</c>), with a one-line error listing the choices.
/// </summary>
public static class EnumOption
{
    public static Option<T?> Create<T>(string name, string description) where T : struct, Enum
    {
        string choices = string.Join(", ", Enum.GetNames<T>().Select(n => n.ToLowerInvariant()));
        var option = new Option<T?>(name)
        {
            Description = description,
            CustomParser = result =>
            {
                string text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
                if (Enum.TryParse<T>(text, ignoreCase: true, out var value) && Enum.IsDefined(value)) return value;
                result.AddError($"{name}: '{text}' is not one of {choices}.");
                return null;
            },
        };
        option.CompletionSources.Clear(); // the built-in enum source offers both spellings
        option.CompletionSources.Add(Enum.GetNames<T>().Select(n => n.ToLowerInvariant()).ToArray());
        return option;
    }
}
