using Dapper;

namespace Interweave.Sidecar.Storage;

/// <summary>A row of bulk_loads.</summary>
public sealed record StoredBulkLoad
{
    public long Id { get; init; }
    public string State { get; init; } = "";
    public string PeriodFrom { get; init; } = "";
    public string PeriodTo { get; init; } = "";
    public int Step { get; init; }
    public int Total { get; init; }
    public int Done { get; init; }
    public int Failed { get; init; }
    public int Written { get; init; }
    public long? CurrentRunId { get; init; }
    public double ActiveSeconds { get; init; }
    public DateTimeOffset? ResumedAt { get; init; }
    public DateTimeOffset StartedAt { get; init; }
    public DateTimeOffset? FinishedAt { get; init; }
    public string? Error { get; init; }
}

public sealed class BulkLoadRepository(Store store)
{
    private const string Columns = "id as Id, state as State, period_from as PeriodFrom, period_to as PeriodTo, step as Step, total as Total, done as Done, " +
                                   "failed as Failed, written as Written, current_run_id as CurrentRunId, active_seconds as ActiveSeconds, resumed_at as ResumedAt, started_at as StartedAt, " +
                                   "finished_at as FinishedAt, error as Error";

    /// <summary>Adds a load unless one is running or paused: null then (one load at a time, across processes too).</summary>
    public async Task<StoredBulkLoad?> TryAddAsync(string periodFrom, string periodTo, int total, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        var id = await connection.ExecuteScalarAsync<long?>(new CommandDefinition("""
            insert into bulk_loads (state, period_from, period_to, total, resumed_at, started_at)
            select 'running', @periodFrom, @periodTo, @total, @now, @now
            where not exists (select 1 from bulk_loads where state in ('running', 'paused'))
            returning id
            """, new { periodFrom, periodTo, total, now }, cancellationToken: cancellationToken));
        return id is { } added ? await GetAsync(added, cancellationToken) : null;
    }

    public async Task<StoredBulkLoad?> GetAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<StoredBulkLoad>(new CommandDefinition($"select {Columns} from bulk_loads where id = @id", new { id },
            cancellationToken: cancellationToken));
    }

    public async Task<IReadOnlyList<StoredBulkLoad>> ListAsync(string? state, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<StoredBulkLoad>(new CommandDefinition(
            $"select {Columns} from bulk_loads where (@state is null or state = @state) order by id desc limit @limit", new { state, limit },
            cancellationToken: cancellationToken))).AsList();
    }

    /// <summary>Records the run a step is working in, so its progress can be read while it runs (and after a crash).</summary>
    public async Task SetCurrentRunAsync(long id, long runId, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("update bulk_loads set current_run_id = @runId where id = @id", new { id, runId }, cancellationToken: cancellationToken));
    }

    /// <summary>The checkpoint: a step is done, with what it counted; the next one starts from here after any stop.</summary>
    public async Task CompleteStepAsync(long id, int read, int written, int failed, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "update bulk_loads set step = step + 1, done = done + @read, written = written + @written, failed = failed + @failed, current_run_id = null where id = @id",
            new { id, read, written, failed }, cancellationToken: cancellationToken));
    }

    /// <summary>
    /// Moves the load from one of <paramref name="from"/> to <paramref name="to"/>, adding the time it was running to
    /// its active time; false when it was in another state (someone else moved it first).
    /// </summary>
    public async Task<bool> TryMoveAsync(long id, IReadOnlyList<string> from, string to, DateTimeOffset now, string? error, CancellationToken cancellationToken)
    {
        if (await GetAsync(id, cancellationToken) is not { } load || !from.Contains(load.State)) return false;
        var active = load.ActiveSeconds + (load.State == "running" && load.ResumedAt is { } resumed ? Math.Max(0, (now - resumed).TotalSeconds) : 0);
        await using var connection = await store.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition("""
            update bulk_loads set state = @to, error = coalesce(@error, error), active_seconds = @active,
                resumed_at = @resumedAt, finished_at = @finishedAt
            where id = @id and state = @state
            """,
            new
            {
                id,
                to,
                error,
                active,
                resumedAt = to == "running" ? now : (DateTimeOffset?)null,
                finishedAt = to is "running" or "paused" ? (DateTimeOffset?)null : now,
                state = load.State,
            },
            cancellationToken: cancellationToken)) == 1;
    }
}
