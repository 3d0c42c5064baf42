using StyleLab.Cli;

// Ctrl+C cancels the running work through the token; the command then exits with 130.
using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = !cancellation.IsCancellationRequested; // a second Ctrl+C ends the process at once
    cancellation.Cancel();
};
return await StyleLabCli.RunAsync(args, CliConsole.System, cancellation.Token);
