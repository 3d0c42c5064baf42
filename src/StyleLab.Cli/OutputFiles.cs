using System.CommandLine;

namespace StyleLab.Cli;

/// <summary>
/// <c>--force</c> (alias <c>--overwrite</c>): every command that writes images refuses to replace a file that
/// exists unless it is given — a usage error (exit 2) before any work, so a typo cannot destroy yesterday's
/// result. An input image is never replaced, with or without it (<see cref="ImageJobs.RefuseToOverwrite"/>).
/// </summary>
public static class OutputFiles
{
    /// <summary>A new <c>--force</c> option for a command.</summary>
    public static Option<bool> ForceOption() => new("--force", "--overwrite") { Description = "Replace output files that already exist (never an input)." };

    /// <summary>
    /// Refuses <paramref name="outputs"/> that exist unless <paramref name="force"/>, and any that is one of
    /// <paramref name="inputs"/> always.
    /// </summary>
    /// <exception cref="UsageException">An output exists (without <paramref name="force"/>) or is an input.</exception>
    public static void Check(IReadOnlyCollection<string> outputs, bool force, params IEnumerable<string?> inputs)
    {
        var given = inputs.ToList();
        foreach (var output in outputs) ImageJobs.RefuseToOverwrite(output, given);
        if (force) return;
        var existing = outputs.Where(File.Exists).ToList();
        if (existing.Count == 0) return;
        throw new UsageException(outputs.Count == 1
            ? $"'{existing[0]}' exists: add --force to replace it, or choose another --output."
            : $"{existing.Count} of the {outputs.Count} output files exist (first: '{existing[0]}'): add --force to replace them, or choose another --output.");
    }

    /// <summary><see cref="Check(IReadOnlyCollection{string}, bool, IEnumerable{string?})"/> for one output file.</summary>
    public static void Check(string output, bool force, params IEnumerable<string?> inputs) => Check([output], force, inputs);
}
