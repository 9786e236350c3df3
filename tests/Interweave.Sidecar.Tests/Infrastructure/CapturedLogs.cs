using System.Collections.Concurrent;
using Serilog.Core;
using Serilog.Events;

namespace Interweave.Sidecar.Tests.Infrastructure;

/// <summary>A Serilog sink the test host adds beside the console; keeps what every sink would be given.</summary>
public sealed class CapturedLogs : ILogEventSink
{
    private readonly ConcurrentQueue<LogEvent> _events = new();

    public void Emit(LogEvent logEvent) => _events.Enqueue(logEvent);

    public IReadOnlyList<LogEvent> Events => _events.ToArray();

    /// <summary>
    /// Request logging writes after the response reached the client, so a test polls (with a deadline)
    /// for the line it expects instead of reading at once.
    /// </summary>
    public async Task WaitForAsync(string text, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!AllText().Contains(text, StringComparison.Ordinal))
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"No log line containing '{text}' within {timeout}.");
            await Task.Delay(20);
        }
    }

    /// <summary>Every event as a sink would write it: rendered message, every property, the exception.</summary>
    public string AllText()
    {
        using var writer = new StringWriter();
        var formatter = new Serilog.Formatting.Compact.CompactJsonFormatter();
        foreach (var logEvent in _events)
        {
            formatter.Format(logEvent, writer);
            writer.WriteLine(logEvent.RenderMessage());
        }

        return writer.ToString();
    }
}
