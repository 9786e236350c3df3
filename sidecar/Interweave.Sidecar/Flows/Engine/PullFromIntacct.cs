using System.Text.Json.Nodes;
using System.Xml.Linq;
using Interweave.Sidecar.Creatio;
using Interweave.Sidecar.Intacct;
using Interweave.Sidecar.Storage;

namespace Interweave.Sidecar.Flows.Engine;

/// <summary>
/// Intacct → Creatio: each changed Intacct record, mapped, written with an Id derived from the Intacct key (so a
/// retry or a crash can never make a second record), with a fingerprint that makes a record whose values did not
/// change cost no write. Records that stay paired (a customer and its account) are found through the binding, then
/// through the Creatio Id Intacct holds in its key field, and only then created.
/// </summary>
public sealed class PullFromIntacct(FlowStore flows, FieldMapper mapper, ErrorQueue errors, ConflictQueue conflicts, BindingRepository bindings,
    ISyncPackage package, TimeProvider time, ILogger<PullFromIntacct> log) : IFlowRules, ISyncDirection<XElement>
{
    /// <summary>The setting of a paired pull that says whether an Intacct record nobody linked becomes a new Creatio record.</summary>
    public static readonly FlowSetting CreateInCreatio = FlowSetting.OneOf("createInCreatio", ["true", "false"], "Use \"true\" or \"false\".");

    public IEnumerable<FlowSetting> Settings => [CreateInCreatio];

    /// <summary>The Creatio Id a flow gives the record it makes for an Intacct key: the same on every attempt.</summary>
    public static Guid TargetIdFor(string flowId, string sourceKey) =>
        DeterministicIds.From($"interweave:{flowId}:{sourceKey}");

    /// <summary>
    /// One record now, outside any run (the "Sync with Intacct" button after its push): failures are thrown to the
    /// caller, who shows them to the user. Answers the record's action.
    /// </summary>
    public async Task<RecordAction> SyncOneAsync(RunContext run, string key, CancellationToken cancellationToken)
    {
        var flow = run.Flow;
        var record = await ReadOneAsync(run, key, cancellationToken)
                     ?? throw new FlowRefusedException(RefusalReason.NotFound, $"{flow.Source.Object} not found", $"Intacct has no {flow.Source.Object} {key}.");
        var result = await IncrementalRun.WriteOneAsync(this, run, record, cancellationToken);
        await errors.ResolveAsync(flow.Id, key, cancellationToken, run.Creatio);
        if (result is RecordWritten { Written: { } written }) await AfterWrittenAsync(run, [written], cancellationToken);
        return result.Action;
    }

    public IAsyncEnumerable<XElement> ReadChangedAsync(RunContext run, DateTimeOffset? since, CancellationToken cancellationToken) =>
        run.Intacct.ReadByQueryAsync(run.Flow.Source.Object, Condition(run, since), "*", total => run.Expected.Records = total, cancellationToken);

    /// <summary>How many records a run over this scope reads (what a bulk load counts before it starts).</summary>
    public async Task<int> CountAsync(RunContext run, CancellationToken cancellationToken) =>
        await run.Intacct.CountAsync(run.Flow.Source.Object, Condition(run, since: null), cancellationToken);

    /// <summary>What changed since the watermark, or what lies in the run's scope, among the records the flow's filter lets through.</summary>
    private static ReadByQueryCondition? Condition(RunContext run, DateTimeOffset? since)
    {
        var condition = run.Scope is { DateField: { } field, From: { } from, To: { } to } ? ReadByQueryCondition.Between(field, from, to)
            : since is { } changed ? ReadByQueryCondition.ModifiedSince(changed) : null;
        foreach (var filter in run.Flow.Filter)
        {
            var clause = filter.Op == FilterOperator.NotEqual ? ReadByQueryCondition.NotEqual(filter.Field, filter.Value) : ReadByQueryCondition.Equal(filter.Field, filter.Value);
            condition = condition is null ? clause : condition.And(clause);
        }

        return condition;
    }

    public Task<XElement?> ReadOneAsync(RunContext run, string key, CancellationToken cancellationToken) =>
        run.Intacct.ReadOneAsync(run.Flow.Source.Object, run.Flow.Source.Key!, key, cancellationToken);

    public string GoneMessage(RunContext run) => "The record no longer exists in Intacct.";

    public string KeyOf(RunContext run, XElement record) => FieldMapper.ValueAt(record, run.Flow.Source.Key!) ?? "";

    public string LabelOf(RunContext run, XElement record) =>
        run.Flow.Source.Label is { } label && FieldMapper.ValueAt(record, label) is { Length: > 0 } text ? text : KeyOf(run, record);

    public DateTimeOffset? ModifiedAt(RunContext run, XElement record) =>
        run.Flow.Source.ModifiedField is { } field && FieldMapper.ValueAt(record, field) is { Length: > 0 } modified ? IntacctDates.ParseDateTime(modified) : null;

    /// <summary>What writing one Intacct record needs, worked out before anything is written.</summary>
    private sealed record Plan(int Index, XElement Record, string Key, JsonObject Values, string Fingerprint, FlowLink? Link, Guid TargetId, PairedObjects? Pair)
    {
        public string Target => TargetId.ToString("D");
    }

    public async Task<IReadOnlyList<RecordAttempt>> WritePageAsync(RunContext run, IReadOnlyList<XElement> page, CancellationToken cancellationToken)
    {
        var (flow, creatio) = (run.Flow, run.Creatio);
        await AttachLinesAsync(run, page, cancellationToken);
        var attempts = new RecordAttempt[page.Count];
        var plans = new List<Plan>();
        var pair = package.PairFor(flow.Binding);
        var keys = page.Select(r => KeyOf(run, r)).ToList();
        var links = await flows.GetLinksAsync(flow.Id, keys, cancellationToken);
        var bound = pair is null ? new Dictionary<string, StoredBinding>() : await bindings.FindManyByIntacctIdAsync(pair.Kind, keys, cancellationToken);
        for (var i = 0; i < page.Count; i++)
        {
            try
            {
                var plan = await PlanAsync(run, i, page[i], links.GetValueOrDefault(keys[i]), bound.GetValueOrDefault(keys[i]), cancellationToken);
                if (plan.Link?.Fingerprint == plan.Fingerprint && Guid.TryParse(plan.Link.TargetKey, out var linked) && linked == plan.TargetId)
                    attempts[i] = RecordAttempt.Done(new RecordWritten(RecordAction.Unchanged, plan.Target, null));
                else if (plans.FirstOrDefault(p => p.TargetId == plan.TargetId) is { } first)
                    throw new MappingException("linked-elsewhere", $"Intacct {flow.Source.Object} {plan.Key} and {first.Key} both name {flow.Target.Object} {plan.TargetId}.",
                        $"Two Intacct records name the same Creatio record. Clear the key field on the one that does not belong to it, then retry.");
                else plans.Add(plan);
            }
            catch (Exception ex) when (RecordFailure.Of(ex) is not null)
            {
                attempts[i] = RecordAttempt.Failed(ex);
            }
        }

        if (plans.Count == 0) return attempts;

        // The targets as Creatio holds them now, then the creates and updates: a $batch each per hundred records.
        var status = package.Status;
        IReadOnlyList<string> select = ["Id", .. flow.Binding is null ? [] : new[] { status.LastErrorColumn }, .. flow.Mapping.Select(m => m.Target)];
        var existing = await creatio.GetManyAsync(flow.Target.Object, plans.Select(p => p.TargetId).ToList(), select.Distinct().ToList(), cancellationToken);
        var writes = new List<(Plan Plan, CreatioWrite Write, RecordAction Action)>();
        var through = new List<(Plan Plan, RecordAction Action)>();
        var now = time.GetUtcNow();
        var changes = new Dictionary<int, IReadOnlyList<WrittenField>>();
        // What the push the other way knows of these records: what it last wrote, what it still carries, conflicts.
        var targets = plans.Select(p => p.Target).ToList();
        var push = pair is not null && await flows.ReversesOfAsync(flow, cancellationToken) is [var reverse, ..] ? reverse : null;
        var mirrors = push is null ? [] : MirroredField.Of(flow, push);
        var held = push is null ? new Dictionary<string, HashSet<string>>() : await HeldColumnsAsync(push, targets, cancellationToken);
        var pushLinks = push is null ? new Dictionary<string, FlowLink>() : await flows.GetLinksAsync(push.Id, targets, cancellationToken);
        var open = push is null ? new Dictionary<string, HashSet<string>>() : await conflicts.OpenFieldsAsync(flow.Binding!, targets, cancellationToken);
        var found = new List<FieldConflict>();
        foreach (var (plan, (row, failure)) in plans.Zip(existing))
        {
            if (failure is not null)
            {
                attempts[plan.Index] = RecordAttempt.Failed(failure);
                continue;
            }

            if (row is null)
            {
                var create = (JsonObject)plan.Values.DeepClone();
                changes[plan.Index] = plan.Values.Select(v => new WrittenField(v.Key, null, CreatioValues.Text(v.Value))).ToList();
                if (plan.Pair is not null) foreach (var (name, value) in status.Synced(now)) create[name] = value?.DeepClone();
                writes.Add((plan, new CreatioWrite(flow.Target.Object, plan.TargetId, create, Create: true), RecordAction.Created));
                continue;
            }

            // Fields Creatio owns are left to Creatio's users once the record exists; fields that already hold the
            // value (our own push coming back) are not written again.
            var update = new JsonObject();
            var guard = push is null ? null
                : FieldGuard.ForPull(mirrors, plan.Link, pushLinks.GetValueOrDefault(plan.Target), held.GetValueOrDefault(plan.Target) ?? [], open.GetValueOrDefault(plan.Target) ?? []);
            var conflicted = new List<FieldMap>();
            foreach (var field in FieldMapper.FieldsToWrite(flow, plan.Values, plan.Link?.Values(), justCreated: false, f => row[f.Target], guard, conflicted))
                update[field.Target] = plan.Values[field.Target]?.DeepClone();
            found.AddRange(conflicted.Select(f => new FieldConflict(flow.Binding!, plan.Target, plan.Key, LabelOf(run, plan.Record), f.Target, f.Source ?? "", flow.Id, push!.Id,
                CreatioValues.Text(row[f.Target]), CreatioValues.Text(plan.Values[f.Target]), guard!.Synced.TryGetValue(f.Target, out var synced) ? CreatioValues.Text(synced) : null)));
            changes[plan.Index] = update.Select(u => new WrittenField(u.Key, CreatioValues.Text(row[u.Key]), CreatioValues.Text(u.Value))).ToList();
            var action = update.Count > 0 ? RecordAction.Updated : RecordAction.Unchanged;
            // A record that shows an earlier failure is marked synced again even when no field changed.
            if (plan.Pair is not null && (update.Count > 0 || (string?)row[status.LastErrorColumn] is { Length: > 0 }))
                foreach (var (name, value) in status.Synced(now)) update[name] = value?.DeepClone();
            if (update.Count > 0) writes.Add((plan, new CreatioWrite(flow.Target.Object, plan.TargetId, update, Create: false), action));
            else through.Add((plan, action));
        }

        await conflicts.RaiseManyAsync(found, cancellationToken);
        var refused = await creatio.WriteManyAsync(writes.Select(w => w.Write).ToList(), cancellationToken);
        foreach (var ((plan, _, action), failure) in writes.Zip(refused))
        {
            if (failure is null) through.Add((plan, action));
            else attempts[plan.Index] = RecordAttempt.Failed(failure);
        }

        // Paired records: the Creatio Id into the Intacct record's key field (ACCOUNTID, PRODUCTID), many to a request.
        var keyWrites = through.Where(t => t.Plan.Pair is { } pair && !(Guid.TryParse(FieldMapper.ValueAt(t.Plan.Record, pair.KeyField), out var named) && named == t.Plan.TargetId))
            .ToList();
        var keyOutcomes = await run.Intacct.ExecuteEachAsync(keyWrites.Select(t => (IntacctFunction)new UpdateRecord(
            new IntacctRecord(t.Plan.Pair!.IntacctObject).Set(t.Plan.Pair.IdField, t.Plan.Key).Set(t.Plan.Pair.KeyField, t.Plan.Target))).ToList(), cancellationToken);
        var keyFailed = keyWrites.Zip(keyOutcomes).Where(k => k.Second.Failure is not null).ToDictionary(k => k.First.Plan.Index, k => k.Second.Failure!);

        var done = new List<(Plan Plan, RecordAction Action)>();
        foreach (var (plan, action) in through.OrderBy(t => t.Plan.Index))
        {
            if (keyFailed.TryGetValue(plan.Index, out var failure)) attempts[plan.Index] = RecordAttempt.Failed(failure);
            else done.Add((plan, action));
        }

        // The page's bindings and links, each in one transaction.
        if (pair is not null)
        {
            var current = await bindings.GetManyAsync(pair.Kind, done.Select(d => d.Plan.Target), cancellationToken);
            await bindings.RecordManyAsync(pair.Kind, done
                .Where(d => !(current.TryGetValue(d.Plan.Target, out var binding) && binding.IntacctId == d.Plan.Key))
                .Select(d => (d.Plan.Target, d.Plan.Key, FieldMapper.ValueAt(d.Plan.Record, "RECORDNO"))).ToList(), cancellationToken);
        }

        await flows.SaveLinksAsync(flow.Id, done.Select(d => (d.Plan.Key, d.Plan.Target, d.Plan.Fingerprint, d.Plan.Values)).ToList(), cancellationToken);
        foreach (var (plan, action) in done)
            attempts[plan.Index] = RecordAttempt.Done(new RecordWritten(action, plan.Target, action == RecordAction.Unchanged ? null : new WrittenRecord(plan.Target, plan.Values),
                changes.GetValueOrDefault(plan.Index)));
        return attempts;
    }

    /// <summary>Header keys per readByQuery on the line object: an IN list of this many keeps each request small.</summary>
    private const int LineKeysPerQuery = 100;

    /// <summary>
    /// Nests each record's owned lines (a payment's details) as a read of its key would, for flows whose source names
    /// them: readByQuery gives a record's own fields only, so the lines are read from the line object by their header
    /// key, a hundred headers to a query, and placed under the source's element, one lower-case member per line.
    /// </summary>
    private static async Task AttachLinesAsync(RunContext run, IReadOnlyList<XElement> page, CancellationToken cancellationToken)
    {
        if (run.Flow.Source.Lines is not { } lines || page.Count == 0) return;
        var keyField = run.Flow.Source.Key!;
        var byKey = new Dictionary<string, List<XElement>>(StringComparer.Ordinal);
        foreach (var record in page)
            if (FieldMapper.ValueAt(record, keyField) is { Length: > 0 } key) byKey.TryAdd(key, []);
        foreach (var chunk in byKey.Keys.Chunk(LineKeysPerQuery))
            await foreach (var line in run.Intacct.ReadByQueryAsync(lines.Object, ReadByQueryCondition.In(lines.ParentKey, chunk), "*", cancellationToken: cancellationToken))
                if (FieldMapper.ValueAt(line, lines.ParentKey) is { } parent && byKey.TryGetValue(parent, out var found)) found.Add(line);
        var member = lines.Object.ToLowerInvariant();
        foreach (var record in page)
        {
            record.Elements().Where(e => string.Equals(e.Name.LocalName, lines.Element, StringComparison.OrdinalIgnoreCase)).Remove();
            var owned = FieldMapper.ValueAt(record, keyField) is { } key && byKey.TryGetValue(key, out var found) ? found : [];
            record.Add(new XElement(lines.Element, owned.Select(l => new XElement(member, l.Elements()))));
        }
    }

    /// <summary>
    /// The Creatio columns a refused push carried, for each of these records whose push error is still open: the
    /// pull leaves them alone, so the edit waiting for its retry is not overwritten by Intacct's older value.
    /// </summary>
    private async Task<Dictionary<string, HashSet<string>>> HeldColumnsAsync(FlowDefinition push, IReadOnlyList<string> targets, CancellationToken cancellationToken)
    {
        var held = new Dictionary<string, HashSet<string>>(StringComparer.OrdinalIgnoreCase);
        var open = await errors.OpenKeysAsync(push.Id, targets, cancellationToken);
        if (open.Count == 0) return held;
        foreach (var (key, link) in await flows.GetLinksAsync(push.Id, open, cancellationToken))
        {
            var carried = link.CarriedFields();
            if (carried.Count == 0) continue;
            if (!held.TryGetValue(key, out var columns)) held[key] = columns = new HashSet<string>(StringComparer.Ordinal);
            foreach (var field in push.Mapping.Where(m => carried.Contains(m.Target)))
                columns.UnionWith((field.Sources ?? (field.Source is null ? [] : [field.Source])).Select(s => s.Split('/')[0]));
        }

        return held;
    }

    /// <summary>Maps one record and finds the Creatio record it goes to; reads nothing from Creatio unless the record names one.</summary>
    private async Task<Plan> PlanAsync(RunContext run, int index, XElement record, FlowLink? link, StoredBinding? bound, CancellationToken cancellationToken)
    {
        var flow = run.Flow;
        var key = KeyOf(run, record);
        var pair = package.PairFor(flow.Binding);
        var values = await mapper.MapAsync(flow, record, (kind, intacctId) => LinkByKeyFieldAsync(kind, intacctId, run.Creatio, run.Intacct, cancellationToken), run.Lookups,
            cancellationToken);
        var targetId = pair is not null ? await PairedTargetAsync(run, pair, record, key, bound, cancellationToken)
            : link is not null ? Guid.Parse(link.TargetKey) : TargetIdFor(flow.Id, key);
        return new Plan(index, record, key, values, FieldMapper.Fingerprint(values), link, targetId, pair);
    }

    public async Task<Guid?> RecordFailedAsync(RunContext run, XElement record, RecordFailure failure, CancellationToken cancellationToken)
    {
        var flow = run.Flow;
        if (package.PairFor(flow.Binding) is not { } pair) return await AccountOfAsync(flow, record, cancellationToken);

        var target = await ExistingTargetAsync(run, pair, record, cancellationToken);
        if (target is not { } id) return null;
        await package.Status.MarkFailedAsync(run.Creatio, pair.CreatioEntity, id, failure.Message, log, cancellationToken);
        return pair.CreatioEntity == "Account" ? id : null; // a Case names a Creatio account
    }

    public async Task AfterWrittenAsync(RunContext run, IReadOnlyList<WrittenRecord> written, CancellationToken cancellationToken)
    {
        if (run.Flow.RollUp is not { } rollUp || written.Count == 0) return;
        if (!await package.RollUpAsync(rollUp, written, run.Creatio, cancellationToken))
            log.LogWarning("{FlowId} names the roll-up {RollUp}, which this sidecar does not know; it was skipped", run.Flow.Id, rollUp);
    }

    /// <summary>
    /// The Creatio record an Intacct record pairs with: by binding; else the Creatio Id the record holds in its key
    /// field (ACCOUNTID, PRODUCTID) when that record exists; else a new record's Id, derived from the Intacct id so
    /// that a crash between the create and the binding can never make a second one.
    /// </summary>
    private async Task<Guid> PairedTargetAsync(RunContext run, PairedObjects pair, XElement record, string key, StoredBinding? bound, CancellationToken cancellationToken)
    {
        if (bound is not null) return Guid.Parse(bound.CreatioId);
        var named = FieldMapper.ValueAt(record, pair.KeyField);
        var entity = pair.CreatioEntity.ToLowerInvariant();
        if (Guid.TryParse(named, out var creatioId) && creatioId != Guid.Empty)
        {
            if (await run.Creatio.GetAsync(pair.CreatioEntity, creatioId, ["Id"], cancellationToken: cancellationToken) is null)
                throw new MappingException("creatio-record-missing",
                    $"Intacct {pair.IntacctObject} {key} names {pair.CreatioEntity} {creatioId} in {pair.KeyField}, which does not exist in Creatio.",
                    $"If the {entity} was deleted on purpose, clear {pair.KeyField} on the Intacct record to have a new one made; otherwise correct it, then retry.");
            if (await bindings.GetAsync(pair.Kind, creatioId.ToString("D"), cancellationToken) is { IntacctId: { } other } && !string.Equals(other, key, StringComparison.Ordinal))
                throw new MappingException("linked-elsewhere", $"{pair.CreatioEntity} {creatioId} is linked to Intacct {pair.IntacctObject} {other}; {key} names it too.",
                    $"Two Intacct records name the same {entity}. Clear {pair.KeyField} on the one that does not belong to it, then retry.");
            return creatioId;
        }

        if (run.Flow.Settings.GetValueOrDefault(CreateInCreatio.Name) == "false")
            throw new MappingException("not-linked", $"Intacct {pair.IntacctObject} {key} is not linked to a Creatio {entity}, and this flow does not create them.",
                $"Use Sync with Intacct on the {entity}, set {pair.KeyField} in Intacct to its Id, or turn on the flow's {CreateInCreatio.Name} setting.");
        return TargetIdFor(run.Flow.Id, key);
    }

    /// <summary>
    /// The Creatio record a failed Intacct record concerns, when it exists: the bound one, the one its key field
    /// names, or the one an earlier attempt made. Null when none exists or Creatio cannot say now.
    /// </summary>
    private async Task<Guid?> ExistingTargetAsync(RunContext run, PairedObjects pair, XElement record, CancellationToken cancellationToken)
    {
        var key = KeyOf(run, record);
        if (await bindings.FindByIntacctIdAsync(pair.Kind, key, cancellationToken) is { } bound) return Guid.Parse(bound.CreatioId);
        var candidate = Guid.TryParse(FieldMapper.ValueAt(record, pair.KeyField), out var named) && named != Guid.Empty ? named : TargetIdFor(run.Flow.Id, key);
        try
        {
            return await run.Creatio.GetAsync(pair.CreatioEntity, candidate, ["Id"], cancellationToken: cancellationToken) is null ? null : candidate;
        }
        catch (CreatioException ex)
        {
            log.LogWarning(ex, "Could not tell whether {Entity} {Id} exists to show its failure", pair.CreatioEntity, candidate);
            return null;
        }
    }

    /// <summary>The account a pulled document belongs to, from its account field as the bindings know it; null when that cannot be said.</summary>
    private async Task<Guid?> AccountOfAsync(FlowDefinition flow, XElement record, CancellationToken cancellationToken)
    {
        if (flow.Mapping.FirstOrDefault(m => m.Target == package.AccountColumn) is not { } field) return null;
        try
        {
            // Store lookups only (no remote call): the failure path must not fail again.
            var values = await mapper.MapAsync(flow with { Mapping = [field with { Required = false }] }, record, null, null, cancellationToken);
            return Guid.TryParse((string?)values[field.Target], out var id) && id != Guid.Empty ? id : null;
        }
        catch (MappingException)
        {
            return null;
        }
    }

    /// <summary>
    /// The binding key written in Intacct (CUSTOMER.ACCOUNTID, ITEM.PRODUCTID) names the Creatio record: when that
    /// record exists, the binding is recorded so the next lookup needs no Intacct call.
    /// </summary>
    private async Task<string?> LinkByKeyFieldAsync(string kind, string intacctId, CreatioConnection creatio, IntacctConnection intacct, CancellationToken cancellationToken)
    {
        if (package.PairFor(kind) is not { } pair) return null;
        var found = await intacct.FindAsync(pair.IntacctObject, pair.IdField, intacctId, ["RECORDNO", pair.IdField, pair.KeyField], cancellationToken);
        if (!Guid.TryParse(found?.Element(pair.KeyField)?.Value, out var creatioId)) return null;
        if (await creatio.GetAsync(pair.CreatioEntity, creatioId, ["Id"], cancellationToken: cancellationToken) is null) return null;
        // A record already bound to another Intacct record keeps that binding; this record still names it.
        if (await bindings.GetAsync(kind, creatioId.ToString("D"), cancellationToken) is not null) return creatioId.ToString("D");
        await bindings.RecordAsync(kind, creatioId.ToString("D"), intacctId, found!.Element("RECORDNO")?.Value, cancellationToken);
        log.LogInformation("Linked {Entity} {CreatioId} to Intacct {Object} {IntacctId} by its {KeyField}", pair.CreatioEntity, creatioId, pair.IntacctObject, intacctId,
            pair.KeyField);
        return creatioId.ToString("D");
    }
}
