using Dapper;

namespace Interweave.Sidecar.Storage;

/// <summary>A row as Dapper reads it: settable properties, so type handlers apply (positional records bypass them).</summary>
public sealed record StoredConnection
{
    public string System { get; init; } = "";
    public string ProtectedSettings { get; init; } = "";
    public DateTimeOffset UpdatedAt { get; init; }
    public DateTimeOffset? LastSucceededAt { get; init; }
    public DateTimeOffset? LastFailedAt { get; init; }
    public string? LastError { get; init; }
    public DateTimeOffset? FailingSince { get; init; }
}

public sealed class ConnectionRepository(Store store)
{
    public async Task<StoredConnection?> GetAsync(string system, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<StoredConnection>(new CommandDefinition(
            """
            select system as System, protected_settings as ProtectedSettings, updated_at as UpdatedAt,
                   last_succeeded_at as LastSucceededAt, last_failed_at as LastFailedAt, last_error as LastError,
                   failing_since as FailingSince
            from connections where system = @system
            """, new { system }, cancellationToken: cancellationToken));
    }

    /// <summary>Replaces the settings; a new configuration has not been proven yet, so its outcome history starts over.</summary>
    public async Task SaveAsync(string system, string protectedSettings, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            insert into connections (system, protected_settings, updated_at)
            values (@system, @protectedSettings, @now)
            on conflict (system) do update set
                protected_settings = excluded.protected_settings,
                updated_at = excluded.updated_at,
                last_succeeded_at = null,
                last_failed_at = null,
                last_error = null,
                failing_since = null
            """, new { system, protectedSettings, now }, cancellationToken: cancellationToken));
    }

    /// <summary>A call's outcome: a success ends a failing spell; a failure starts one (or leaves the start of the one under way).</summary>
    public async Task RecordOutcomeAsync(string system, DateTimeOffset now, string? error, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        var sql = error is null
            ? "update connections set last_succeeded_at = @now, failing_since = null where system = @system"
            : "update connections set last_failed_at = @now, last_error = @error, failing_since = coalesce(failing_since, @now) where system = @system";
        await connection.ExecuteAsync(new CommandDefinition(sql, new { system, now, error }, cancellationToken: cancellationToken));
    }
}
