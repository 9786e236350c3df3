using Interweave.Sidecar.Security;

namespace Interweave.Sidecar.Storage;

public sealed record ConnectionState(
    bool Configured,
    DateTimeOffset? UpdatedAt,
    DateTimeOffset? LastSucceededAt,
    DateTimeOffset? LastFailedAt,
    string? LastError);

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
            : new ConnectionState(true, stored.UpdatedAt, stored.LastSucceededAt, stored.LastFailedAt, stored.LastError);
    }
}
