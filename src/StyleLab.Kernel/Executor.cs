using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace StyleLab.Kernel;

/// <summary>
/// Runs execute_requests one at a time on a thread of their own, so the shell and control
/// channels stay responsive (completion, interrupt) while a cell runs.
/// </summary>
internal sealed class Executor
{
    readonly KernelSockets _sockets;
    readonly CellOutputs _outputs;
    readonly ScriptSession _session;
    readonly Action _flushConsole;
    readonly BlockingCollection<WireMessage> _queue = new();
    int _executionCount;

    public Executor(KernelSockets sockets, CellOutputs outputs, ScriptSession session, Action flushConsole)
    {
        _sockets = sockets;
        _outputs = outputs;
        _session = session;
        _flushConsole = flushConsole;
        // Notebook code recurses more than kernel code; give it a main-thread-sized stack.
        var thread = new Thread(Loop, maxStackSize: 16 * 1024 * 1024) { IsBackground = true, Name = "cell executor" };
        thread.Start();
    }

    public void Enqueue(WireMessage request) => _queue.Add(request);

    /// <summary>
    /// Cancels the running cell's <see cref="CellContext.Cancellation"/>. Only code that observes
    /// the token stops; a loop that never looks at it runs on (threads cannot be aborted in .NET).
    /// </summary>
    public void Interrupt()
    {
        if (CellContext.Current is { } cell)
        {
            Log.Info($"interrupting In[{cell.ExecutionCount}]");
            cell.Cancellation.Cancel();
        }
    }

    void Loop()
    {
        foreach (var request in _queue.GetConsumingEnumerable())
        {
            _sockets.Publish("status", new JsonObject { ["execution_state"] = "busy" }, request);
            try { Execute(request); }
            catch (Exception e) { Log.Warn($"execute_request {request.MsgId} failed in the kernel: {e}"); }
            _sockets.Publish("status", new JsonObject { ["execution_state"] = "idle" }, request);
        }
    }

    void Execute(WireMessage request)
    {
        var content = request.Content;
        string code = (string?)content["code"] ?? "";
        bool silent = (bool?)content["silent"] ?? false;
        bool storeHistory = !silent && ((bool?)content["store_history"] ?? true);
        bool stopOnError = (bool?)content["stop_on_error"] ?? true;

        int count = storeHistory ? ++_executionCount : _executionCount;
        string cellName = storeHistory ? $"In[{count}]" : "In[ ]";
        if (!silent)
            _sockets.Publish("execute_input", new JsonObject { ["code"] = code, ["execution_count"] = count }, request);

        _outputs.Parent = request;
        var cell = new RunningCell(request, count);
        CellResult result;
        using (CellContext.Enter(cell))
            result = _session.Run(code, cellName, cell.Cancellation.Token);
        _flushConsole();

        var error = result.Error;
        // display(x) as a cell's last expression has shown x already; its handle is not worth a second output.
        if (error is null && result.Value is not (null or DisplayHandle) && !silent)
        {
            try
            {
                var data = CellOutputs.ToJson(MimeBundles.For(result.Value));
                _sockets.Publish("execute_result",
                    new JsonObject { ["execution_count"] = count, ["data"] = data, ["metadata"] = new JsonObject() }, request);
            }
            catch (Exception e) { error = CellError.FromException(e); } // a formatter that throws
        }

        if (error is null)
        {
            _sockets.Reply(Channel.Shell, request, "execute_reply", new JsonObject
            {
                ["status"] = "ok", ["execution_count"] = count,
                ["payload"] = new JsonArray(), ["user_expressions"] = new JsonObject(),
            });
            return;
        }

        var traceback = new JsonArray(error.Traceback.Select(t => (JsonNode)t).ToArray());
        _sockets.Publish("error", new JsonObject
        {
            ["ename"] = error.Name, ["evalue"] = error.Value, ["traceback"] = traceback.DeepClone(),
        }, request);
        _sockets.Reply(Channel.Shell, request, "execute_reply", new JsonObject
        {
            ["status"] = "error", ["execution_count"] = count,
            ["ename"] = error.Name, ["evalue"] = error.Value, ["traceback"] = traceback,
        });
        if (stopOnError) AbortQueued();
    }

    /// <summary>After a failed cell, the cells queued behind it ("Run all") are not run: they likely depend on it.</summary>
    void AbortQueued()
    {
        while (_queue.TryTake(out var queued))
        {
            _sockets.Publish("status", new JsonObject { ["execution_state"] = "busy" }, queued);
            _sockets.Reply(Channel.Shell, queued, "execute_reply",
                new JsonObject { ["status"] = "aborted", ["execution_count"] = _executionCount });
            _sockets.Publish("status", new JsonObject { ["execution_state"] = "idle" }, queued);
        }
    }
}
