using System.Diagnostics;
using System.Text;

namespace StyleLab.Kernel;

/// <summary>
/// Console.Out / Console.Error for cells: text becomes IOPub <c>stream</c> messages while the
/// cell runs, not when it ends, so progress printed by a long loop shows up live.
/// </summary>
/// <remarks>
/// A newline sends the buffer unless something was sent in the last 50 ms; a timer sends
/// whatever is left every 50 ms. That keeps a tight printing loop from becoming one message per
/// line while no line waits longer than ~50 ms. A full buffer (64 K characters) goes at once;
/// <see cref="CellOutputs.Stream"/> splits and caps what one cell sends.
/// </remarks>
internal sealed class ConsoleCapture : TextWriter
{
    static readonly long Interval = Stopwatch.Frequency / 20;

    readonly string _name;
    readonly CellOutputs _outputs;
    readonly StringBuilder _buffer = new();
    readonly Timer _timer;
    long _lastSent;

    ConsoleCapture(string name, CellOutputs outputs)
    {
        _name = name;
        _outputs = outputs;
        _timer = new Timer(_ => Flush(), null, 50, 50);
    }

    /// <summary>Redirects Console.Out and Console.Error; returns the two writers so the kernel can flush them.</summary>
    public static (ConsoleCapture Out, ConsoleCapture Error) Install(CellOutputs outputs)
    {
        var stdout = new ConsoleCapture("stdout", outputs);
        var stderr = new ConsoleCapture("stderr", outputs);
        Console.SetOut(stdout);
        Console.SetError(stderr);
        // Nothing answers a read from the kernel's own stdin; fail fast instead of hanging.
        Console.SetIn(TextReader.Null);
        return (stdout, stderr);
    }

    public override Encoding Encoding => Encoding.UTF8;

    public override void Write(char value)
    {
        if (_outputs.Exhausted) return;
        lock (_buffer)
        {
            _buffer.Append(value);
            if (_buffer.Length >= CellOutputs.MaxMessageChars) Send();
            else if (value == '\n') SendIfDue();
        }
    }

    public override void Write(string? value)
    {
        // Past the cell's allowance text is dropped here, not buffered first.
        if (string.IsNullOrEmpty(value) || _outputs.Exhausted) return;
        lock (_buffer)
        {
            _buffer.Append(value);
            if (_buffer.Length >= CellOutputs.MaxMessageChars) Send();
            else if (value.Contains('\n')) SendIfDue();
        }
    }

    public override void Write(char[] buffer, int index, int count) => Write(new string(buffer, index, count));

    /// <summary>Sends everything buffered now.</summary>
    public override void Flush()
    {
        lock (_buffer) Send();
    }

    void SendIfDue()
    {
        if (Stopwatch.GetTimestamp() - _lastSent >= Interval) Send();
    }

    void Send()
    {
        if (_buffer.Length == 0) return;
        _outputs.Stream(_name, _buffer.ToString());
        _buffer.Clear();
        _lastSent = Stopwatch.GetTimestamp();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) _timer.Dispose();
        base.Dispose(disposing);
    }
}
