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
// AFL sees only that an exception escaped (SharpFuzz reports it as signal 2) and discards the target's output: what
// escaped goes to $STYLELAB_FUZZ_ESCAPES (run.sh sets it), so a finding that does not replay can still be explained.
string? escapes = Environment.GetEnvironmentVariable("STYLELAB_FUZZ_ESCAPES");
Fuzzer.Run(stream =>
{
    using var buffer = new MemoryStream();
    stream.CopyTo(buffer);
    try { FuzzTargets.Run(target, buffer.ToArray()); }
    catch (Exception e) when (escapes is not null && Log(e, buffer.Length)) { throw; }
});
return 0;

bool Log(Exception e, long length)
{
    File.AppendAllText(escapes!, $"{DateTime.UtcNow:O} {length} bytes, GC heap {GC.GetTotalMemory(false) >> 20} MB, " +
        $"working set {Environment.WorkingSet >> 20} MB\n{e}\n\n");
    return false;   // an exception filter that logs: the exception propagates untouched
}
