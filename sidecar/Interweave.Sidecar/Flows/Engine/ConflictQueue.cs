using System.Text.Json.Nodes;
using Dapper;
using Interweave.Sidecar.Storage;

namespace Interweave.Sidecar.Flows.Engine;

/// <summary>
/// Fields both systems changed since they were last synced, kept with both values until a person keeps one side's:
/// one open row per pair of records and field; a run that finds it again refreshes the values and counts up.
/// </summary>
public sealed class ConflictQueue(Store store, TimeProvider time, ILogger<ConflictQueue> log)
{
    private const string Columns = """
        id as Id, binding_kind as BindingKind, creatio_id as CreatioId, intacct_id as IntacctId, record_label as RecordLabel, creatio_field as CreatioField,
        intacct_field as IntacctField, pull_flow_id as PullFlowId, push_flow_id as PushFlowId, creatio_value as CreatioValue, intacct_value as IntacctValue,
        synced_value as SyncedValue, status as Status, kept as Kept, occurrences as Occurrences, first_seen_at as FirstSeenAt, last_seen_at as LastSeenAt,
        resolved_at as ResolvedAt
        """;

    /// <summary>Queues what a page found, or refreshes the open conflicts it found again, in one transaction.</summary>
    public async Task RaiseManyAsync(IReadOnlyList<FieldConflict> conflicts, CancellationToken cancellationToken)
    {
        if (conflicts.Count == 0) return;
        var now = time.GetUtcNow();
        await using var connection = await store.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        foreach (var c in conflicts)
        {
            var updated = await connection.ExecuteAsync(new CommandDefinition("""
                update sync_conflicts set creatio_value = @CreatioValue, intacct_value = @IntacctValue, record_label = coalesce(@Label, record_label),
                    occurrences = occurrences + 1, last_seen_at = @now
                where binding_kind = @BindingKind and creatio_id = @CreatioId and creatio_field = @CreatioField and status = 'open'
                """, new { c.CreatioValue, c.IntacctValue, c.Label, now, c.BindingKind, c.CreatioId, c.CreatioField }, transaction, cancellationToken: cancellationToken));
            if (updated > 0) continue;
            await connection.ExecuteAsync(new CommandDefinition("""
                insert into sync_conflicts (binding_kind, creatio_id, intacct_id, record_label, creatio_field, intacct_field, pull_flow_id, push_flow_id,
                    creatio_value, intacct_value, synced_value, status, occurrences, first_seen_at, last_seen_at)
                values (@BindingKind, @CreatioId, @IntacctId, @Label, @CreatioField, @IntacctField, @PullFlowId, @PushFlowId,
                    @CreatioValue, @IntacctValue, @SyncedValue, 'open', 1, @now, @now)
                """, new
            {
                c.BindingKind,
                c.CreatioId,
                c.IntacctId,
                c.Label,
                c.CreatioField,
                c.IntacctField,
                c.PullFlowId,
                c.PushFlowId,
                c.CreatioValue,
                c.IntacctValue,
                c.SyncedValue,
                now,
            }, transaction, cancellationToken: cancellationToken));
            log.LogWarning("Conflict on {Kind} {CreatioId} field {Field}: Creatio and Intacct both changed it", c.BindingKind, c.CreatioId, c.CreatioField);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>The fields with an open conflict, per Creatio record of these (one query per 500 ids).</summary>
    public async Task<IReadOnlyDictionary<string, HashSet<string>>> OpenFieldsAsync(string bindingKind, IReadOnlyCollection<string> creatioIds, CancellationToken cancellationToken)
    {
        var open = new Dictionary<string, HashSet<string>>(StringComparer.OrdinalIgnoreCase);
        if (creatioIds.Count == 0) return open;
        await using var connection = await store.OpenAsync(cancellationToken);
        foreach (var ids in creatioIds.Distinct(StringComparer.OrdinalIgnoreCase).Chunk(500))
            foreach (var (id, field) in await connection.QueryAsync<(string, string)>(new CommandDefinition(
                         $"select creatio_id, creatio_field from sync_conflicts where binding_kind = @bindingKind and {store.Dialect.In("creatio_id", "ids")} and status = 'open'",
                         new { bindingKind, ids }, cancellationToken: cancellationToken)))
            {
                if (!open.TryGetValue(id, out var fields)) open[id] = fields = new HashSet<string>(StringComparer.Ordinal);
                fields.Add(field);
            }

        return open;
    }

    public async Task<StoredConflict?> GetAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<StoredConflict>(new CommandDefinition($"select {Columns} from sync_conflicts where id = @id", new { id },
            cancellationToken: cancellationToken));
    }

    /// <summary>The conflicts of a status (all when null), newest first: at most <paramref name="limit"/>, older than <paramref name="beforeId"/> when given.</summary>
    public async Task<IReadOnlyList<StoredConflict>> ListAsync(ConflictStatus? status, long? beforeId, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<StoredConflict>(new CommandDefinition(
            $"select {Columns} from sync_conflicts where (@status is null or status = @status) and (@beforeId is null or id < @beforeId) order by id desc limit @limit",
            new { status = status is { } s ? WireNames.Of(s) : null, beforeId, limit }, cancellationToken: cancellationToken))).AsList();
    }

    /// <summary>
    /// Closes an open conflict with the side kept, and makes the kept value the last-synced value of both flows' links,
    /// in one transaction; false when the conflict was no longer open (someone else resolved it first).
    /// </summary>
    public async Task<bool> ResolveAsync(StoredConflict conflict, ConflictSide kept, JsonNode? creatioValue, string intacctValue, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await using var connection = await store.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var closed = await connection.ExecuteAsync(new CommandDefinition(
            "update sync_conflicts set status = 'resolved', kept = @kept, resolved_at = @now where id = @Id and status = 'open'",
            new { kept = WireNames.Of(kept), now, conflict.Id }, transaction, cancellationToken: cancellationToken));
        if (closed == 0) return false;
        await SetSyncedAsync(conflict.PullFlowId, conflict.IntacctId, conflict.CreatioField, creatioValue?.DeepClone());
        await SetSyncedAsync(conflict.PushFlowId, conflict.CreatioId, conflict.IntacctField, JsonValue.Create(intacctValue));
        await transaction.CommitAsync(cancellationToken);
        return true;

        async Task SetSyncedAsync(string flowId, string sourceKey, string field, JsonNode? value)
        {
            var stored = await connection.QuerySingleOrDefaultAsync<string?>(new CommandDefinition(
                "select source_values from flow_links where flow_id = @flowId and source_key = @sourceKey", new { flowId, sourceKey }, transaction,
                cancellationToken: cancellationToken));
            if (stored is null || JsonNode.Parse(stored) is not JsonObject values) return; // no values kept: the next run compares the records themselves
            values[field] = value;
            await connection.ExecuteAsync(new CommandDefinition(
                "update flow_links set source_values = @values, synced_at = @now where flow_id = @flowId and source_key = @sourceKey",
                new { values = values.ToJsonString(), now, flowId, sourceKey }, transaction, cancellationToken: cancellationToken));
        }
    }
}
