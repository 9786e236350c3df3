using System.Collections.Concurrent;
using System.Data.Common;
using Interweave.Sidecar.Storage;

namespace Interweave.Sidecar;

/// <summary>
/// Whether each connection works, as its calls go: a run that stops on a connection-level failure marks the
/// connection failing (since its first such failure), and any call that then succeeds on it (a run, a button, a
/// connection test) clears that. A success is written at once after a failure this process saw and otherwise at most
/// once a minute, so a working connection costs no store write per call.
/// </summary>
public sealed class ConnectionHealth(ConnectionRepository connections, TimeProvider time, ILogger<ConnectionHealth> log)
{
    private static readonly TimeSpan SuccessWrittenEvery = TimeSpan.FromMinutes(1);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _successWritten = new();

    /// <summary>The failures that say the connection itself does not work, as opposed to one request or record refused.</summary>
    public static bool IsConnectionLevel(RemoteFailure failure) =>
        failure is RemoteFailure.Transient or RemoteFailure.RateLimited or RemoteFailure.Unauthorized or RemoteFailure.UnknownOutcome;

    public async Task FailedAsync(string system, string error, CancellationToken cancellationToken)
    {
        _successWritten.TryRemove(system, out _);
        await connections.RecordOutcomeAsync(system, time.GetUtcNow(), error, cancellationToken);
    }

    public async Task SucceededAsync(string system, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (_successWritten.TryGetValue(system, out var written) && now - written < SuccessWrittenEvery) return;
        _successWritten[system] = now;
        try
        {
            await connections.RecordOutcomeAsync(system, now, null, cancellationToken);
        }
        catch (DbException ex)
        {
            // The call itself worked; the health line is not worth failing it for. The next call writes it again.
            _successWritten.TryRemove(system, out _);
            log.LogWarning(ex, "Could not record that the {System} connection works", system);
        }
    }
}
