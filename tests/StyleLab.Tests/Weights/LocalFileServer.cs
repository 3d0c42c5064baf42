using System.Net;
using System.Net.Sockets;

namespace StyleLab.Tests.Weights;

/// <summary>
/// A tiny HTTP server on 127.0.0.1 for download tests: serves byte arrays by path, or announces a
/// length and hangs up half-way to imitate a dropped connection. No test touches the network.
/// </summary>
sealed class LocalFileServer : IDisposable
{
    readonly HttpListener _listener = new();
    readonly Dictionary<string, (byte[] Body, bool Truncate)> _files = new();
    readonly Task _loop;

    public LocalFileServer()
    {
        Port = FreePort();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _loop = Task.Run(ServeAsync);
    }

    public int Port { get; }
    public int Requests { get; private set; }

    public string Url(string path) => $"http://127.0.0.1:{Port}/{path}";

    public string Serve(string path, byte[] body, bool truncate = false)
    {
        lock (_files) _files[path] = (body, truncate);
        return Url(path);
    }

    async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try { context = await _listener.GetContextAsync(); }
            catch (Exception) { return; }
            Requests++;
            var path = context.Request.Url!.AbsolutePath.TrimStart('/');
            (byte[] Body, bool Truncate) file;
            bool known;
            lock (_files) known = _files.TryGetValue(path, out file);
            var response = context.Response;
            if (!known)
            {
                response.StatusCode = 404;
                response.Close();
                continue;
            }
            response.ContentLength64 = file.Body.Length;
            try
            {
                if (file.Truncate)
                {
                    await response.OutputStream.WriteAsync(file.Body.AsMemory(0, file.Body.Length / 2));
                    await response.OutputStream.FlushAsync();
                    response.Abort(); // the connection drops mid-transfer
                }
                else
                {
                    await response.OutputStream.WriteAsync(file.Body);
                    response.Close();
                }
            }
            catch (Exception) { }
        }
    }

    static int FreePort()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        int port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        try { _loop.Wait(TimeSpan.FromSeconds(2)); } catch (AggregateException) { }
    }
}
