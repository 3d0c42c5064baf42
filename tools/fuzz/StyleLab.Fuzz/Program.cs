using SharpFuzz;
using StyleLab.Fuzz;

// stylelab-fuzz <target>        AFL++ persistent mode (run by tools/fuzz/run.sh)
// stylelab-fuzz <target> FILE…  replays inputs once each and says which escaped (no AFL needed)
if (args.Length == 0 || !FuzzTargets.All.ContainsKey(args[0]))
{
    Console.Error.WriteLine($"usage: StyleLab.Fuzz <{string.Join("|", FuzzTargets.All.Keys)}> [input files to replay]");
    return 2;
}
string target = args[0];
if (args.Length > 1)
{
    int escaped = 0;
    foreach (var file in args.Skip(1))
    {
        try { Console.WriteLine($"{(FuzzTargets.Run(target, File.ReadAllBytes(file)) ? "read" : "refused")}  {file}"); }
        catch (Exception e) { escaped++; Console.WriteLine($"ESCAPED {e.GetType().Name}: {e.Message.Split('\n')[0]}  {file}\n{e.StackTrace}"); }
    }
    return escaped == 0 ? 0 : 1;
}
Fuzzer.Run(stream =>
{
    using var buffer = new MemoryStream();
    stream.CopyTo(buffer);
    FuzzTargets.Run(target, buffer.ToArray());
});
return 0;
