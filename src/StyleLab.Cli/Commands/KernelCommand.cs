using System.CommandLine;
using Spectre.Console;
using StyleLab.Kernel;

namespace StyleLab.Cli.Commands;

/// <summary><c>stylelab kernel install [--plain] [--user | --prefix DIR]</c>: registers StyleLab's C# Jupyter kernel.</summary>
public static class KernelCommand
{
    public static Command Create(CliConsole console)
    {
        var user = new Option<bool>("--user") { Description = "Install for the current user (the default)." };
        var prefix = new Option<string?>("--prefix") { Description = "Install into DIR/share/jupyter/kernels (e.g. a virtual environment)." };
        var plain = new Option<bool>("--plain")
        {
            Description = $"Install the plain \"C#\" kernel ({KernelSpec.PlainName}): nothing preloaded, packages (StyleLab too) by #r \"nuget: …\".",
        };
        var install = new Command("install", $"Write the kernelspec \"C# (StyleLab)\" ({KernelSpec.Name}) so Jupyter can start the kernel.");
        install.Options.Add(user);
        install.Options.Add(prefix);
        install.Options.Add(plain);
        install.SetAction(parse =>
        {
            if (parse.GetValue(user) && parse.GetValue(prefix) is not null)
                throw new UsageException("--user and --prefix exclude each other.");
            string? dir = parse.GetValue(prefix) is { } p ? Path.GetFullPath(p) : null;
            // The kernel is built next to the CLI (a project reference), so the spec points at this copy.
            var flavour = parse.GetValue(plain) ? KernelFlavour.Plain : KernelFlavour.StyleLab;
            string where = KernelSpec.Install(dir, flavour: flavour);
            console.Out.WriteLine($"Installed kernelspec {KernelSpec.NameOf(flavour)} in {where}", Style.Plain);
            return ExitCodes.Success;
        });

        var command = new Command("kernel", "StyleLab's Jupyter kernel.");
        command.Subcommands.Add(install);
        return command;
    }
}
