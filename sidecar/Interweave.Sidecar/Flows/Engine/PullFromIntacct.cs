using System.Text.Json.Nodes;
using System.Xml.Linq;
using Interweave.Sidecar.Creatio;
using Interweave.Sidecar.Intacct;
using Interweave.Sidecar.Storage;
using Microsoft.Extensions.Options;

namespace Interweave.Sidecar.Flows.Engine;

/// <summary>
/// An incremental pull from Intacct into Creatio: the records modified since the watermark (less the overlap),
/// mapped, written with an Id derived from the Intacct key (so a retry or a crash can never make a second
/// record), with a fingerprint that makes a record whose values did not change cost no write.
/// The watermark moves only at the end of a run that read everything, and never past the run's start.
/// </summary>
public sealed class PullFromIntacct(FlowStore flows, FieldMapper mapper, ErrorQueue errors, FlowConnections connections, BindingRepository bindings,
    TimeProvider time, IOptions<FlowOptions> options, ILogger<PullFromIntacct> log)
{
    public async Task<FlowRun> ExecuteAsync(StoredFlow stored, FlowRun run, CancellationToken cancellationToken)
    {
        var flow = stored.Effective();
        var (creatio, intacct) = await connections.ConnectAsync(cancellationToken);
        var startedAt = time.GetUtcNow();
        var from = stored.Watermark - options.Value.WatermarkOverlap;
        run = run with { WatermarkFrom = from };

        var condition = from is { } since ? ReadByQueryCondition.ModifiedSince(since) : null;
        foreach (var filter in flow.Filter)
        {
            var clause = filter.Op == "notEquals" ? ReadByQueryCondition.NotEqual(filter.Field, filter.Value) : ReadByQueryCondition.Equal(filter.Field, filter.Value);
            condition = condition is null ? clause : condition.And(clause);
        }

        var written = new List<WrittenRecord>();
        DateTimeOffset? newest = null;
        await foreach (var record in intacct.ReadByQueryAsync(flow.Source.Object, condition, "*", cancellationToken))
        {
            var outcome = await ProcessAsync(flow, record, creatio, intacct, run.Id, cancellationToken);
            run = run.Counted(outcome.Action);
            if (outcome.Written is { } w) written.Add(w);
            if (flow.Source.ModifiedField is { } field && FieldMapper.ValueAt(record, field) is { Length: > 0 } modified)
            {
                var at = IntacctDates.ParseDateTime(modified);
                if (newest is null || at > newest) newest = at;
            }

            if (run.ReadCount % 50 == 0) await flows.UpdateRunAsync(run, cancellationToken); // progress for GET /api/runs/{id}
        }

        await RollUpAsync(flow, written, creatio, cancellationToken);

        // Nothing modified after the run started can be behind the new watermark.
        var watermark = newest is { } n ? (n < startedAt ? n : startedAt) : stored.Watermark;
        if (watermark is { } mark && mark != stored.Watermark) await flows.SetWatermarkAsync(flow.Id, mark, cancellationToken);
        return run with { WatermarkTo = watermark };
    }

    /// <summary>One record by its key, outside the schedule: what the error queue's retry runs.</summary>
    public async Task<string> RetryOneAsync(StoredFlow stored, FlowRun run, string key, CancellationToken cancellationToken)
    {
        var flow = stored.Effective();
        var (creatio, intacct) = await connections.ConnectAsync(cancellationToken);
        var record = await intacct.ReadOneAsync(flow.Source.Object, flow.Source.Key!, key, cancellationToken);
        if (record is null)
        {
            await flows.AddRunRecordAsync(run.Id, key, null, RecordActions.Failed, "The record no longer exists in Intacct.", cancellationToken);
            return RecordActions.Failed;
        }

        var outcome = await ProcessAsync(flow, record, creatio, intacct, run.Id, cancellationToken);
        if (outcome.Written is { } written) await RollUpAsync(flow, [written], creatio, cancellationToken);
        return outcome.Action;
    }

    /// <summary>The Creatio Id a flow gives the record it makes for an Intacct key: the same on every attempt.</summary>
    public static Guid TargetIdFor(string flowId, string sourceKey) =>
        DeterministicIds.From($"interweave:{flowId}:{sourceKey}");

    private sealed record WrittenRecord(Guid TargetId, JsonObject Values);

    private sealed record Outcome(string Action, WrittenRecord? Written);

    /// <summary>What one record's write got to before it failed: the Case and the status mark need it.</summary>
    private sealed class Attempt
    {
        public JsonObject? Values { get; set; }
        public Guid? TargetId { get; set; }
        public bool TargetExists { get; set; }
    }

    /// <summary>
    /// One record now, outside any run (the "Sync with Intacct" button after its push): failures are thrown to the
    /// caller, who shows them to the user. Answers the record's action.
    /// </summary>
    public async Task<string> SyncOneAsync(FlowDefinition flow, string key, CreatioConnection creatio, IntacctConnection intacct, CancellationToken cancellationToken)
    {
        var record = await intacct.ReadOneAsync(flow.Source.Object, flow.Source.Key!, key, cancellationToken)
                     ?? throw new FlowRefusedException(StatusCodes.Status404NotFound, $"{flow.Source.Object} not found", $"Intacct has no {flow.Source.Object} {key}.");
        var attempt = new Attempt();
        var action = await WriteRecordAsync(flow, record, key, attempt, creatio, intacct, cancellationToken);
        await errors.ResolveAsync(flow.Id, key, cancellationToken);
        if (action != RecordActions.Unchanged) await RollUpAsync(flow, [new WrittenRecord(attempt.TargetId!.Value, attempt.Values!)], creatio, cancellationToken);
        return action;
    }

    private async Task<Outcome> ProcessAsync(FlowDefinition flow, XElement record, CreatioConnection creatio, IntacctConnection intacct, long runId, CancellationToken cancellationToken)
    {
        var key = FieldMapper.ValueAt(record, flow.Source.Key!) ?? "";
        var label = flow.Source.Label is { } l && FieldMapper.ValueAt(record, l) is { Length: > 0 } text ? text : key;
        var pair = PairedObjects.For(flow.Binding);
        var attempt = new Attempt();
        try
        {
            var action = await WriteRecordAsync(flow, record, key, attempt, creatio, intacct, cancellationToken);
            await errors.ResolveAsync(flow.Id, key, cancellationToken);
            await flows.AddRunRecordAsync(runId, key, attempt.TargetId!.Value.ToString("D"), action, null, cancellationToken);
            return new Outcome(action, action == RecordActions.Unchanged ? null : new WrittenRecord(attempt.TargetId.Value, attempt.Values!));
        }
        catch (MappingException ex)
        {
            return await FailAsync(new RecordFailure(ex.Kind, "Interweave", ex.Message, Hint: ex.Hint));
        }
        catch (CreatioException ex) when (ex.Failure is RemoteFailure.Rejected or RemoteFailure.NotFound or RemoteFailure.Conflict)
        {
            return await FailAsync(RecordFailure.From(ex));
        }
        catch (IntacctException ex) when (ex.Failure is RemoteFailure.Rejected or RemoteFailure.Conflict)
        {
            return await FailAsync(RecordFailure.From(ex));
        }

        async Task<Outcome> FailAsync(RecordFailure failure)
        {
            Guid? account = pair == PairedObjects.AccountCustomer && attempt.TargetExists ? attempt.TargetId
                : attempt.Values?["UsrAccountId"] is { } a && Guid.TryParse((string?)a, out var id) && id != Guid.Empty ? id : null;
            var error = await errors.RaiseAsync(flow.Id, key, $"{flow.Source.Object} {label}", account, failure, creatio, cancellationToken);
            await flows.AddRunRecordAsync(runId, key, null, RecordActions.Failed, failure.Message, cancellationToken);
            if (pair is not null && attempt.TargetExists && attempt.TargetId is { } target)
                await SyncStatusValues.MarkFailedAsync(creatio, pair.CreatioEntity, target, failure.Message, log, cancellationToken);

            log.LogInformation("{FlowId}: record {Key} failed and is queued as error {ErrorId}", flow.Id, key, error.Id);
            return new Outcome(RecordActions.Failed, null);
        }
    }

    /// <summary>Maps and writes one record; throws what stops it.</summary>
    private async Task<string> WriteRecordAsync(FlowDefinition flow, XElement record, string key, Attempt attempt, CreatioConnection creatio, IntacctConnection intacct, CancellationToken cancellationToken)
    {
        var pair = PairedObjects.For(flow.Binding);
        var values = attempt.Values = await mapper.MapAsync(flow, record, (kind, intacctId) => LinkByKeyFieldAsync(kind, intacctId, creatio, intacct, cancellationToken), creatio, cancellationToken);
        var fingerprint = FieldMapper.Fingerprint(values);
        var link = await flows.GetLinkAsync(flow.Id, key, cancellationToken);
        var targetId = pair is not null ? await PairedTargetAsync(flow, pair, record, key, creatio, cancellationToken)
            : link is not null ? Guid.Parse(link.TargetKey) : TargetIdFor(flow.Id, key);
        attempt.TargetId = targetId;
        if (link?.Fingerprint == fingerprint && Guid.TryParse(link.TargetKey, out var linked) && linked == targetId)
        {
            attempt.TargetExists = true;
            return RecordActions.Unchanged;
        }

        string action;
        IReadOnlyList<string> select = pair is null ? ["Id", .. flow.Mapping.Select(m => m.Target)] : ["Id", "UsrIntacctLastSyncError", .. flow.Mapping.Select(m => m.Target)];
        var existing = await creatio.GetAsync(flow.Target.Object, targetId, select, cancellationToken: cancellationToken);
        if (existing is null)
        {
            var create = (JsonObject)values.DeepClone();
            create["Id"] = targetId.ToString("D");
            if (pair is not null) foreach (var (name, value) in SyncStatusValues.Synced(time.GetUtcNow())) create[name] = value?.DeepClone();
            await creatio.CreateAsync(flow.Target.Object, create, cancellationToken);
            action = RecordActions.Created;
        }
        else
        {
            // Fields Creatio owns are left to Creatio's users once the record exists; fields that already hold the
            // value (our own push coming back) are not written again.
            var update = new JsonObject();
            foreach (var field in FieldMapper.FieldsToWrite(flow, values, link?.Values(), justCreated: false, f => existing[f.Target]))
                update[field.Target] = values[field.Target]?.DeepClone();
            action = update.Count > 0 ? RecordActions.Updated : RecordActions.Unchanged;
            // A record that shows an earlier failure is marked synced again even when no field changed.
            if (pair is not null && (update.Count > 0 || (string?)existing["UsrIntacctLastSyncError"] is { Length: > 0 }))
                foreach (var (name, value) in SyncStatusValues.Synced(time.GetUtcNow())) update[name] = value?.DeepClone();
            if (update.Count > 0) await creatio.UpdateAsync(flow.Target.Object, targetId, update, cancellationToken);
        }

        attempt.TargetExists = true;
        if (pair is not null) await CompletePairAsync(pair, record, key, targetId, intacct, cancellationToken);
        await flows.SaveLinkAsync(flow.Id, key, targetId.ToString("D"), fingerprint, values, cancellationToken);
        return action;
    }

    /// <summary>
    /// The Creatio record an Intacct record pairs with: by binding; else the Creatio Id the record holds in its key
    /// field (ACCOUNTID, PRODUCTID) when that record exists; else a new record's Id, derived from the Intacct id so
    /// that a crash between the create and the binding can never make a second one.
    /// </summary>
    private async Task<Guid> PairedTargetAsync(FlowDefinition flow, PairedObjects pair, XElement record, string key, CreatioConnection creatio, CancellationToken cancellationToken)
    {
        if (await bindings.FindByIntacctIdAsync(pair.Kind, key, cancellationToken) is { } bound) return Guid.Parse(bound.CreatioId);
        var named = FieldMapper.ValueAt(record, pair.KeyField);
        if (Guid.TryParse(named, out var creatioId) && creatioId != Guid.Empty)
        {
            if (await creatio.GetAsync(pair.CreatioEntity, creatioId, ["Id"], cancellationToken: cancellationToken) is null)
                throw new MappingException("creatio-record-missing", $"Intacct {pair.IntacctObject} {key} names {pair.CreatioEntity} {creatioId} in {pair.KeyField}, which does not exist in Creatio.",
                    $"If the {pair.CreatioEntity.ToLowerInvariant()} was deleted on purpose, clear {pair.KeyField} on the Intacct record to have a new one made; otherwise correct it, then retry.");
            if (await bindings.GetAsync(pair.Kind, creatioId.ToString("D"), cancellationToken) is { IntacctId: { } other } && !string.Equals(other, key, StringComparison.Ordinal))
                throw new MappingException("linked-elsewhere", $"{pair.CreatioEntity} {creatioId} is linked to Intacct {pair.IntacctObject} {other}; {key} names it too.",
                    $"Two Intacct records name the same {pair.CreatioEntity.ToLowerInvariant()}. Clear {pair.KeyField} on the one that does not belong to it, then retry.");
            return creatioId;
        }

        if (flow.Settings.GetValueOrDefault(CreateInCreatioSetting) == "false")
            throw new MappingException("not-linked", $"Intacct {pair.IntacctObject} {key} is not linked to a Creatio {pair.CreatioEntity.ToLowerInvariant()}, and this flow does not create them.",
                $"Use Sync with Intacct on the {pair.CreatioEntity.ToLowerInvariant()}, set {pair.KeyField} in Intacct to its Id, or turn on the flow's {CreateInCreatioSetting} setting.");
        return TargetIdFor(flow.Id, key);
    }

    /// <summary>The setting of a paired pull that says whether an Intacct record nobody linked becomes a new Creatio record.</summary>
    public const string CreateInCreatioSetting = "createInCreatio";

    /// <summary>Writes the Creatio Id into the Intacct record's key field when it does not hold it yet, and records the binding.</summary>
    private async Task CompletePairAsync(PairedObjects pair, XElement record, string key, Guid targetId, IntacctConnection intacct, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(FieldMapper.ValueAt(record, pair.KeyField), out var named) || named != targetId)
            await intacct.UpdateAsync(new IntacctRecord(pair.IntacctObject).Set(pair.IdField, key).Set(pair.KeyField, targetId.ToString("D")), cancellationToken);
        if (await bindings.GetAsync(pair.Kind, targetId.ToString("D"), cancellationToken) is not { IntacctId: { } bound } || bound != key)
            await bindings.RecordAsync(pair.Kind, targetId.ToString("D"), key, FieldMapper.ValueAt(record, "RECORDNO"), cancellationToken);
    }

    /// <summary>
    /// The binding key written in Intacct (CUSTOMER.ACCOUNTID, ITEM.PRODUCTID) names the Creatio record: when that
    /// record exists, the binding is recorded so the next lookup needs no Intacct call.
    /// </summary>
    private async Task<string?> LinkByKeyFieldAsync(string kind, string intacctId, CreatioConnection creatio, IntacctConnection intacct, CancellationToken cancellationToken)
    {
        if (PairedObjects.For(kind) is not { } pair) return null;
        var found = await intacct.FindAsync(pair.IntacctObject, pair.IdField, intacctId, ["RECORDNO", pair.IdField, pair.KeyField], cancellationToken);
        if (!Guid.TryParse(found?.Element(pair.KeyField)?.Value, out var creatioId)) return null;
        if (await creatio.GetAsync(pair.CreatioEntity, creatioId, ["Id"], cancellationToken: cancellationToken) is null) return null;
        // A record already bound to another Intacct record keeps that binding; this record still names it.
        if (await bindings.GetAsync(kind, creatioId.ToString("D"), cancellationToken) is not null) return creatioId.ToString("D");
        await bindings.RecordAsync(kind, creatioId.ToString("D"), intacctId, found!.Element("RECORDNO")?.Value, cancellationToken);
        log.LogInformation("Linked {Entity} {CreatioId} to Intacct {Object} {IntacctId} by its {KeyField}", pair.CreatioEntity, creatioId, pair.IntacctObject, intacctId, pair.KeyField);
        return creatioId.ToString("D");
    }

    private async Task RollUpAsync(FlowDefinition flow, IReadOnlyList<WrittenRecord> written, CreatioConnection creatio, CancellationToken cancellationToken)
    {
        switch (flow.RollUp)
        {
            case "opportunity-invoice-totals":
                foreach (var opportunity in written.Select(w => GuidAt(w.Values, "UsrOpportunityId")).OfType<Guid>().Distinct())
                    await OpportunityTotalsAsync(opportunity, creatio, cancellationToken);
                break;
            case "payment-opportunity":
                foreach (var payment in written)
                {
                    if (GuidAt(payment.Values, "UsrInvoiceId") is not { } invoiceId) continue;
                    var invoice = await creatio.GetAsync("UsrIntacctInvoice", invoiceId, ["Id", "UsrOpportunityId"], cancellationToken: cancellationToken);
                    if (invoice is not null && GuidAt(invoice, "UsrOpportunityId") is { } opportunity)
                        await creatio.UpdateAsync("UsrIntacctPayment", payment.TargetId, new JsonObject { ["UsrOpportunityId"] = opportunity.ToString("D") }, cancellationToken);
                }

                break;
        }
    }

    /// <summary>Amount due and paid over all of an opportunity's invoices, and the state of its latest one.</summary>
    private static async Task OpportunityTotalsAsync(Guid opportunityId, CreatioConnection creatio, CancellationToken cancellationToken)
    {
        if (await creatio.GetAsync("Opportunity", opportunityId, ["Id"], cancellationToken: cancellationToken) is null) return;
        var invoices = new List<JsonObject>();
        await foreach (var invoice in creatio.QueryAllAsync("UsrIntacctInvoice",
                           new CreatioQuery(Select: ["Id", "UsrDue", "UsrPaid", "UsrState", "UsrDate"], Filter: CreatioFilter.Lookup("UsrOpportunity", opportunityId)), cancellationToken))
            invoices.Add(invoice);
        if (invoices.Count == 0) return;
        var latest = invoices.OrderByDescending(i => (string?)i["UsrDate"], StringComparer.Ordinal).First();
        await creatio.UpdateAsync("Opportunity", opportunityId, new JsonObject
        {
            ["UsrIntacctAmountDue"] = invoices.Sum(i => CreatioValues.Decimal(i["UsrDue"])),
            ["UsrIntacctAmountPaid"] = invoices.Sum(i => CreatioValues.Decimal(i["UsrPaid"])),
            ["UsrIntacctState"] = invoices.All(i => (string?)i["UsrState"] == "Paid") ? "Paid" : (string?)latest["UsrState"] ?? "",
        }, cancellationToken);
    }

    private static Guid? GuidAt(JsonObject values, string name) =>
        values[name] is { } v && Guid.TryParse((string?)v, out var id) && id != Guid.Empty ? id : null;
}
