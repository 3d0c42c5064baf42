using System.Runtime.InteropServices;
using StyleLab.Cli;

// libtorch logs "Could not initialize NNPACK! Reason: Unsupported hardware" through c10's logger on every
// convolution set-up on CPUs without NNPACK support: dozens of lines per run that say nothing to a user.
// c10 reads its level from the environment when it loads, so it is set before StyleLab loads libtorch;
// a user who sets TORCH_CPP_LOG_LEVEL keeps theirs.
if (OperatingSystem.IsLinux() && Environment.GetEnvironmentVariable("TORCH_CPP_LOG_LEVEL") is null)
    NativeEnvironment.Set("TORCH_CPP_LOG_LEVEL", "ERROR");

// Ctrl+C and SIGTERM (kill, a scheduler's time limit) cancel the running work through the token, so a
// training run writes its checkpoint either way; the command then exits with 130 or 143. A second signal
// ends the process at once.
using var cancellation = new CancellationTokenSource();
bool terminated = false;
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = !cancellation.IsCancellationRequested;
    cancellation.Cancel();
};
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
{
    context.Cancel = !cancellation.IsCancellationRequested;
    terminated = true;
    cancellation.Cancel();
});
int code = await StyleLabCli.RunAsync(args, CliConsole.System, cancellation.Token);
return terminated && code == ExitCodes.Cancelled ? ExitCodes.Terminated : code;

/// <summary>The process's native environment, which libtorch reads (Environment.SetEnvironmentVariable does not reach it on Unix).</summary>
static partial class NativeEnvironment
{
    [DllImport("libc.so.6", EntryPoint = "setenv")]
    static extern int SetEnv([MarshalAs(UnmanagedType.LPUTF8Str)] string name, [MarshalAs(UnmanagedType.LPUTF8Str)] string value, int overwrite);

    public static void Set(string name, string value)
    {
        try { SetEnv(name, value, 0); }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException) { }
    }
}
