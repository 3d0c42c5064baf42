using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;

namespace StyleLab.Kernel;

/// <summary>
/// StyleLab's C# Jupyter kernel: routes requests from the sockets to the executor (cells), a
/// shell worker (completion, inspection, info) and the control handlers (interrupt, shutdown).
/// </summary>
public sealed class Kernel : IDisposable
{
    readonly ConnectionInfo _connection;
    readonly KernelSockets _sockets;
    readonly ScriptSession _session;
    readonly Executor _executor;
    readonly BlockingCollection<(Channel, WireMessage)> _shellQueue = new();
    readonly CancellationTokenSource _shutdown = new();
    PosixSignalRegistration? _sigint;

    /// <summary>Binds the sockets of <paramref name="connection"/> and prepares a fresh C# session.</summary>
    /// <param name="connection">Jupyter's connection file.</param>
    /// <param name="workingDirectory">The notebook's folder.</param>
    /// <param name="styleLab">StyleLab preloaded (libtorch loaded, formatters registered, namespaces imported), or a
    /// plain C# kernel that has only the framework until a cell says <c>#r "nuget: …"</c>.</param>
    public Kernel(ConnectionInfo connection, string workingDirectory, bool styleLab = true)
    {
        if (styleLab) PreloadStyleLab();
        _connection = connection;
        _sockets = new KernelSockets(connection, new MessageSigner(connection.Key));
        var outputs = new CellOutputs(_sockets);
        var (stdout, stderr) = ConsoleCapture.Install(outputs);
        _session = new ScriptSession(new KernelGlobals(outputs), workingDirectory, styleLab);
        _executor = new Executor(_sockets, outputs, _session, () => { stdout.Flush(); stderr.Flush(); });
    }

    /// <summary>
    /// In a method of its own, never inlined, so that the plain kernel never loads StyleLab's assemblies:
    /// the optimising JIT resolves an inlinee's types, and with tiered compilation off every method is optimised.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    static void PreloadStyleLab()
    {
        StyleLab.Runtime.TorchRuntime.EnsureLoaded();
        StyleLab.Interactive.StyleLabFormatters.Register();
    }

    /// <summary>Serves until a shutdown_request; returns the process exit code.</summary>
    public int Run()
    {
        // interrupt_mode is "message", but a terminal Ctrl+C (or `kill -INT`) should interrupt the cell, not kill us.
        _sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, context =>
        {
            context.Cancel = true;
            _executor.Interrupt(bySignal: true);
        });
        // Environment.Exit in a cell ends the process at once; say so on the cell before the front end sees a dead kernel.
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            if (!_shutdown.IsCancellationRequested && _executor.NoteExit()) Thread.Sleep(300); // let IOPub send it
        };
        var worker = new Thread(ShellLoop) { IsBackground = true, Name = "shell worker" };
        worker.Start();
        _session.StartWarmUp();
        _sockets.Run(OnRequest);
        return 0;
    }

    /// <summary>Called on the socket thread: must not block.</summary>
    void OnRequest(Channel channel, WireMessage request)
    {
        if (channel == Channel.Control) Handle(channel, request);
        else if (request.MsgType == "execute_request") _executor.Enqueue(request);
        else _shellQueue.Add((channel, request));
    }

    void ShellLoop()
    {
        try
        {
            foreach (var (channel, request) in _shellQueue.GetConsumingEnumerable(_shutdown.Token))
            {
                try { Handle(channel, request); }
                catch (Exception e) { Log.Warn($"{request.MsgType} failed: {e}"); }
            }
        }
        catch (OperationCanceledException) { } // shutdown
    }

    void Handle(Channel channel, WireMessage request)
    {
        _sockets.Publish("status", new JsonObject { ["execution_state"] = "busy" }, request);
        try
        {
            var reply = Answer(channel, request);
            if (reply is not null)
                _sockets.Reply(channel, request, request.MsgType.Replace("_request", "_reply"), reply);
            else
                Log.Warn($"ignored {request.MsgType} on {channel}");
        }
        finally
        {
            _sockets.Publish("status", new JsonObject { ["execution_state"] = "idle" }, request);
            if (request.MsgType == "shutdown_request") _sockets.Stop();
        }
    }

    /// <summary>The reply content, or null for message types this kernel does not know.</summary>
    JsonObject? Answer(Channel channel, WireMessage request)
    {
        var content = request.Content;
        string code = (string?)content["code"] ?? "";
        int cursor = (int?)content["cursor_pos"] ?? code.Length;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_shutdown.Token);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        switch (request.MsgType)
        {
            case "kernel_info_request":
                return KernelInfo();
            case "complete_request":
                return Completion.CompleteAsync(_session.Workspace, code, cursor, timeout.Token).GetAwaiter().GetResult();
            case "inspect_request":
                return Inspection.InspectAsync(_session.Workspace, code, cursor, timeout.Token).GetAwaiter().GetResult();
            case "is_complete_request":
                string status = CodeCompleteness.Check(code);
                return status == "incomplete"
                    ? new JsonObject { ["status"] = status, ["indent"] = "" }
                    : new JsonObject { ["status"] = status };
            case "interrupt_request":
                _executor.Interrupt();
                return Ok();
            case "shutdown_request":
                bool restart = (bool?)content["restart"] ?? false;
                Log.Info(restart ? "restarting" : "shutting down");
                _executor.Interrupt();
                _shutdown.Cancel();
                return new JsonObject { ["status"] = "ok", ["restart"] = restart };
            case "comm_info_request":
                return new JsonObject { ["status"] = "ok", ["comms"] = new JsonObject() };
            case "history_request":
                return new JsonObject { ["status"] = "ok", ["history"] = new JsonArray() };
            case "connect_request":
                return new JsonObject
                {
                    ["status"] = "ok",
                    ["shell_port"] = _connection.ShellPort, ["iopub_port"] = _connection.IOPubPort,
                    ["stdin_port"] = _connection.StdinPort, ["control_port"] = _connection.ControlPort,
                    ["hb_port"] = _connection.HeartbeatPort,
                };
            default:
                return null;
        }
    }

    static JsonObject Ok() => new() { ["status"] = "ok" };

    static JsonObject KernelInfo()
    {
        string version = typeof(Kernel).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";
        return new JsonObject
        {
            ["status"] = "ok",
            ["protocol_version"] = WireMessage.ProtocolVersion,
            ["implementation"] = "stylelab",
            ["implementation_version"] = version,
            ["language_info"] = new JsonObject
            {
                ["name"] = "csharp",
                ["version"] = "14.0",
                ["mimetype"] = "text/x-csharp",
                ["file_extension"] = ".cs",
                ["pygments_lexer"] = "csharp",
                ["codemirror_mode"] = "text/x-csharp",
            },
            ["banner"] = $"StyleLab C# kernel {version} (Roslyn scripting on .NET {Environment.Version}). " +
                         "display(x) shows a value; pass Cancellation to long operations so Interrupt can stop them.",
            ["help_links"] = new JsonArray
            {
                new JsonObject { ["text"] = "C# documentation", ["url"] = "https://learn.microsoft.com/dotnet/csharp/" },
                new JsonObject { ["text"] = "TorchSharp", ["url"] = "https://github.com/dotnet/TorchSharp" },
            },
        };
    }

    /// <summary>Releases the sockets and the signal handler.</summary>
    public void Dispose()
    {
        _sigint?.Dispose();
        _sockets.Dispose();
    }
}
