using Interweave.Sidecar.Security;

namespace Interweave.Sidecar.Storage;

/// <summary>Whether a connection is configured and how its calls have gone.</summary>
/// <param name="Configured">Whether an admin has stored its settings.</param>
/// <param name="UpdatedAt">When its settings were last stored.</param>
/// <param name="LastSucceededAt">When a call on it last succeeded (a run, a button, a test; written at most once a minute while it works).</param>
/// <param name="LastFailedAt">When a call on it last failed at the connection level (unreachable, a refused sign-in, a 5xx, too many requests).</param>
/// <param name="LastError">What that failure said.</param>
/// <param name="FailingSince">Set while the connection is failing: since its first failure after its last success. Null once any call on it succeeds again.</param>
public sealed record ConnectionState(
    bool Configured,
    DateTimeOffset? UpdatedAt,
    DateTimeOffset? LastSucceededAt,
    DateTimeOffset? LastFailedAt,
    string? LastError,
    DateTimeOffset? FailingSince = null);

/// <summary>Connection settings in and out of the store, encrypted on the way in.</summary>
public sealed class ConnectionSettingsStore(ConnectionRepository connections, SecretProtector protector, TimeProvider time)
{
    public async Task<T?> GetAsync<T>(string system, CancellationToken cancellationToken)
        where T : class
    {
        var stored = await connections.GetAsync(system, cancellationToken);
        return stored is null ? null : protector.Unprotect<T>(stored.ProtectedSettings);
    }

    public Task SaveAsync<T>(string system, T settings, CancellationToken cancellationToken) =>
        connections.SaveAsync(system, protector.Protect(settings), time.GetUtcNow(), cancellationToken);

    public Task RecordOutcomeAsync(string system, string? error, CancellationToken cancellationToken) =>
        connections.RecordOutcomeAsync(system, time.GetUtcNow(), error, cancellationToken);

    public async Task<ConnectionState> GetStateAsync(string system, CancellationToken cancellationToken)
    {
        var stored = await connections.GetAsync(system, cancellationToken);
        return stored is null
            ? new ConnectionState(false, null, null, null, null)
            : new ConnectionState(true, stored.UpdatedAt, stored.LastSucceededAt, stored.LastFailedAt, stored.LastError, stored.FailingSince);
    }
}
