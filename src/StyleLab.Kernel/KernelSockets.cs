using System.Text.Json.Nodes;
using NetMQ;
using NetMQ.Sockets;

namespace StyleLab.Kernel;

/// <summary>The Jupyter channels a kernel serves.</summary>
public enum Channel { Shell, Control, IOPub, Stdin }

/// <summary>
/// Owns the five ZeroMQ sockets and the one thread that touches them.
/// </summary>
/// <remarks>
/// NetMQ sockets are not thread-safe, so every send from any thread goes through a queue that
/// the poller thread drains; incoming messages are verified here and handed to a callback that
/// must return quickly (the heartbeat shares the thread).
/// </remarks>
public sealed class KernelSockets : IDisposable
{
    readonly ConnectionInfo _info;
    readonly MessageSigner _signer;
    readonly RouterSocket _shell = new(), _control = new(), _stdin = new();
    readonly PublisherSocket _iopub = new();
    readonly ResponseSocket _heartbeat = new();
    readonly NetMQQueue<Outgoing> _outbox = new();
    readonly NetMQPoller _poller;
    readonly ReplayGuard _replays = new();
    bool _closed;

    /// <summary>Something to send, or (with a null message) the request to stop after the sends before it.</summary>
    readonly record struct Outgoing(Channel Channel, WireMessage? Message);

    /// <summary>This kernel's session id, stamped on every message it sends.</summary>
    public string Session { get; } = Guid.NewGuid().ToString();

    /// <summary>Binds every channel to exactly the connection file's transport, ip and ports.</summary>
    public KernelSockets(ConnectionInfo info, MessageSigner signer)
    {
        _info = info;
        _signer = signer;
        foreach (var (socket, port) in new (NetMQSocket, int)[]
                 {
                     (_shell, info.ShellPort), (_control, info.ControlPort), (_stdin, info.StdinPort),
                     (_iopub, info.IOPubPort), (_heartbeat, info.HeartbeatPort),
                 })
        {
            // Give queued replies (shutdown_reply above all) a moment to leave when we close.
            socket.Options.Linger = TimeSpan.FromSeconds(1);
            socket.Bind(info.Endpoint(port));
        }
        _poller = [_shell, _control, _stdin, _heartbeat, _outbox];
    }

    /// <summary>Queues a message for sending; safe from any thread.</summary>
    public void Send(Channel channel, WireMessage message)
    {
        if (Volatile.Read(ref _closed)) return;
        try { _outbox.Enqueue(new Outgoing(channel, message)); }
        catch (Exception e) when (e is TerminatingException or ObjectDisposedException)
        {
            // Shutting down: a cell still running has nobody left to tell.
        }
    }

    /// <summary>Publishes on IOPub a message caused by <paramref name="parent"/>.</summary>
    public void Publish(string msgType, JsonObject content, WireMessage? parent) =>
        Send(Channel.IOPub, WireMessage.Create(msgType, content, Session, parent));

    /// <summary>Answers <paramref name="request"/> on the channel it came from.</summary>
    public void Reply(Channel channel, WireMessage request, string msgType, JsonObject content) =>
        Send(channel, WireMessage.Create(msgType, content, Session, request));

    /// <summary>Stops <see cref="Run"/> once everything queued so far has been sent.</summary>
    public void Stop() => _outbox.Enqueue(new Outgoing(Channel.IOPub, null));

    /// <summary>
    /// Serves the sockets on the calling thread until <see cref="Stop"/>; verified requests from
    /// shell and control go to <paramref name="onRequest"/>.
    /// </summary>
    public void Run(Action<Channel, WireMessage> onRequest)
    {
        _heartbeat.ReceiveReady += (_, e) =>
        {
            var ping = e.Socket.ReceiveMultipartBytes();
            e.Socket.SendMultipartBytes(ping);
        };
        _shell.ReceiveReady += (_, e) => Receive(Channel.Shell, e.Socket, onRequest);
        _control.ReceiveReady += (_, e) => Receive(Channel.Control, e.Socket, onRequest);
        // The kernel never asks for input, so stdin replies have nowhere to go.
        _stdin.ReceiveReady += (_, e) => e.Socket.ReceiveMultipartBytes();
        _outbox.ReceiveReady += (_, _) =>
        {
            while (_outbox.TryDequeue(out var item, TimeSpan.Zero))
            {
                if (item.Message is null) { _poller.StopAsync(); return; }
                SocketFor(item.Channel).SendMultipartBytes(item.Message.ToFrames(_signer));
            }
        };
        Log.Info($"listening on {_info.Endpoint(_info.ShellPort)} (shell) and neighbours");
        _poller.Run();
    }

    void Receive(Channel channel, NetMQSocket socket, Action<Channel, WireMessage> onRequest)
    {
        var frames = socket.ReceiveMultipartBytes();
        var message = WireMessage.Parse(frames, _signer, out string? error);
        if (message is null)
        {
            Log.Warn($"dropped a message on {channel}: {error}");
            return;
        }
        if (_signer.Enabled && !_replays.IsFresh(message.Signature))
        {
            Log.Warn($"dropped a replayed {message.MsgType} on {channel} (its signature was seen before)");
            return;
        }
        try { onRequest(channel, message); }
        catch (Exception e) { Log.Warn($"handling {message.MsgType} failed: {e}"); }
    }

    NetMQSocket SocketFor(Channel channel) => channel switch
    {
        Channel.Shell => _shell,
        Channel.Control => _control,
        Channel.Stdin => _stdin,
        _ => _iopub,
    };

    /// <summary>Closes the sockets.</summary>
    public void Dispose()
    {
        Volatile.Write(ref _closed, true);
        _poller.Dispose();
        foreach (var socket in new NetMQSocket[] { _shell, _control, _stdin, _iopub, _heartbeat }) socket.Dispose();
        _outbox.Dispose();
        NetMQConfig.Cleanup(block: true);
    }
}
