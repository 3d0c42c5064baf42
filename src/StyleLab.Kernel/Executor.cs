using System.Collections.Concurrent;
using System.Diagnostics;
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
    CellThread _cellThread = new();
    int _executionCount;

    /// <summary>How long a cell may ignore an interrupt before the user is told so.</summary>
    public static readonly TimeSpan NoteAfter = TimeSpan.FromSeconds(1);

    /// <summary>
    /// A SIGINT handled this soon after a cell started was sent before it (the handler runs on a
    /// pool thread, which can lag behind the next execute_request): it interrupts nothing.
    /// </summary>
    static readonly TimeSpan SignalGrace = TimeSpan.FromMilliseconds(200);

    public Executor(KernelSockets sockets, CellOutputs outputs, ScriptSession session, Action flushConsole)
    {
        _sockets = sockets;
        _outputs = outputs;
        _session = session;
        _flushConsole = flushConsole;
        var thread = new Thread(Loop) { IsBackground = true, Name = "cell executor" };
        thread.Start();
    }

    public void Enqueue(WireMessage request) => _queue.Add(request);

    /// <summary>
    /// Cancels the running cell's <see cref="CellContext.Cancellation"/>. Only code that observes
    /// the token stops (threads cannot be aborted in .NET): a cell that runs on for
    /// <see cref="NoteAfter"/> gets a note on its stderr, and a further interrupt abandons it.
    /// With nothing running, an interrupt does nothing.
    /// </summary>
    public void Interrupt(bool bySignal = false)
    {
        if (CellContext.Current is not { Finished: false } cell)
        {
            Log.Info("interrupt while idle: nothing to stop");
            return;
        }
        if (bySignal && Stopwatch.GetElapsedTime(cell.Started) < SignalGrace)
        {
            Log.Info($"SIGINT as In[{cell.ExecutionCount}] started: taken as meant for the idle kernel, ignored");
            return;
        }
        if (cell.Interrupt() == 1)
        {
            Log.Info($"interrupting In[{cell.ExecutionCount}]");
            cell.Cancellation.Cancel();
            _ = NoteIfIgnoredAsync(cell);
        }
        else if (cell.NoteShown)
        {
            Log.Info($"abandoning In[{cell.ExecutionCount}]");
            cell.Abandoned.TrySetResult();
        }
    }

    /// <summary>Tells the running cell (if any) that the process is ending; returns whether there was one.</summary>
    public bool NoteExit()
    {
        if (CellContext.Current is not { Finished: false } cell) return false;
        _flushConsole();
        _sockets.Publish("stream", new JsonObject
        {
            ["name"] = "stderr",
            ["text"] = "\n[kernel] the kernel process is ending while this cell runs (Environment.Exit, or the process was " +
                       "told to stop). Everything defined so far is lost; restart the kernel and run the cells again.\n",
        }, cell.Request);
        return true;
    }

    async Task NoteIfIgnoredAsync(RunningCell cell)
    {
        await Task.Delay(NoteAfter);
        if (cell.Finished) return;
        cell.NoteShown = true;
        _sockets.Publish("stream", new JsonObject
        {
            ["name"] = "stderr",
            ["text"] = "\n[kernel] this cell does not observe Cancellation; it keeps running after the interrupt. " +
                       "Interrupt again to abandon it (the kernel moves on; the cell's thread runs on in the background " +
                       "until you restart the kernel), or restart the kernel now. Long operations stop when given " +
                       "`cancellationToken: Cancellation`; loops can check `Interrupted`.\n",
        }, cell.Request);
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

        _outputs.BeginCell(request);
        var cell = new RunningCell(request, count);
        CellResult result;
        using (CellContext.Enter(cell))
        {
            var run = _cellThread.Run(() => _session.Run(code, cellName, cell.Cancellation.Token, cell.Abandoned.Task));
            if (Task.WaitAny(run, cell.Abandoned.Task) == 0)
                result = run.GetAwaiter().GetResult();
            else
            {
                // The thread is stuck in the cell; the next cells get a new one.
                _cellThread.Retire();
                _cellThread = new CellThread();
                result = new CellResult(null, CellError.Abandoned(cellName));
            }
            cell.Finished = true;
        }
        _flushConsole();
        // Here, not after the reply: clients expect the reply, then idle, with nothing slow in between.
        ManagedHeap.GiveBack();
        NativeHeap.Trim();

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
        // Before the reply: a client that sends its next cell as soon as it sees the reply must not have it aborted.
        if (stopOnError) AbortQueued();
        _sockets.Reply(Channel.Shell, request, "execute_reply", new JsonObject
        {
            ["status"] = "error", ["execution_count"] = count,
            ["ename"] = error.Name, ["evalue"] = error.Value, ["traceback"] = traceback,
        });
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
