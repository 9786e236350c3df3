using System.Globalization;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using Interweave.Sidecar.Creatio;
using Interweave.Sidecar.Intacct;
using Interweave.Sidecar.Storage;

namespace Interweave.Sidecar.Flows.Engine;

/// <summary>
/// Creatio → Intacct for paired records (accounts to customers, products to items): each changed row, mapped, and
/// written onto the Intacct record it is bound to — only the fields whose values differ, never the fields Intacct
/// owns. A row whose mapped values match what this flow last wrote costs no Intacct call; one whose values match
/// what Intacct already holds (our own pull coming back) costs one read and no write.
/// </summary>
public sealed class PushToIntacct(FlowStore flows, FieldMapper mapper, ErrorQueue errors, BindingRepository bindings, ConflictQueue conflicts, ISyncPackage package,
    TimeProvider time, ILogger<PushToIntacct> log) : IFlowRules, ISyncDirection<JsonObject>
{
    /// <summary>Which rows the flow pushes: "linked" (already paired) or "all" (pairs or creates the rest).</summary>
    public static readonly FlowSetting Scope = FlowSetting.OneOf("scope", ["linked", "all"],
        "Use \"linked\" (only records already paired) or \"all\" (pair or create every changed record).");

    public IEnumerable<FlowSetting> Settings => [Scope];

    /// <summary>
    /// One record now, outside any run (the "Sync with Intacct" button): pairs it when it is not yet paired, then
    /// writes what differs. Failures are thrown to the caller, who shows them to the user. A record that goes through
    /// has its open error closed, as the pull's button sync and every run do.
    /// </summary>
    public async Task<(string IntacctId, bool Created)> SyncOneAsync(RunContext run, Guid id, CancellationToken cancellationToken)
    {
        var pair = PairOf(run.Flow);
        var row = await ReadOneAsync(run, id.ToString("D"), cancellationToken)
                  ?? throw new FlowRefusedException(RefusalReason.NotFound, $"{pair.CreatioEntity} not found", $"No {pair.CreatioEntity.ToLowerInvariant()} {id} exists in Creatio.");
        var result = await IncrementalRun.WriteOneAsync(this, run, row, cancellationToken);
        await errors.ResolveAsync(run.Flow.Id, KeyOf(run, row), cancellationToken, run.Creatio);
        return (result.TargetKey, result.Action == RecordAction.Created);
    }

    public IAsyncEnumerable<JsonObject> ReadChangedAsync(RunContext run, DateTimeOffset? since, CancellationToken cancellationToken)
    {
        var flow = run.Flow;
        var pair = PairOf(flow);
        var filter = since is { } from ? CreatioFilter.ModifiedSince(from) : null;
        if (flow.Settings.GetValueOrDefault(Scope.Name) != "all") filter = Both(filter, CreatioFilter.NotEqual(pair.IntacctIdColumn, ""));
        foreach (var condition in flow.Filter)
            filter = Both(filter, condition.Op == FilterOperator.NotEqual ? CreatioFilter.NotEqual(condition.Field, condition.Value) : CreatioFilter.Equal(condition.Field, condition.Value));

        // Paged by Id: rows modified while the run reads join the set but never move in it, so none is skipped.
        return run.Creatio.QueryAllAsync(flow.Source.Object, new CreatioQuery(Filter: filter, Select: SelectFor(flow, pair)), total => run.Expected.Records = total,
            cancellationToken);
    }

    public async Task<JsonObject?> ReadOneAsync(RunContext run, string key, CancellationToken cancellationToken) =>
        Guid.TryParse(key, out var id) ? await run.Creatio.GetAsync(run.Flow.Source.Object, id, SelectFor(run.Flow, PairOf(run.Flow)), cancellationToken: cancellationToken) : null;

    public string GoneMessage(RunContext run) => $"The {run.Flow.Source.Object} no longer exists in Creatio.";

    public string KeyOf(RunContext run, JsonObject row) => (string)row["Id"]!;

    public string LabelOf(RunContext run, JsonObject row) =>
        run.Flow.Source.Label is { } label && FieldMapper.CreatioText(row, label) is { Length: > 0 } text ? text : KeyOf(run, row);

    public DateTimeOffset? ModifiedAt(RunContext run, JsonObject row) =>
        DateTimeOffset.TryParse((string?)row["ModifiedOn"], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var modified) ? modified : null;

    /// <summary>What writing one Creatio row needs, worked out before Intacct is read.</summary>
    private sealed record Plan(int Index, JsonObject Row, string Key, JsonObject Values, string Fingerprint, FlowLink? Previous, string IntacctId, bool Created);

    public async Task<IReadOnlyList<RecordAttempt>> WritePageAsync(RunContext run, IReadOnlyList<JsonObject> page, CancellationToken cancellationToken)
    {
        var (flow, intacct) = (run.Flow, run.Intacct);
        var pair = PairOf(flow);
        var attempts = new RecordAttempt[page.Count];
        var plans = new List<Plan>();
        var keys = page.Select(r => KeyOf(run, r)).ToList();
        var links = await flows.GetLinksAsync(flow.Id, keys, cancellationToken);
        var bound = await bindings.GetManyAsync(pair.Kind, keys, cancellationToken);
        for (var i = 0; i < page.Count; i++)
        {
            try
            {
                var row = page[i];
                var key = keys[i];
                var values = await mapper.MapAsync(flow, row, cancellationToken);
                var fingerprint = FieldMapper.Fingerprint(values);
                var previous = links.GetValueOrDefault(key);
                if (!run.Force && previous?.FailedFingerprint == fingerprint)
                {
                    attempts[i] = RecordAttempt.Done(new RecordHeldAfterFailure(previous.TargetKey));
                    continue;
                }

                var (intacctId, created) = await PairAsync(run, pair, row, bound.GetValueOrDefault(key), cancellationToken);
                if (!run.Force && !created && previous is { FailedFingerprint: null } && previous.Fingerprint == fingerprint && previous.TargetKey == intacctId)
                    attempts[i] = RecordAttempt.Done(new RecordWritten(RecordAction.Unchanged, intacctId, null));
                else plans.Add(new Plan(i, row, key, values, fingerprint, previous, intacctId, created));
            }
            catch (Exception ex) when (RecordFailure.Of(ex) is not null)
            {
                attempts[i] = RecordAttempt.Failed(ex);
            }
        }

        if (plans.Count == 0) return attempts;

        // The Intacct records as they are now, by id (readByName, up to 100 ids a function), so only what differs is written.
        var ids = plans.Select(p => p.IntacctId).Distinct(StringComparer.Ordinal).ToList();
        var chunks = ids.Chunk(MaxNamesPerRead).ToList();
        var reads = await intacct.ExecuteEachAsync(chunks.Select(c => (IntacctFunction)new ReadRecords(pair.IntacctObject, c, ByName: true)).ToList(), cancellationToken);
        var current = new Dictionary<string, XElement>(StringComparer.Ordinal);
        var unreadable = new Dictionary<string, IntacctException>(StringComparer.Ordinal);
        foreach (var (chunk, (result, failure)) in chunks.Zip(reads))
        {
            if (failure is not null) foreach (var id in chunk) unreadable[id] = failure;
            else foreach (var record in result!.Records) current[record.Element(pair.IdField)?.Value ?? ""] = record;
        }

        var updates = new List<(Plan Plan, List<KeyValuePair<string, string>> Changes)>();
        var written = new Dictionary<int, IReadOnlyList<WrittenField>>();
        // What the pull the other way knows of these records: what it last wrote, and the conflicts waiting for a person.
        var pull = await flows.ReversesOfAsync(flow, cancellationToken) is [var reverse, ..] ? reverse : null;
        var mirrors = pull is null ? [] : MirroredField.Of(pull, flow);
        var pullLinks = pull is null ? new Dictionary<string, FlowLink>() : await flows.GetLinksAsync(pull.Id, plans.Select(p => p.IntacctId), cancellationToken);
        var open = pull is null ? new Dictionary<string, HashSet<string>>() : await conflicts.OpenFieldsAsync(pair.Kind, plans.Select(p => p.Key).ToList(), cancellationToken);
        var found = new List<FieldConflict>();
        foreach (var plan in plans)
        {
            if (unreadable.TryGetValue(plan.IntacctId, out var failure))
            {
                attempts[plan.Index] = RecordAttempt.Failed(failure);
                continue;
            }

            if (!current.TryGetValue(plan.IntacctId, out var record))
            {
                attempts[plan.Index] = RecordAttempt.Failed(new MappingException("intacct-record-missing",
                    $"Intacct {pair.IntacctObject} {plan.IntacctId}, linked to this record, no longer exists.",
                    $"If it was deleted on purpose, clear {pair.IntacctIdColumn} on the Creatio record and remove its binding; otherwise restore it in Intacct, then retry."));
                continue;
            }

            // Intacct's own fields are set when the record is made there and left to Intacct's users after that.
            var guard = pull is null ? null : FieldGuard.ForPush(mirrors, plan.Previous, pullLinks.GetValueOrDefault(plan.IntacctId), open.GetValueOrDefault(plan.Key) ?? []);
            var conflicted = new List<FieldMap>();
            var changes = FieldMapper.FieldsToWrite(flow, plan.Values, plan.Previous?.Values(), plan.Created, f => JsonValue.Create(FieldMapper.ValueAt(record, f.Target)),
                    guard, conflicted)
                .Select(f => KeyValuePair.Create(f.Target, (string?)plan.Values[f.Target] ?? "")).ToList();
            found.AddRange(conflicted.Select(f => new FieldConflict(pair.Kind, plan.Key, plan.IntacctId, LabelOf(run, plan.Row),
                mirrors.FirstOrDefault(m => m.Push.Target == f.Target)?.Pull.Target ?? f.Source ?? "", f.Target, pull!.Id, flow.Id, (string?)plan.Values[f.Target],
                FieldMapper.ValueAt(record, f.Target), guard!.Synced.TryGetValue(f.Target, out var synced) ? CreatioValues.Text(synced) : null)));
            updates.Add((plan, changes));
            written[plan.Index] = changes.Select(c => new WrittenField(c.Key, plan.Created ? null : FieldMapper.ValueAt(record, c.Key), c.Value)).ToList();
        }

        await conflicts.RaiseManyAsync(found, cancellationToken);
        var toSend = updates.Where(u => u.Changes.Count > 0).ToList();
        var sent = await intacct.ExecuteEachAsync(toSend.Select(u => (IntacctFunction)new UpdateRecord(
            IntacctRecord.FromPaths(pair.IntacctObject, [KeyValuePair.Create(pair.IdField, u.Plan.IntacctId), .. u.Changes]))).ToList(), cancellationToken);
        var updateFailed = toSend.Zip(sent).Where(s => s.Second.Failure is not null).ToDictionary(s => s.First.Plan.Index, s => s.Second.Failure!);
        // What a refused update carried stays known while its error is open: the reverse pull leaves those fields alone.
        await flows.SaveFailedFieldsAsync(flow.Id, toSend.Where(u => updateFailed.ContainsKey(u.Plan.Index))
            .Select(u => (u.Plan.Key, u.Plan.IntacctId, (IReadOnlyList<string>)u.Changes.Select(c => c.Key).ToList())).ToList(), cancellationToken);

        // The rows that went through show it in Creatio (one $batch), unless they already do.
        var through = new List<(Plan Plan, RecordAction Action)>();
        foreach (var (plan, changes) in updates)
        {
            if (updateFailed.TryGetValue(plan.Index, out var failure))
            {
                attempts[plan.Index] = RecordAttempt.Failed(failure);
                continue;
            }

            if (changes.Count > 0) log.LogDebug("{FlowId}: {Object} {IntacctId} updated ({Fields})", flow.Id, pair.IntacctObject, plan.IntacctId, string.Join(", ", changes.Select(c => c.Key)));
            through.Add((plan, plan.Created ? RecordAction.Created : changes.Count > 0 ? RecordAction.Updated : RecordAction.Unchanged));
        }

        var marks = through.Where(t => t.Action != RecordAction.Unchanged || (string?)t.Plan.Row[package.Status.LastErrorColumn] is { Length: > 0 }).ToList();
        var now = time.GetUtcNow();
        var markFailed = (await run.Creatio.WriteManyAsync(marks.Select(m => new CreatioWrite(pair.CreatioEntity, Guid.Parse(m.Plan.Key), package.Status.Synced(now), Create: false))
            .ToList(), cancellationToken)).Zip(marks).Where(m => m.First is not null).ToDictionary(m => m.Second.Plan.Index, m => m.First!);
        await flows.SaveLinksAsync(flow.Id, through.Select(t => (t.Plan.Key, t.Plan.IntacctId, t.Plan.Fingerprint, t.Plan.Values)).ToList(), cancellationToken);
        foreach (var (plan, action) in through)
        {
            attempts[plan.Index] = markFailed.TryGetValue(plan.Index, out var failure)
                ? RecordAttempt.Failed(failure)
                : RecordAttempt.Done(new RecordWritten(action, plan.IntacctId, null, action == RecordAction.Unchanged ? null : written.GetValueOrDefault(plan.Index)));
        }

        return attempts;
    }

    /// <summary>Ids one readByName takes (the official SDKs' Read.MAX_KEY_COUNT; the simulator refuses more).</summary>
    private const int MaxNamesPerRead = 100;

    /// <summary>
    /// Shows the failure on the Creatio record and remembers the values that failed, so the next run does not try
    /// the same values again (our own status write moves the row's ModifiedOn into the next run's window).
    /// </summary>
    public async Task<Guid?> RecordFailedAsync(RunContext run, JsonObject row, RecordFailure failure, CancellationToken cancellationToken)
    {
        var (flow, pair, key) = (run.Flow, PairOf(run.Flow), KeyOf(run, row));
        try
        {
            var values = await mapper.MapAsync(flow, row, cancellationToken);
            var bound = await bindings.GetAsync(pair.Kind, key, cancellationToken);
            await flows.SaveFailedAsync(flow.Id, key, bound?.IntacctId ?? "", FieldMapper.Fingerprint(values), cancellationToken);
        }
        catch (MappingException)
        {
            // Values that cannot be mapped have no fingerprint; the row is tried again when it next changes.
        }

        if ((string?)row[package.Status.LastErrorColumn] != failure.Message)
            await package.Status.MarkFailedAsync(run.Creatio, pair.CreatioEntity, Guid.Parse(key), failure.Message, log, cancellationToken);
        return pair.CreatioEntity == "Account" ? Guid.Parse(key) : null; // a Case names a Creatio account
    }

    public Task AfterWrittenAsync(RunContext run, IReadOnlyList<WrittenRecord> written, CancellationToken cancellationToken) => Task.CompletedTask;

    private PairedObjects PairOf(FlowDefinition flow) =>
        package.PairFor(flow.Binding) ?? throw new InvalidOperationException($"Flow {flow.Id} pushes to Intacct but names no binding kind it can pair records by.");

    private static CreatioFilter Both(CreatioFilter? left, CreatioFilter right) => left is null ? right : left.And(right);

    /// <summary>The columns the flow reads: its mapping's sources plus what pairing a record needs.</summary>
    private List<string> SelectFor(FlowDefinition flow, PairedObjects pair)
    {
        List<string> columns = ["Id", "ModifiedOn", pair.IntacctIdColumn, package.Status.LastErrorColumn, .. pair.CreateColumns];
        if (flow.Source.Label is { } label) columns.Add(label);
        foreach (var field in flow.Mapping)
            columns.AddRange((field.Sources ?? (field.Source is null ? [] : [field.Source])).Select(s => s.Split('/')[0]));
        return columns.Distinct(StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// The Intacct record the row is paired with: by binding; else the Intacct id the row names, only when that Intacct
    /// record's own key field already names this row (a store that lost its bindings); else found by that key field or
    /// created, once. A row naming an Intacct record that does not name it back is refused as not linked: a Creatio user
    /// can type that id, so it never pairs on its own (security review 2026-12-07, F1).
    /// </summary>
    private async Task<(string IntacctId, bool Created)> PairAsync(RunContext run, PairedObjects pair, JsonObject row, StoredBinding? binding,
        CancellationToken cancellationToken)
    {
        var key = KeyOf(run, row);
        if (binding is { IntacctId: { } bound }) return (bound, false);
        if ((string?)row[pair.IntacctIdColumn] is { Length: > 0 } named)
        {
            var found = await run.Intacct.FindAsync(pair.IntacctObject, pair.IdField, named, ["RECORDNO", pair.IdField, pair.KeyField], cancellationToken)
                        ?? throw new MappingException("intacct-record-missing", $"Intacct {pair.IntacctObject} {named}, named in {pair.IntacctIdColumn}, does not exist.",
                            $"Correct {pair.IntacctIdColumn} on the Creatio record, or clear it (DELETE /api/bindings/{pair.Kind}/{key}) to have the record created in Intacct, then retry.");
            var holder = found.Element(pair.KeyField)?.Value ?? "";
            if (holder.Length == 0) throw NotLinked.Refusal(pair, key, named);
            if (!string.Equals(holder, key, StringComparison.OrdinalIgnoreCase))
                throw new MappingException("linked-elsewhere", $"Intacct {pair.IntacctObject} {named} is linked to another Creatio record ({pair.KeyField} = {holder}).",
                    $"Decide which Creatio record the {pair.IntacctObject.ToLowerInvariant()} belongs to; correct {pair.IntacctIdColumn} on the other one, then retry.");
            await bindings.RecordAsync(pair.Kind, key, named, found.Element("RECORDNO")?.Value, cancellationToken);
            return (named, false);
        }

        return await package.EnsurePartnerAsync(pair, row, run.Creatio, run.Intacct, cancellationToken);
    }
}
