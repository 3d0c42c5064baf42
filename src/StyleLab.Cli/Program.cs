using System.Runtime.InteropServices;
using StyleLab.Cli;

// libtorch's "Could not initialize NNPACK!" lines are prevented where libtorch loads (StyleLab.Runtime.Nnpack).

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
