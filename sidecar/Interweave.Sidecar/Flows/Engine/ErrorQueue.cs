using Dapper;
using Interweave.Sidecar.Creatio;
using Interweave.Sidecar.Storage;

namespace Interweave.Sidecar.Flows.Engine;

/// <summary>
/// The error queue: business errors that a retry alone will not fix. One open row per flow, record and kind of
/// error (a repeat counts up instead of adding a row); each open row has one support Case in Creatio.
/// </summary>
public sealed class ErrorQueue(Store store, TimeProvider time, CaseRaiser cases, CreatioConnectionFactory creatioConnections, ILogger<ErrorQueue> log)
{
    internal const string Columns = "id as Id, flow_id as FlowId, record_key as RecordKey, record_label as RecordLabel, account_id as AccountId, error_kind as ErrorKind, system as System, error_no as ErrorNo, message as Message, hint as Hint, status as Status, occurrences as Occurrences, case_id as CaseId, first_seen_at as FirstSeenAt, last_seen_at as LastSeenAt, closed_at as ClosedAt, scope as Scope, run_id as RunId, case_number as CaseNumber";

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
            int openInGroup;
            await using (var connection = await store.OpenAsync(cancellationToken))
            {
                // One Case per group: an open error of the same flow, kind and error number lends the new one its Case.
                if (error.CaseId is null
                    && await connection.QueryFirstOrDefaultAsync<SharedCase>(new CommandDefinition("""
                        select case_id as CaseId, case_number as CaseNumber from sync_errors
                        where flow_id = @FlowId and error_kind = @ErrorKind and coalesce(error_no, '') = coalesce(@ErrorNo, '') and status = 'open'
                          and case_id is not null and id <> @Id
                        order by id limit 1
                        """, new { error.FlowId, error.ErrorKind, error.ErrorNo, error.Id }, cancellationToken: cancellationToken)) is { } shared)
                {
                    await connection.ExecuteAsync(new CommandDefinition("update sync_errors set case_id = @CaseId, case_number = @CaseNumber where id = @Id",
                        new { shared.CaseId, shared.CaseNumber, error.Id }, cancellationToken: cancellationToken));
                    error = error with { CaseId = shared.CaseId, CaseNumber = shared.CaseNumber };
                }

                openInGroup = error.CaseId is null ? 1 : await connection.ExecuteScalarAsync<int>(new CommandDefinition(
                    "select count(*) from sync_errors where case_id = @CaseId and status = 'open'", new { error.CaseId }, cancellationToken: cancellationToken));
            }

            var (caseId, number) = await cases.RaiseOrUpdateAsync(creatio, error, openInGroup, cancellationToken);
            if (error.CaseId is null || (error.CaseNumber is null && number is not null))
            {
                await using var connection = await store.OpenAsync(cancellationToken);
                await connection.ExecuteAsync(new CommandDefinition("update sync_errors set case_id = @caseId, case_number = coalesce(@number, case_number) where id = @Id",
                    new { caseId = caseId.ToString("D"), number, error.Id }, cancellationToken: cancellationToken));
                error = error with { CaseId = caseId.ToString("D"), CaseNumber = number ?? error.CaseNumber };
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

    /// <summary>Closes the open errors of a record that has now gone through, and resolves its Case once its group has no open error.</summary>
    public Task ResolveAsync(string flowId, string recordKey, CancellationToken cancellationToken, CreatioConnection? creatio = null) =>
        ResolveManyAsync(flowId, [recordKey], cancellationToken, creatio);

    /// <summary>
    /// Closes the open errors of a page of records that went through, in two statements per 500 keys, and resolves in
    /// Creatio each Case whose group has no open error left.
    /// </summary>
    public async Task ResolveManyAsync(string flowId, IReadOnlyCollection<string> recordKeys, CancellationToken cancellationToken, CreatioConnection? creatio = null)
    {
        if (recordKeys.Count == 0) return;
        var caseIds = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        await using (var connection = await store.OpenAsync(cancellationToken))
            foreach (var keys in recordKeys.Chunk(500))
            {
                caseIds.UnionWith(await connection.QueryAsync<string>(new CommandDefinition(
                    $"select case_id from sync_errors where flow_id = @flowId and {store.Dialect.In("record_key", "keys")} and status = 'open' and case_id is not null",
                    new { flowId, keys }, cancellationToken: cancellationToken)));
                await connection.ExecuteAsync(new CommandDefinition(
                    $"update sync_errors set status = 'resolved', closed_at = @now where flow_id = @flowId and {store.Dialect.In("record_key", "keys")} and status = 'open'",
                    new { flowId, keys, now = time.GetUtcNow() }, cancellationToken: cancellationToken));
            }

        await CloseCasesAsync(caseIds, resolved: true, creatio, cancellationToken);
    }

    private sealed record SharedCase
    {
        public string CaseId { get; init; } = "";
        public string? CaseNumber { get; init; }
    }

    /// <summary>Each of these Cases whose group has no open error left is resolved (fixed) or closed (dismissed) in Creatio.</summary>
    private async Task CloseCasesAsync(IReadOnlyCollection<string> caseIds, bool resolved, CreatioConnection? creatio, CancellationToken cancellationToken)
    {
        if (caseIds.Count == 0) return;
        List<string> stillOpen;
        await using (var connection = await store.OpenAsync(cancellationToken))
            stillOpen = (await connection.QueryAsync<string>(new CommandDefinition(
                $"select distinct case_id from sync_errors where {store.Dialect.In("case_id", "caseIds")} and status = 'open'",
                new { caseIds = caseIds.ToArray() }, cancellationToken: cancellationToken))).AsList();
        var done = caseIds.Except(stillOpen, StringComparer.OrdinalIgnoreCase).ToList();
        if (done.Count == 0) return;
        try
        {
            creatio ??= await creatioConnections.CreateFromStoreAsync(cancellationToken);
            if (creatio is null) return;
            foreach (var caseId in done) await cases.CloseAsync(creatio, Guid.Parse(caseId), resolved, cancellationToken);
        }
        catch (CreatioException ex)
        {
            // The errors are closed either way; the Case stays as it was, for support to close by hand.
            log.LogWarning(ex, "Could not close the support Case(s) {CaseIds} in Creatio", string.Join(", ", done));
        }
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

    /// <summary>Dismisses an open error; its Case is closed in Creatio once its group has no open error left.</summary>
    public async Task<bool> DismissAsync(long id, CancellationToken cancellationToken)
    {
        string? caseId;
        await using (var connection = await store.OpenAsync(cancellationToken))
        {
            caseId = await connection.QuerySingleOrDefaultAsync<string?>(new CommandDefinition("select case_id from sync_errors where id = @id", new { id },
                cancellationToken: cancellationToken));
            if (await connection.ExecuteAsync(new CommandDefinition(
                    "update sync_errors set status = 'dismissed', closed_at = @now where id = @id and status = 'open'",
                    new { id, now = time.GetUtcNow() }, cancellationToken: cancellationToken)) != 1) return false;
        }

        if (caseId is not null) await CloseCasesAsync([caseId], resolved: false, null, cancellationToken);
        return true;
    }

    /// <summary>
    /// Puts a dismissed error back in the queue, open, unless the same record has a newer open error of the same kind
    /// (only one may be open). Answers false when it is not dismissed or that newer error exists.
    /// </summary>
    public async Task<bool> ReopenAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            """
            update sync_errors set status = 'open', closed_at = null
            where id = @id and status = 'dismissed'
              and not exists (select 1 from sync_errors o where o.flow_id = sync_errors.flow_id and o.record_key = sync_errors.record_key
                              and o.error_kind = sync_errors.error_kind and o.status = 'open')
            """, new { id }, cancellationToken: cancellationToken)) == 1;
    }

    public async Task<StoredError?> GetAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<StoredError>(new CommandDefinition($"select {Columns} from sync_errors where id = @id", new { id }, cancellationToken: cancellationToken));
    }

    /// <summary>Errors of a status (all when null), newest first: at most <paramref name="limit"/>, older than <paramref name="beforeId"/> when given.</summary>
    public async Task<IReadOnlyList<StoredError>> ListAsync(ErrorStatus? status, string? flowId, long? beforeId, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<StoredError>(new CommandDefinition(
            $"""
            select {Columns} from sync_errors
            where (@status is null or status = @status) and (@flowId is null or flow_id = @flowId) and (@beforeId is null or id < @beforeId)
            order by id desc limit @limit
            """,
            new { status = status is { } s ? WireNames.Of(s) : null, flowId, beforeId, limit }, cancellationToken: cancellationToken))).AsList();
    }
}
