using StyleLab.Kernel;

// StyleLab.Kernel -f <connection file>                 run the kernel (Jupyter does this)
// StyleLab.Kernel install [--user | --prefix DIR]      write the kernelspec
return args switch
{
    ["install", .. var rest] => Install(rest),
    ["-f" or "--connection-file", var file] => Serve(file),
    _ => Usage(),
};

static int Serve(string connectionFile)
{
    using var kernel = new Kernel(ConnectionInfo.Load(connectionFile), Directory.GetCurrentDirectory());
    return kernel.Run();
}

static int Install(string[] options)
{
    string? prefix = null;
    for (int i = 0; i < options.Length; i++)
    {
        switch (options[i])
        {
            case "--user": prefix = null; break;
            case "--prefix" when i + 1 < options.Length: prefix = Path.GetFullPath(options[++i]); break;
            default: return Usage();
        }
    }
    Console.WriteLine($"Installed kernelspec {KernelSpec.Name} in {KernelSpec.Install(prefix)}");
    return 0;
}

static int Usage()
{
    Console.Error.WriteLine("usage: StyleLab.Kernel -f <connection_file>\n       StyleLab.Kernel install [--user | --prefix DIR]");
    return 2;
}
