using Dapper;

namespace Interweave.Sidecar.Storage;

/// <summary>A row of binding_reports: the report and the commit's outcome as JSON.</summary>
public sealed record StoredBindingReport
{
    public long Id { get; init; }
    public string Kind { get; init; } = "";
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? CommittedAt { get; init; }
    public string Report { get; init; } = "";
    public string? Outcome { get; init; }
}

public sealed class BindingReportRepository(Store store)
{
    private const string Columns = "id as Id, kind as Kind, created_at as CreatedAt, committed_at as CommittedAt, report as Report, outcome as Outcome";

    public async Task<long> AddAsync(string kind, DateTimeOffset createdAt, string report, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "insert into binding_reports (kind, created_at, report) values (@kind, @createdAt, @report) returning id", new { kind, createdAt, report },
            cancellationToken: cancellationToken));
    }

    /// <summary>Stores the report's final text (it carries its own id) after <see cref="AddAsync"/> gave it one.</summary>
    public async Task SetReportAsync(long id, string report, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("update binding_reports set report = @report where id = @id", new { id, report }, cancellationToken: cancellationToken));
    }

    /// <summary>Marks the report committed, once: false when it already was (a second commit, or one running in parallel).</summary>
    public async Task<bool> TryBeginCommitAsync(long id, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            "update binding_reports set committed_at = @at where id = @id and committed_at is null", new { id, at }, cancellationToken: cancellationToken)) == 1;
    }

    public async Task SetOutcomeAsync(long id, string outcome, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("update binding_reports set outcome = @outcome where id = @id", new { id, outcome }, cancellationToken: cancellationToken));
    }

    public async Task<StoredBindingReport?> GetAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<StoredBindingReport>(new CommandDefinition(
            $"select {Columns} from binding_reports where id = @id", new { id }, cancellationToken: cancellationToken));
    }

    public async Task<IReadOnlyList<StoredBindingReport>> ListAsync(int limit, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<StoredBindingReport>(new CommandDefinition(
            $"select {Columns} from binding_reports order by id desc limit @limit", new { limit }, cancellationToken: cancellationToken))).AsList();
    }
}
