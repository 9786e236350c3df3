using System.Text.Json.Nodes;
using System.Xml.Linq;
using Interweave.Sidecar.Creatio;
using Interweave.Sidecar.Intacct;
using Interweave.Sidecar.Storage;
using Microsoft.Extensions.Options;

namespace Interweave.Sidecar.Flows.Engine;

public sealed class FlowOptions
{
    /// <summary>
    /// How far before the watermark each incremental pull starts reading again. Covers records modified while a
    /// run was reading and clock skew between the sidecar and Intacct; re-read records are recognised as unchanged.
    /// </summary>
    public TimeSpan WatermarkOverlap { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Whether enabled flows run on their schedules (Quartz). Off, only manual runs happen.</summary>
    public bool SchedulerEnabled { get; set; } = true;
}

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
        var flow = stored.Parse();
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
        var flow = stored.Parse();
        var (creatio, intacct) = await connections.ConnectAsync(cancellationToken);
        XElement? record = null;
        await foreach (var r in intacct.ReadByQueryAsync(flow.Source.Object, ReadByQueryCondition.Equal(flow.Source.Key!, key), "*", cancellationToken))
        {
            record = r;
            break;
        }

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

    private async Task<Outcome> ProcessAsync(FlowDefinition flow, XElement record, CreatioConnection creatio, IntacctConnection intacct, long runId, CancellationToken cancellationToken)
    {
        var key = FieldMapper.ValueAt(record, flow.Source.Key!) ?? "";
        var label = flow.Source.Label is { } l && FieldMapper.ValueAt(record, l) is { Length: > 0 } text ? text : key;
        JsonObject? values = null;
        try
        {
            values = await mapper.MapAsync(flow, record, (kind, intacctId) => LinkByKeyFieldAsync(kind, intacctId, creatio, intacct, cancellationToken), cancellationToken);
            var fingerprint = FieldMapper.Fingerprint(values);
            var link = await flows.GetLinkAsync(flow.Id, key, cancellationToken);
            var targetId = link is not null ? Guid.Parse(link.TargetKey) : TargetIdFor(flow.Id, key);
            string action;
            if (link?.Fingerprint == fingerprint)
            {
                action = RecordActions.Unchanged;
            }
            else
            {
                if (await creatio.GetAsync(flow.Target.Object, targetId, ["Id"], cancellationToken: cancellationToken) is null)
                {
                    var create = (JsonObject)values.DeepClone();
                    create["Id"] = targetId.ToString("D");
                    await creatio.CreateAsync(flow.Target.Object, create, cancellationToken);
                    action = RecordActions.Created;
                }
                else
                {
                    var update = (JsonObject)values.DeepClone();
                    // Fields Creatio owns are set when the record is made and left to Creatio's users after that.
                    foreach (var owned in flow.Mapping.Where(m => m.SystemOfRecord == "creatio")) update.Remove(owned.Target);
                    await creatio.UpdateAsync(flow.Target.Object, targetId, update, cancellationToken);
                    action = RecordActions.Updated;
                }

                await flows.SaveLinkAsync(flow.Id, key, targetId.ToString("D"), fingerprint, cancellationToken);
            }

            await errors.ResolveAsync(flow.Id, key, cancellationToken);
            await flows.AddRunRecordAsync(runId, key, targetId.ToString("D"), action, null, cancellationToken);
            return new Outcome(action, action == RecordActions.Unchanged ? null : new WrittenRecord(targetId, values));
        }
        catch (MappingException ex)
        {
            return await FailAsync(new RecordFailure(ex.Kind, "Interweave", ex.Message, Hint: ex.Hint));
        }
        catch (CreatioException ex) when (ex.Failure is RemoteFailure.Rejected or RemoteFailure.NotFound or RemoteFailure.Conflict)
        {
            return await FailAsync(new RecordFailure("creatio-" + ex.Failure.ToString().ToLowerInvariant(), "Creatio", ex.Message, ex.StatusCode?.ToString(System.Globalization.CultureInfo.InvariantCulture), ex.Hint));
        }

        async Task<Outcome> FailAsync(RecordFailure failure)
        {
            Guid? account = values?["UsrAccountId"] is { } a && Guid.TryParse((string?)a, out var id) && id != Guid.Empty ? id : null;
            var error = await errors.RaiseAsync(flow.Id, key, $"{flow.Source.Object} {label}", account, failure, creatio, cancellationToken);
            await flows.AddRunRecordAsync(runId, key, null, RecordActions.Failed, failure.Message, cancellationToken);
            log.LogInformation("{FlowId}: record {Key} failed and is queued as error {ErrorId}", flow.Id, key, error.Id);
            return new Outcome(RecordActions.Failed, null);
        }
    }

    /// <summary>
    /// The binding key written in Intacct (CUSTOMER.ACCOUNTID, ITEM.PRODUCTID) names the Creatio record: when that
    /// record exists, the binding is recorded so the next lookup needs no Intacct call.
    /// </summary>
    private async Task<string?> LinkByKeyFieldAsync(string kind, string intacctId, CreatioConnection creatio, IntacctConnection intacct, CancellationToken cancellationToken)
    {
        var (objectName, idField, keyField, entity) = kind switch
        {
            BindingKinds.AccountCustomer => ("CUSTOMER", "CUSTOMERID", "ACCOUNTID", "Account"),
            BindingKinds.ProductItem => ("ITEM", "ITEMID", "PRODUCTID", "Product"),
            _ => (null, null, null, null),
        };
        if (objectName is null) return null;
        var found = await intacct.FindAsync(objectName, idField!, intacctId, ["RECORDNO", idField!, keyField!], cancellationToken);
        if (!Guid.TryParse(found?.Element(keyField!)?.Value, out var creatioId)) return null;
        if (await creatio.GetAsync(entity!, creatioId, ["Id"], cancellationToken: cancellationToken) is null) return null;
        // A record already bound to another Intacct record keeps that binding; this record still names it.
        if (await bindings.GetAsync(kind, creatioId.ToString("D"), cancellationToken) is not null) return creatioId.ToString("D");
        await bindings.RecordAsync(kind, creatioId.ToString("D"), intacctId, found!.Element("RECORDNO")?.Value, cancellationToken);
        log.LogInformation("Linked {Entity} {CreatioId} to Intacct {Object} {IntacctId} by its {KeyField}", entity, creatioId, objectName, intacctId, keyField);
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

public static class RecordActions
{
    public const string Created = "created";
    public const string Updated = "updated";
    public const string Unchanged = "unchanged";
    public const string Failed = "failed";
}
