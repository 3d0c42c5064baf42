using StyleLab.Kernel;

// StyleLab.Kernel [--plain] -f <connection file>               run the kernel (Jupyter does this)
// StyleLab.Kernel install [--plain] [--user | --prefix DIR]    write the kernelspec
return args switch
{
    ["install", .. var rest] => Install(rest),
    ["-f" or "--connection-file", var file] => Serve(file, styleLab: true),
    ["--plain", "-f" or "--connection-file", var file] => Serve(file, styleLab: false),
    _ => Usage(),
};

static int Serve(string connectionFile, bool styleLab)
{
    using var kernel = new Kernel(ConnectionInfo.Load(connectionFile), Directory.GetCurrentDirectory(), styleLab);
    return kernel.Run();
}

static int Install(string[] options)
{
    string? prefix = null;
    var flavour = KernelFlavour.StyleLab;
    for (int i = 0; i < options.Length; i++)
    {
        switch (options[i])
        {
            case "--user": prefix = null; break;
            case "--plain": flavour = KernelFlavour.Plain; break;
            case "--prefix" when i + 1 < options.Length: prefix = Path.GetFullPath(options[++i]); break;
            default: return Usage();
        }
    }
    Console.WriteLine($"Installed kernelspec {KernelSpec.NameOf(flavour)} in {KernelSpec.Install(prefix, flavour: flavour)}");
    return 0;
}

static int Usage()
{
    Console.Error.WriteLine("usage: StyleLab.Kernel [--plain] -f <connection_file>\n       StyleLab.Kernel install [--plain] [--user | --prefix DIR]");
    return 2;
}
