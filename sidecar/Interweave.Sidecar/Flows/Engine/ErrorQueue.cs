using Dapper;
using Interweave.Sidecar.Creatio;
using Interweave.Sidecar.Storage;

namespace Interweave.Sidecar.Flows.Engine;

/// <summary>
/// The error queue: business errors that a retry alone will not fix. One open row per flow, record and kind of
/// error (a repeat counts up instead of adding a row); each open row has one support Case in Creatio.
/// </summary>
public sealed class ErrorQueue(Store store, TimeProvider time, CaseRaiser cases, ILogger<ErrorQueue> log)
{
    private const string Columns = "id as Id, flow_id as FlowId, record_key as RecordKey, record_label as RecordLabel, account_id as AccountId, error_kind as ErrorKind, system as System, error_no as ErrorNo, message as Message, hint as Hint, status as Status, occurrences as Occurrences, case_id as CaseId, first_seen_at as FirstSeenAt, last_seen_at as LastSeenAt, closed_at as ClosedAt, scope as Scope, run_id as RunId, case_number as CaseNumber";

    public async Task<StoredError> RaiseAsync(string flowId, string recordKey, string? label, Guid? accountId, RecordFailure failure, CreatioConnection? creatio,
        CancellationToken cancellationToken, long? runId = null)
    {
        var now = time.GetUtcNow();
        StoredError error;
        await using (var connection = await store.OpenAsync(cancellationToken))
        {
            var updated = await connection.ExecuteAsync(new CommandDefinition("""
                update sync_errors set occurrences = occurrences + 1, last_seen_at = @now, message = @Message, hint = @Hint, error_no = @ErrorNo,
                    record_label = coalesce(@label, record_label), account_id = coalesce(@account, account_id), run_id = coalesce(@runId, run_id)
                where flow_id = @flowId and record_key = @recordKey and error_kind = @Kind and status = 'open'
                """, new { now, failure.Message, failure.Hint, failure.ErrorNo, label, account = accountId?.ToString("D"), runId, flowId, recordKey, failure.Kind },
                cancellationToken: cancellationToken));
            if (updated == 0)
            {
                await connection.ExecuteAsync(new CommandDefinition("""
                    insert into sync_errors (flow_id, record_key, record_label, account_id, error_kind, system, error_no, message, hint, status, occurrences, first_seen_at, last_seen_at, run_id)
                    values (@flowId, @recordKey, @label, @account, @Kind, @System, @ErrorNo, @Message, @Hint, 'open', 1, @now, @now, @runId)
                    on conflict do nothing
                    """, new { flowId, recordKey, label, account = accountId?.ToString("D"), failure.Kind, failure.System, failure.ErrorNo, failure.Message, failure.Hint, now, runId },
                    cancellationToken: cancellationToken));
            }

            error = await connection.QuerySingleAsync<StoredError>(new CommandDefinition(
                $"select {Columns} from sync_errors where flow_id = @flowId and record_key = @recordKey and error_kind = @Kind and status = 'open'",
                new { flowId, recordKey, failure.Kind }, cancellationToken: cancellationToken));
        }

        log.LogWarning("Sync error {ErrorId} on {FlowId} record {RecordKey}: {Message}", error.Id, flowId, recordKey, failure.Message);
        if (creatio is null) return error;
        try
        {
            var caseId = await cases.RaiseOrUpdateAsync(creatio, error, cancellationToken);
            if (error.CaseId is null)
            {
                await using var connection = await store.OpenAsync(cancellationToken);
                await connection.ExecuteAsync(new CommandDefinition("update sync_errors set case_id = @caseId where id = @Id",
                    new { caseId = caseId.ToString("D"), error.Id }, cancellationToken: cancellationToken));
                error = error with { CaseId = caseId.ToString("D") };
            }
        }
        catch (CreatioException ex)
        {
            // The error stays queued; the Case is raised on its next occurrence or retry.
            log.LogWarning(ex, "Could not raise the support Case for sync error {ErrorId}", error.Id);
        }

        return error;
    }

    /// <summary>
    /// A run of the flow stopped as a whole: one open run-level error per flow and kind of failure (repeats count
    /// up), naming the run it was last seen in. No Case: the queue and the dashboard show it.
    /// </summary>
    public async Task<StoredError> RaiseRunAsync(string flowId, long runId, RecordFailure failure, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var label = $"Run #{runId} of {flowId}";
        var run = WireNames.Of(ErrorScope.Run);
        await using var connection = await store.OpenAsync(cancellationToken);
        var updated = await connection.ExecuteAsync(new CommandDefinition("""
            update sync_errors set occurrences = occurrences + 1, last_seen_at = @now, message = @Message, hint = @Hint, error_no = @ErrorNo, record_label = @label, run_id = @runId
            where flow_id = @flowId and record_key = '' and error_kind = @Kind and status = 'open'
            """, new { now, failure.Message, failure.Hint, failure.ErrorNo, label, runId, flowId, failure.Kind }, cancellationToken: cancellationToken));
        if (updated == 0)
            await connection.ExecuteAsync(new CommandDefinition("""
                insert into sync_errors (flow_id, record_key, record_label, error_kind, system, error_no, message, hint, status, occurrences, first_seen_at, last_seen_at, scope, run_id)
                values (@flowId, '', @label, @Kind, @System, @ErrorNo, @Message, @Hint, 'open', 1, @now, @now, @run, @runId)
                on conflict do nothing
                """, new { flowId, label, failure.Kind, failure.System, failure.ErrorNo, failure.Message, failure.Hint, now, run, runId }, cancellationToken: cancellationToken));
        var error = await connection.QuerySingleAsync<StoredError>(new CommandDefinition(
            $"select {Columns} from sync_errors where flow_id = @flowId and record_key = '' and error_kind = @Kind and status = 'open'",
            new { flowId, failure.Kind }, cancellationToken: cancellationToken));
        log.LogWarning("Run error {ErrorId}: run {RunId} of {FlowId} stopped: {Message}", error.Id, runId, flowId, failure.Message);
        return error;
    }

    /// <summary>A run of the flow read to its end: its run-level errors are resolved.</summary>
    public async Task ResolveRunAsync(string flowId, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "update sync_errors set status = 'resolved', closed_at = @now where flow_id = @flowId and scope = @run and status = 'open'",
            new { flowId, run = WireNames.Of(ErrorScope.Run), now = time.GetUtcNow() }, cancellationToken: cancellationToken));
    }

    /// <summary>Closes the open errors of a record that has now gone through.</summary>
    public async Task ResolveAsync(string flowId, string recordKey, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "update sync_errors set status = 'resolved', closed_at = @now where flow_id = @flowId and record_key = @recordKey and status = 'open'",
            new { flowId, recordKey, now = time.GetUtcNow() }, cancellationToken: cancellationToken));
    }

    /// <summary>Closes the open errors of a page of records that went through, in one statement per 500 keys.</summary>
    public async Task ResolveManyAsync(string flowId, IReadOnlyCollection<string> recordKeys, CancellationToken cancellationToken)
    {
        if (recordKeys.Count == 0) return;
        await using var connection = await store.OpenAsync(cancellationToken);
        foreach (var keys in recordKeys.Chunk(500))
            await connection.ExecuteAsync(new CommandDefinition(
                $"update sync_errors set status = 'resolved', closed_at = @now where flow_id = @flowId and {store.Dialect.In("record_key", "keys")} and status = 'open'",
                new { flowId, keys, now = time.GetUtcNow() }, cancellationToken: cancellationToken));
    }

    /// <summary>Which of these records of a flow have an open error, in one statement per 500 keys.</summary>
    public async Task<IReadOnlySet<string>> OpenKeysAsync(string flowId, IReadOnlyCollection<string> recordKeys, CancellationToken cancellationToken)
    {
        var open = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        if (recordKeys.Count == 0) return open;
        await using var connection = await store.OpenAsync(cancellationToken);
        foreach (var keys in recordKeys.Chunk(500))
            open.UnionWith(await connection.QueryAsync<string>(new CommandDefinition(
                $"select record_key from sync_errors where flow_id = @flowId and {store.Dialect.In("record_key", "keys")} and status = 'open'",
                new { flowId, keys }, cancellationToken: cancellationToken)));
        return open;
    }

    public async Task<bool> DismissAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            "update sync_errors set status = 'dismissed', closed_at = @now where id = @id and status = 'open'",
            new { id, now = time.GetUtcNow() }, cancellationToken: cancellationToken)) == 1;
    }

    public async Task<StoredError?> GetAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<StoredError>(new CommandDefinition($"select {Columns} from sync_errors where id = @id", new { id }, cancellationToken: cancellationToken));
    }

    /// <summary>The errors of a status (all when null), newest first.</summary>
    public async Task<IReadOnlyList<StoredError>> ListAsync(ErrorStatus? status, string? flowId, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<StoredError>(new CommandDefinition(
            $"select {Columns} from sync_errors where (@status is null or status = @status) and (@flowId is null or flow_id = @flowId) order by id desc",
            new { status = status is { } s ? WireNames.Of(s) : null, flowId }, cancellationToken: cancellationToken))).AsList();
    }
}
