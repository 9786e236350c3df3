using System.Data.Common;
using System.Reflection;
using System.Text.Json;
using Dapper;
using Interweave.Sidecar.Flows;
using Interweave.Sidecar.Storage;

namespace Interweave.Sidecar.Flows.Engine;

/// <summary>A stored flow: its definition (template or an admin's edit) and an admin's choices.</summary>
public sealed record StoredFlow
{
    public string Id { get; init; } = "";
    public int TemplateVersion { get; init; }
    public string Definition { get; init; } = "";
    /// <summary>0 or 1: the column is an integer on both stores (SQLite has no boolean).</summary>
    public long EnabledValue { get; init; }
    public bool Enabled => EnabledValue != 0;
    public string? Schedule { get; init; }
    public string Settings { get; init; } = "{}";
    public DateTimeOffset? Watermark { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }

    public FlowDefinition Parse() => JsonSerializer.Deserialize<FlowDefinition>(Definition, FlowDefinition.Json)!;

    /// <summary>The definition with the admin's settings in place of the template's defaults: what a run follows.</summary>
    public FlowDefinition Effective() => Parse() with { Settings = ParsedSettings() };

    public IReadOnlyDictionary<string, string> ParsedSettings() =>
        JsonSerializer.Deserialize<Dictionary<string, string>>(Settings, FlowDefinition.Json) ?? [];
}

public sealed record FlowRun
{
    public long Id { get; init; }
    public string FlowId { get; init; } = "";
    public string Trigger { get; init; } = "";
    public string State { get; init; } = "";
    public DateTimeOffset StartedAt { get; init; }
    public DateTimeOffset? FinishedAt { get; init; }
    public int ReadCount { get; init; }
    public int CreatedCount { get; init; }
    public int UpdatedCount { get; init; }
    public int UnchangedCount { get; init; }
    public int FailedCount { get; init; }
    public DateTimeOffset? WatermarkFrom { get; init; }
    public DateTimeOffset? WatermarkTo { get; init; }
    public string? Error { get; init; }

    /// <summary>This run with one more record read, counted under what happened to it.</summary>
    public FlowRun Counted(string action) => action switch
    {
        RecordActions.Created => this with { ReadCount = ReadCount + 1, CreatedCount = CreatedCount + 1 },
        RecordActions.Updated => this with { ReadCount = ReadCount + 1, UpdatedCount = UpdatedCount + 1 },
        RecordActions.Unchanged => this with { ReadCount = ReadCount + 1, UnchangedCount = UnchangedCount + 1 },
        _ => this with { ReadCount = ReadCount + 1, FailedCount = FailedCount + 1 },
    };
}

public sealed record FlowRunRecord
{
    public long Id { get; init; }
    public long RunId { get; init; }
    public string SourceKey { get; init; } = "";
    public string? TargetKey { get; init; }
    public string Action { get; init; } = "";
    public string? Error { get; init; }
    public DateTimeOffset At { get; init; }
}

public sealed record FlowLink
{
    public string FlowId { get; init; } = "";
    public string SourceKey { get; init; } = "";
    public string TargetKey { get; init; } = "";
    public string Fingerprint { get; init; } = "";
    /// <summary>The mapped values last written (JSON), or null for links stored before values were kept.</summary>
    public string? SourceValues { get; init; }

    public System.Text.Json.Nodes.JsonObject? Values() =>
        SourceValues is null ? null : System.Text.Json.Nodes.JsonNode.Parse(SourceValues) as System.Text.Json.Nodes.JsonObject;
}

public static class RunStates
{
    public const string Running = "running";
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";
    public const string Interrupted = "interrupted";
}

public sealed class FlowStore(Store store, TimeProvider time)
{
    private const string FlowColumns = "id as Id, template_version as TemplateVersion, definition as Definition, enabled as EnabledValue, schedule as Schedule, settings as Settings, watermark as Watermark, updated_at as UpdatedAt";
    private const string RunColumns = "id as Id, flow_id as FlowId, trigger as Trigger, state as State, started_at as StartedAt, finished_at as FinishedAt, read_count as ReadCount, created_count as CreatedCount, updated_count as UpdatedCount, unchanged_count as UnchangedCount, failed_count as FailedCount, watermark_from as WatermarkFrom, watermark_to as WatermarkTo, error as Error";

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
        ?? throw new FlowRefusedException(StatusCodes.Status503ServiceUnavailable, "Flow missing", $"The flow '{id}' is not installed; restart the sidecar to install the standard flows.");

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
    public async Task<FlowRun?> TryStartRunAsync(string flowId, string trigger, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        try
        {
            var id = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                "insert into flow_runs (flow_id, trigger, state, started_at) values (@flowId, @trigger, @state, @now) returning id",
                new { flowId, trigger, state = RunStates.Running, now = time.GetUtcNow() }, cancellationToken: cancellationToken));
            return await GetRunAsync(id, cancellationToken);
        }
        catch (DbException ex) when (IsUniqueViolation(ex))
        {
            return null;
        }
    }

    public async Task UpdateRunAsync(FlowRun run, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("""
            update flow_runs set state = @State, finished_at = @FinishedAt, read_count = @ReadCount, created_count = @CreatedCount,
                updated_count = @UpdatedCount, unchanged_count = @UnchangedCount, failed_count = @FailedCount,
                watermark_from = @WatermarkFrom, watermark_to = @WatermarkTo, error = @Error
            where id = @Id
            """, run, cancellationToken: cancellationToken));
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
                interrupted = RunStates.Interrupted,
                running = RunStates.Running,
                now = time.GetUtcNow(),
                error = "The sidecar stopped during this run; the next run reads again from the last committed watermark.",
                created = RecordActions.Created,
                updated = RecordActions.Updated,
                unchanged = RecordActions.Unchanged,
                failed = RecordActions.Failed,
            },
            cancellationToken: cancellationToken));

        static string LoggedCount(string? action) =>
            $"(select count(*) from flow_run_records r where r.run_id = flow_runs.id{(action is null ? "" : $" and r.action = @{action}")})";
    }

    /// <summary>
    /// The run with its counts taken from the records it logged: what a run that failed part-way had written
    /// (its in-memory counts are lost with the exception that ended it).
    /// </summary>
    public async Task<FlowRun> WithLoggedCountsAsync(FlowRun run, CancellationToken cancellationToken)
    {
        var logged = await ListRunRecordsAsync(run.Id, cancellationToken);
        return logged.Aggregate(run with { ReadCount = 0, CreatedCount = 0, UpdatedCount = 0, UnchangedCount = 0, FailedCount = 0 },
            (counted, record) => counted.Counted(record.Action));
    }

    public async Task<FlowRun?> GetRunAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<FlowRun>(new CommandDefinition($"select {RunColumns} from flow_runs where id = @id", new { id }, cancellationToken: cancellationToken));
    }

    public async Task<IReadOnlyList<FlowRun>> ListRunsAsync(string? flowId, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<FlowRun>(new CommandDefinition(
            $"select {RunColumns} from flow_runs where (@flowId is null or flow_id = @flowId) order by id desc limit @limit",
            new { flowId, limit }, cancellationToken: cancellationToken))).AsList();
    }

    public async Task AddRunRecordAsync(long runId, string sourceKey, string? targetKey, string action, string? error, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "insert into flow_run_records (run_id, source_key, target_key, action, error, at) values (@runId, @sourceKey, @targetKey, @action, @error, @now)",
            new { runId, sourceKey, targetKey, action, error, now = time.GetUtcNow() }, cancellationToken: cancellationToken));
    }

    public async Task<IReadOnlyList<FlowRunRecord>> ListRunRecordsAsync(long runId, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<FlowRunRecord>(new CommandDefinition(
            "select id as Id, run_id as RunId, source_key as SourceKey, target_key as TargetKey, action as Action, error as Error, at as At from flow_run_records where run_id = @runId order by id",
            new { runId }, cancellationToken: cancellationToken))).AsList();
    }

    public async Task<FlowLink?> GetLinkAsync(string flowId, string sourceKey, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<FlowLink>(new CommandDefinition(
            "select flow_id as FlowId, source_key as SourceKey, target_key as TargetKey, fingerprint as Fingerprint, source_values as SourceValues from flow_links where flow_id = @flowId and source_key = @sourceKey",
            new { flowId, sourceKey }, cancellationToken: cancellationToken));
    }

    /// <summary>Records what the flow wrote for a record; <paramref name="values"/> null keeps the values recorded before.</summary>
    public async Task SaveLinkAsync(string flowId, string sourceKey, string targetKey, string fingerprint, System.Text.Json.Nodes.JsonObject? values, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("""
            insert into flow_links (flow_id, source_key, target_key, fingerprint, source_values, updated_at) values (@flowId, @sourceKey, @targetKey, @fingerprint, @sourceValues, @now)
            on conflict (flow_id, source_key) do update set target_key = excluded.target_key, fingerprint = excluded.fingerprint,
                source_values = coalesce(excluded.source_values, flow_links.source_values), updated_at = excluded.updated_at
            """, new { flowId, sourceKey, targetKey, fingerprint, sourceValues = values?.ToJsonString(), now = time.GetUtcNow() }, cancellationToken: cancellationToken));
    }

    private static bool IsUniqueViolation(DbException ex) =>
        ex.SqlState == "23505" || ex.Message.Contains("UNIQUE constraint failed", StringComparison.Ordinal);
}
