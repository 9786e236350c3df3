using System.Data.Common;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dapper;
using Interweave.Sidecar.Storage;

namespace Interweave.Sidecar.Flows.Engine;

/// <summary>One record's outcome as a run logs it, with the fields it wrote.</summary>
public sealed record RunRecordEntry(string SourceKey, string? TargetKey, RecordAction Action, string? Error, string? Label, IReadOnlyList<WrittenField>? Changes = null);

public sealed class FlowStore(Store store, TimeProvider time)
{
    private const string FlowColumns = "id as Id, template_version as TemplateVersion, definition as Definition, enabled as EnabledValue, schedule as Schedule, settings as Settings, watermark as Watermark, updated_at as UpdatedAt";
    private const string RunColumns = "id as Id, flow_id as FlowId, trigger as Trigger, state as State, started_at as StartedAt, finished_at as FinishedAt, read_count as ReadCount, created_count as CreatedCount, updated_count as UpdatedCount, unchanged_count as UnchangedCount, failed_count as FailedCount, total_count as TotalCount, watermark_from as WatermarkFrom, watermark_to as WatermarkTo, error as Error, requested_by as RequestedBy";

    /// <summary>The templates shipped in this build (embedded Flows/Templates/*.json).</summary>
    public static IReadOnlyList<FlowDefinition> Templates { get; } = LoadTemplates();

    private static List<FlowDefinition> LoadTemplates()
    {
        var assembly = typeof(FlowStore).Assembly;
        return assembly.GetManifestResourceNames().Where(n => n.StartsWith("FlowTemplates.", StringComparison.Ordinal)).Order(StringComparer.Ordinal)
            .Select(n =>
            {
                using var stream = assembly.GetManifestResourceStream(n)!;
                return JsonSerializer.Deserialize<FlowDefinition>(stream, FlowDefinition.Json)!;
            }).ToList();
    }

    /// <summary>
    /// Puts the shipped templates into the store: new flows as shipped, newer template versions over older ones
    /// while keeping an admin's enabled flag, schedule, settings (a new version's new settings join with their
    /// defaults) and watermark.
    /// </summary>
    public async Task InstallTemplatesAsync(CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        foreach (var template in Templates)
        {
            var now = time.GetUtcNow();
            var definition = JsonSerializer.Serialize(template, FlowDefinition.Json);
            var stored = await connection.QuerySingleOrDefaultAsync<StoredFlow>(new CommandDefinition(
                $"select {FlowColumns} from flows where id = @Id", new { template.Id }, cancellationToken: cancellationToken));
            if (stored is null)
            {
                await connection.ExecuteAsync(new CommandDefinition("""
                    insert into flows (id, template_version, definition, enabled, schedule, settings, updated_at)
                    values (@Id, @Version, @definition, @enabled, @Schedule, @settings, @now)
                    on conflict (id) do nothing
                    """,
                    new
                    {
                        template.Id,
                        template.Version,
                        definition,
                        enabled = template.Trigger.Enabled ? 1 : 0,
                        template.Trigger.Schedule,
                        settings = JsonSerializer.Serialize(template.Settings, FlowDefinition.Json),
                        now
                    },
                    cancellationToken: cancellationToken));
            }
            else if (stored.TemplateVersion < template.Version)
            {
                var settings = MergeSettings(template.Settings, stored.ParsedSettings());
                // Guarded by the version read, so two processes starting at once apply an upgrade once.
                await connection.ExecuteAsync(new CommandDefinition("""
                    update flows set template_version = @Version, definition = @definition, settings = @settings, updated_at = @now
                    where id = @Id and template_version = @storedVersion
                    """,
                    new { template.Id, template.Version, definition, settings = JsonSerializer.Serialize(settings, FlowDefinition.Json), now, storedVersion = stored.TemplateVersion },
                    cancellationToken: cancellationToken));
            }
        }
    }

    /// <summary>A newer template's settings: its new ones with their defaults, the admin's values for the ones it kept, none it dropped.</summary>
    internal static Dictionary<string, string> MergeSettings(IReadOnlyDictionary<string, string> template, IReadOnlyDictionary<string, string> stored)
    {
        var settings = new Dictionary<string, string>(template);
        foreach (var (key, value) in stored.Where(s => template.ContainsKey(s.Key))) settings[key] = value;
        return settings;
    }

    public async Task<IReadOnlyList<StoredFlow>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<StoredFlow>(new CommandDefinition($"select {FlowColumns} from flows order by id", cancellationToken: cancellationToken))).AsList();
    }

    public async Task<StoredFlow?> GetAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<StoredFlow>(new CommandDefinition($"select {FlowColumns} from flows where id = @id", new { id }, cancellationToken: cancellationToken));
    }

    /// <summary>The flow as an admin left it (definition and settings), for the buttons; 503 when it is not installed.</summary>
    public async Task<FlowDefinition> GetEffectiveAsync(string id, CancellationToken cancellationToken) =>
        (await GetAsync(id, cancellationToken))?.Effective()
        ?? throw new FlowRefusedException(RefusalReason.NotConfigured, "Flow missing", $"The flow '{id}' is not installed; restart the sidecar to install the standard flows.");

    /// <summary>The flow, when an admin has it turned on; refused (naming the flow and who can turn it on) when it is off.</summary>
    public async Task<StoredFlow> GetEnabledAsync(string id, CancellationToken cancellationToken)
    {
        var stored = await GetAsync(id, cancellationToken)
                     ?? throw new FlowRefusedException(RefusalReason.NotConfigured, "Flow missing", $"The flow '{id}' is not installed; restart the sidecar to install the standard flows.");
        return stored.Enabled ? stored : throw FlowRefusedException.TurnedOff(id, stored.Parse().Name);
    }

    public async Task UpdateAsync(StoredFlow flow, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "update flows set definition = @Definition, enabled = @enabled, schedule = @Schedule, settings = @Settings, updated_at = @now where id = @Id",
            new { flow.Definition, enabled = flow.Enabled ? 1 : 0, flow.Schedule, flow.Settings, now = time.GetUtcNow(), flow.Id }, cancellationToken: cancellationToken));
    }

    public async Task SetWatermarkAsync(string id, DateTimeOffset watermark, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("update flows set watermark = @watermark where id = @id", new { id, watermark }, cancellationToken: cancellationToken));
    }

    /// <summary>Starts a run; null when the flow already has one running (here or in another process).</summary>
    /// <remarks><paramref name="requestedBy"/>: the name of the key that asked for the run; null for a schedule's.</remarks>
    public async Task<StoredRun?> TryStartRunAsync(string flowId, string trigger, CancellationToken cancellationToken, string? requestedBy = null)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        try
        {
            var id = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                "insert into flow_runs (flow_id, trigger, state, started_at, requested_by) values (@flowId, @trigger, @state, @now, @requestedBy) returning id",
                new { flowId, trigger, state = WireNames.Of(RunState.Running), now = time.GetUtcNow(), requestedBy }, cancellationToken: cancellationToken));
            return await GetRunAsync(id, cancellationToken);
        }
        catch (DbException ex) when (IsUniqueViolation(ex))
        {
            return null;
        }
    }

    public async Task UpdateRunAsync(StoredRun run, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("""
            update flow_runs set state = @State, finished_at = @FinishedAt, read_count = @ReadCount, created_count = @CreatedCount,
                updated_count = @UpdatedCount, unchanged_count = @UnchangedCount, failed_count = @FailedCount, total_count = @TotalCount,
                watermark_from = @WatermarkFrom, watermark_to = @WatermarkTo, error = @Error
            where id = @Id
            """,
            new
            {
                run.Id,
                State = WireNames.Of(run.State),
                run.FinishedAt,
                run.ReadCount,
                run.CreatedCount,
                run.UpdatedCount,
                run.UnchangedCount,
                run.FailedCount,
                run.TotalCount,
                run.WatermarkFrom,
                run.WatermarkTo,
                run.Error,
            },
            cancellationToken: cancellationToken));
    }

    /// <summary>
    /// Runs a crashed process left "running" can never finish; they are closed so the flow can run again, with
    /// counts taken from the records they logged (the in-memory counts died with the process).
    /// </summary>
    public async Task<int> InterruptRunningAsync(CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition($"""
            update flow_runs set state = @interrupted, finished_at = @now, error = @error,
                read_count = {LoggedCount(null)}, created_count = {LoggedCount("created")}, updated_count = {LoggedCount("updated")},
                unchanged_count = {LoggedCount("unchanged")}, failed_count = {LoggedCount("failed")}
            where state = @running
            """,
            new
            {
                interrupted = WireNames.Of(RunState.Interrupted),
                running = WireNames.Of(RunState.Running),
                now = time.GetUtcNow(),
                error = "The sidecar stopped during this run; the next run reads again from the last committed watermark.",
                created = WireNames.Of(RecordAction.Created),
                updated = WireNames.Of(RecordAction.Updated),
                unchanged = WireNames.Of(RecordAction.Unchanged),
                failed = WireNames.Of(RecordAction.Failed),
            },
            cancellationToken: cancellationToken));

        static string LoggedCount(string? action) =>
            $"(select count(*) from flow_run_records r where r.run_id = flow_runs.id{(action is null ? "" : $" and r.action = @{action}")})";
    }

    /// <summary>
    /// The run with its counts taken from the records it logged: what a run that failed part-way had written
    /// (its in-memory counts are lost with the exception that ended it).
    /// </summary>
    public async Task<StoredRun> WithLoggedCountsAsync(StoredRun run, CancellationToken cancellationToken)
    {
        var logged = await ListRunRecordsAsync(run.Id, cancellationToken);
        return logged.Aggregate(run with { ReadCount = 0, CreatedCount = 0, UpdatedCount = 0, UnchangedCount = 0, FailedCount = 0 },
            (counted, record) => counted.Counted(record.Action));
    }

    public async Task<StoredRun?> GetRunAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<StoredRun>(new CommandDefinition($"select {RunColumns} from flow_runs where id = @id", new { id }, cancellationToken: cancellationToken));
    }

    /// <summary>The flow's run under way, if one is.</summary>
    public async Task<StoredRun?> GetRunningRunAsync(string flowId, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<StoredRun>(new CommandDefinition($"select {RunColumns} from flow_runs where flow_id = @flowId and state = @running",
            new { flowId, running = WireNames.Of(RunState.Running) }, cancellationToken: cancellationToken));
    }

    /// <summary>Runs newest first; <paramref name="before"/> (a run's id) pages back past the runs already shown.</summary>
    public async Task<IReadOnlyList<StoredRun>> ListRunsAsync(string? flowId, int limit, CancellationToken cancellationToken, long? before = null)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<StoredRun>(new CommandDefinition(
            $"select {RunColumns} from flow_runs where (@flowId is null or flow_id = @flowId) and (@before is null or id < @before) order by id desc limit @limit",
            new { flowId, limit, before }, cancellationToken: cancellationToken))).AsList();
    }

    public async Task AddRunRecordAsync(long runId, string sourceKey, string? targetKey, RecordAction action, string? error, CancellationToken cancellationToken,
        string? label = null)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "insert into flow_run_records (run_id, source_key, target_key, action, error, at, label) values (@runId, @sourceKey, @targetKey, @action, @error, @now, @label)",
            new { runId, sourceKey, targetKey, action = WireNames.Of(action), error, now = time.GetUtcNow(), label = Label(label) }, cancellationToken: cancellationToken));
    }

    /// <summary>A label as logged: its first 200 characters (a name can be 10,000 long; the log is for finding it).</summary>
    private static string? Label(string? label) => label is { Length: > 200 } ? label[..200] : label;

    internal const string RunRecordColumns =
        "id as Id, run_id as RunId, source_key as SourceKey, target_key as TargetKey, action as Action, error as Error, at as At, label as Label, changes as Changes,"
        + " source_object as SourceObject, target_object as TargetObject";

    /// <summary>A page of a run's records in the order logged: at most <paramref name="limit"/>, after <paramref name="afterId"/> when given.</summary>
    public async Task<IReadOnlyList<StoredRunRecord>> ListRunRecordsAsync(long runId, long? afterId, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<StoredRunRecord>(new CommandDefinition(
            $"select {RunRecordColumns} from flow_run_records where run_id = @runId and (@afterId is null or id > @afterId) order by id limit @limit",
            new { runId, afterId, limit }, cancellationToken: cancellationToken))).AsList();
    }

    public async Task<IReadOnlyList<StoredRunRecord>> ListRunRecordsAsync(long runId, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<StoredRunRecord>(new CommandDefinition(
            $"select {RunRecordColumns} from flow_run_records where run_id = @runId order by id",
            new { runId }, cancellationToken: cancellationToken))).AsList();
    }

    /// <summary>
    /// What runs did with a record, newest first, each entry once, with each run's flow. A record is given by its keys,
    /// each scoped to its object when known (a RECORDNO is unique only within its Intacct object): a key matches a
    /// logged record on the side whose object it is, named on the record (a button's run) or else by its flow.
    /// </summary>
    public async Task<IReadOnlyList<(StoredRunRecord Record, string FlowId)>> ListRecordHistoryAsync(IReadOnlyList<RecordRef> keys, int limit,
        CancellationToken cancellationToken)
    {
        if (keys.Count == 0) return [];
        var definitions = (await ListAsync(cancellationToken)).Select(f => f.Parse()).ToList();
        var parameters = new DynamicParameters(new { limit });
        var clauses = new List<string>();
        foreach (var (reference, i) in keys.Select((k, i) => (k, i)))
        {
            parameters.Add($"k{i}", reference.Key);
            if (reference.Object is not { } name)
            {
                clauses.Add($"r.source_key = @k{i} or r.target_key = @k{i}");
                continue;
            }

            parameters.Add($"o{i}", name.ToLowerInvariant());
            parameters.Add($"sf{i}", definitions.Where(d => string.Equals(d.Source.Object, name, StringComparison.OrdinalIgnoreCase)).Select(d => d.Id).ToArray());
            parameters.Add($"tf{i}", definitions.Where(d => string.Equals(d.Target.Object, name, StringComparison.OrdinalIgnoreCase)).Select(d => d.Id).ToArray());
            clauses.Add($"""
                (r.source_key = @k{i} and (lower(r.source_object) = @o{i} or (r.source_object is null and {store.Dialect.In("f.flow_id", $"sf{i}")})))
                or (r.target_key = @k{i} and (lower(r.target_object) = @o{i} or (r.target_object is null and {store.Dialect.In("f.flow_id", $"tf{i}")})))
                """);
        }

        await using var connection = await store.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<StoredRunRecord, string, (StoredRunRecord, string)>(new CommandDefinition($"""
            select r.id as Id, r.run_id as RunId, r.source_key as SourceKey, r.target_key as TargetKey, r.action as Action, r.error as Error, r.at as At,
                   r.label as Label, r.changes as Changes, r.source_object as SourceObject, r.target_object as TargetObject, f.flow_id as FlowId
            from flow_run_records r join flow_runs f on f.id = r.run_id
            where {string.Join(" or ", clauses.Select(c => $"({c})"))}
            order by r.id desc limit @limit
            """, parameters, cancellationToken: cancellationToken), (record, flowId) => (record, flowId), splitOn: "FlowId");
        return rows.AsList();
    }

    public async Task<FlowLink?> GetLinkAsync(string flowId, string sourceKey, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<FlowLink>(new CommandDefinition(
            """
            select flow_id as FlowId, source_key as SourceKey, target_key as TargetKey, fingerprint as Fingerprint, failed_fingerprint as FailedFingerprint,
                source_values as SourceValues, failed_fields as FailedFields, synced_at as SyncedAt
            from flow_links where flow_id = @flowId and source_key = @sourceKey
            """,
            new { flowId, sourceKey }, cancellationToken: cancellationToken));
    }

    /// <summary>Keys a store query takes at once: well under SQLite's 32,766 parameters and PostgreSQL's 65,535.</summary>
    private const int KeysPerQuery = 500;

    /// <summary>The links of a page of records in one query per 500 keys, by source key.</summary>
    public async Task<IReadOnlyDictionary<string, FlowLink>> GetLinksAsync(string flowId, IEnumerable<string> sourceKeys, CancellationToken cancellationToken)
    {
        var links = new Dictionary<string, FlowLink>(StringComparer.Ordinal);
        await using var connection = await store.OpenAsync(cancellationToken);
        foreach (var keys in sourceKeys.Distinct(StringComparer.Ordinal).Chunk(KeysPerQuery))
        {
            foreach (var link in await connection.QueryAsync<FlowLink>(new CommandDefinition($"""
                         select flow_id as FlowId, source_key as SourceKey, target_key as TargetKey, fingerprint as Fingerprint, failed_fingerprint as FailedFingerprint,
                             source_values as SourceValues, failed_fields as FailedFields, synced_at as SyncedAt
                         from flow_links where flow_id = @flowId and {store.Dialect.In("source_key", "keys")}
                         """, new { flowId, keys }, cancellationToken: cancellationToken)))
                links[link.SourceKey] = link;
        }

        return links;
    }

    /// <summary>What a flow wrote for a page of records, forgetting values that failed before: one transaction, not a commit per record.</summary>
    public async Task SaveLinksAsync(string flowId, IReadOnlyList<(string SourceKey, string TargetKey, string Fingerprint, JsonObject Values)> links,
        CancellationToken cancellationToken)
    {
        if (links.Count == 0) return;
        var now = time.GetUtcNow();
        await using var connection = await store.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(SaveLinkSql,
            links.Select(l => new { flowId, sourceKey = l.SourceKey, targetKey = l.TargetKey, fingerprint = l.Fingerprint, sourceValues = l.Values.ToJsonString(), now }),
            transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>The outcomes of a page of records in one transaction.</summary>
    public async Task AddRunRecordsAsync(long runId, IReadOnlyList<RunRecordEntry> records, CancellationToken cancellationToken)
    {
        if (records.Count == 0) return;
        var now = time.GetUtcNow();
        await using var connection = await store.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "insert into flow_run_records (run_id, source_key, target_key, action, error, at, label, changes) values (@runId, @sourceKey, @targetKey, @action, @error, @now, @label, @changes)",
            records.Select(r => new
            {
                runId,
                sourceKey = r.SourceKey,
                targetKey = r.TargetKey,
                action = WireNames.Of(r.Action),
                error = r.Error,
                now,
                label = Label(r.Label),
                changes = WrittenField.ToJson(r.Changes),
            }),
            transaction,
            cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
    }

    private const string SaveLinkSql = """
        insert into flow_links (flow_id, source_key, target_key, fingerprint, failed_fingerprint, source_values, updated_at, synced_at)
        values (@flowId, @sourceKey, @targetKey, @fingerprint, null, @sourceValues, @now, @now)
        on conflict (flow_id, source_key) do update set target_key = excluded.target_key, fingerprint = excluded.fingerprint,
            failed_fingerprint = null, failed_fields = null, source_values = excluded.source_values, updated_at = excluded.updated_at, synced_at = excluded.synced_at
        """;

    /// <summary>
    /// Remembers which target fields a refused write tried to change, for a page of records in one transaction: while
    /// the record's error is open the reverse flow leaves those fields alone.
    /// </summary>
    public async Task SaveFailedFieldsAsync(string flowId, IReadOnlyList<(string SourceKey, string TargetKey, IReadOnlyList<string> Fields)> failed,
        CancellationToken cancellationToken)
    {
        if (failed.Count == 0) return;
        var now = time.GetUtcNow();
        await using var connection = await store.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("""
            insert into flow_links (flow_id, source_key, target_key, fingerprint, failed_fields, updated_at)
            values (@flowId, @sourceKey, @targetKey, '', @fields, @now)
            on conflict (flow_id, source_key) do update set failed_fields = excluded.failed_fields, updated_at = excluded.updated_at
            """, failed.Select(f => new { flowId, sourceKey = f.SourceKey, targetKey = f.TargetKey, fields = new JsonArray(f.Fields.Select(x => (JsonNode?)x).ToArray()).ToJsonString(), now }),
            transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>
    /// The flows that run the other way between the same paired records (a pull's push, a push's pull), as an admin
    /// left them: what one direction must know of the other to keep a person's edit.
    /// </summary>
    public async Task<IReadOnlyList<FlowDefinition>> ReversesOfAsync(FlowDefinition flow, CancellationToken cancellationToken)
    {
        if (flow.Binding is null) return [];
        return (await ListAsync(cancellationToken)).Select(f => f.Effective())
            .Where(f => f.Binding == flow.Binding && f.Source.System == flow.Target.System && f.Target.System == flow.Source.System).ToList();
    }

    /// <summary>
    /// Remembers the fingerprint of values that failed, keeping what was last written, so a run does not try the
    /// same values again while their error waits in the queue.
    /// </summary>
    public async Task SaveFailedAsync(string flowId, string sourceKey, string targetKey, string failedFingerprint, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("""
            insert into flow_links (flow_id, source_key, target_key, fingerprint, failed_fingerprint, updated_at)
            values (@flowId, @sourceKey, @targetKey, '', @failedFingerprint, @now)
            on conflict (flow_id, source_key) do update set failed_fingerprint = excluded.failed_fingerprint, updated_at = excluded.updated_at
            """, new { flowId, sourceKey, targetKey, failedFingerprint, now = time.GetUtcNow() }, cancellationToken: cancellationToken));
    }

    private static bool IsUniqueViolation(DbException ex) =>
        ex.SqlState == "23505" || ex.Message.Contains("UNIQUE constraint failed", StringComparison.Ordinal);
}
