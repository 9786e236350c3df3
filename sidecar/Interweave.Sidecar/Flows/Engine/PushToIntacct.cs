using System.Globalization;
using System.Text.Json.Nodes;
using Interweave.Sidecar.Creatio;
using Interweave.Sidecar.Intacct;
using Interweave.Sidecar.Storage;
using Microsoft.Extensions.Options;

namespace Interweave.Sidecar.Flows.Engine;

/// <summary>
/// An incremental push from Creatio into Intacct for paired records (accounts to customers, products to items):
/// the rows modified since the watermark (less the overlap), mapped, and written onto the Intacct record they are
/// bound to — only the fields whose values differ, never the fields Intacct owns. A row whose mapped values match
/// what this flow last wrote costs no Intacct call; one whose values match what Intacct already holds (our own
/// pull coming back) costs one read and no write.
/// </summary>
public sealed class PushToIntacct(FlowStore flows, FieldMapper mapper, ErrorQueue errors, FlowConnections connections, BindingRepository bindings,
    IntacctLinks links, TimeProvider time, IOptions<FlowOptions> options, ILogger<PushToIntacct> log)
{
    /// <summary>The setting that says which rows the flow pushes: "linked" (already paired) or "all" (pairs or creates the rest).</summary>
    public const string ScopeSetting = "scope";

    /// <summary>Marks the fingerprint of values that failed, so an unchanged row is not tried again blindly on the next run.</summary>
    private const string FailedMark = "failed:";

    public async Task<FlowRun> ExecuteAsync(StoredFlow stored, FlowRun run, CancellationToken cancellationToken)
    {
        var flow = stored.Effective();
        var pair = PairOf(flow);
        var linkedOnly = flow.Settings.GetValueOrDefault(ScopeSetting) != "all";
        var (creatio, intacct) = await connections.ConnectAsync(cancellationToken);
        var startedAt = time.GetUtcNow();
        var from = stored.Watermark - options.Value.WatermarkOverlap;
        run = run with { WatermarkFrom = from };

        var filter = from is { } since ? CreatioFilter.ModifiedSince(since) : null;
        if (linkedOnly) filter = Both(filter, CreatioFilter.NotEqual(pair.IntacctIdColumn, ""));
        foreach (var condition in flow.Filter)
            filter = Both(filter, condition.Op == "notEquals" ? CreatioFilter.NotEqual(condition.Field, condition.Value) : CreatioFilter.Equal(condition.Field, condition.Value));

        // Paged by Id: rows modified while the run reads join the set but never move in it, so none is skipped;
        // one may come twice.
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        DateTimeOffset? newest = null;
        await foreach (var row in creatio.QueryAllAsync(flow.Source.Object, new CreatioQuery(Filter: filter, Select: SelectFor(flow, pair)), cancellationToken))
        {
            if (!seen.Add((string)row["Id"]!)) continue;
            run = run.Counted(await ProcessAsync(flow, pair, row, creatio, intacct, run.Id, force: false, cancellationToken));
            if (DateTimeOffset.TryParse((string?)row["ModifiedOn"], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var modified) && (newest is null || modified > newest))
                newest = modified;
            if (run.ReadCount % 50 == 0) await flows.UpdateRunAsync(run, cancellationToken);
        }

        var watermark = newest is { } n ? (n < startedAt ? n : startedAt) : stored.Watermark;
        if (watermark is { } mark && mark != stored.Watermark) await flows.SetWatermarkAsync(flow.Id, mark, cancellationToken);
        return run with { WatermarkTo = watermark };
    }

    /// <summary>One row by its Id, whatever its last outcome: the error queue's retry.</summary>
    public async Task<string> RetryOneAsync(StoredFlow stored, FlowRun run, string key, CancellationToken cancellationToken)
    {
        var flow = stored.Effective();
        var pair = PairOf(flow);
        var (creatio, intacct) = await connections.ConnectAsync(cancellationToken);
        if (!Guid.TryParse(key, out var id) || await creatio.GetAsync(flow.Source.Object, id, SelectFor(flow, pair), cancellationToken: cancellationToken) is not { } row)
        {
            await flows.AddRunRecordAsync(run.Id, key, null, RecordActions.Failed, $"The {flow.Source.Object} no longer exists in Creatio.", cancellationToken);
            return RecordActions.Failed;
        }

        return await ProcessAsync(flow, pair, row, creatio, intacct, run.Id, force: true, cancellationToken);
    }

    /// <summary>
    /// One record now, outside any run (the "Sync with Intacct" button): pairs it when it is not yet paired, then
    /// writes what differs. Failures are thrown to the caller, who shows them to the user.
    /// </summary>
    public async Task<(string IntacctId, bool Created)> SyncOneAsync(FlowDefinition flow, Guid id, CreatioConnection creatio, IntacctConnection intacct, CancellationToken cancellationToken)
    {
        var pair = PairOf(flow);
        var row = await creatio.GetAsync(flow.Source.Object, id, SelectFor(flow, pair), cancellationToken: cancellationToken)
                  ?? throw new FlowRefusedException(StatusCodes.Status404NotFound, $"{pair.CreatioEntity} not found", $"No {pair.CreatioEntity.ToLowerInvariant()} {id} exists in Creatio.");
        var written = await WriteAsync(flow, pair, row, creatio, intacct, force: true, cancellationToken);
        return (written.IntacctId, written.Action == RecordActions.Created);
    }

    private static PairedObjects PairOf(FlowDefinition flow) =>
        PairedObjects.For(flow.Binding) ?? throw new InvalidOperationException($"Flow {flow.Id} pushes to Intacct but names no binding kind it can pair records by.");

    private static CreatioFilter Both(CreatioFilter? left, CreatioFilter right) => left is null ? right : left.And(right);

    /// <summary>The columns the flow reads: its mapping's sources plus what pairing a record needs.</summary>
    private static List<string> SelectFor(FlowDefinition flow, PairedObjects pair)
    {
        var columns = new List<string> { "Id", "ModifiedOn", "Name", "Code", pair.IntacctIdColumn, "UsrIntacctLastSyncError" };
        if (pair == PairedObjects.ProductItem) columns.Add("Price");
        if (flow.Source.Label is { } label) columns.Add(label);
        foreach (var field in flow.Mapping)
            columns.AddRange((field.Sources ?? (field.Source is null ? [] : [field.Source])).Select(s => s.Split('/')[0]));
        return columns.Distinct(StringComparer.Ordinal).ToList();
    }

    private sealed record Written(string IntacctId, string Action, string Fingerprint);

    private async Task<string> ProcessAsync(FlowDefinition flow, PairedObjects pair, JsonObject row, CreatioConnection creatio, IntacctConnection intacct, long runId, bool force, CancellationToken cancellationToken)
    {
        var key = (string)row["Id"]!;
        var label = flow.Source.Label is { } l && FieldMapper.CreatioText(row, l) is { Length: > 0 } text ? text : key;
        try
        {
            var written = await WriteAsync(flow, pair, row, creatio, intacct, force, cancellationToken);
            if (written.Action == FailedMark)
            {
                // Same values as the attempt that failed: its error is still open in the queue, nothing to try again.
                await flows.AddRunRecordAsync(runId, key, written.IntacctId, RecordActions.Unchanged, "Unchanged since it failed; see the error queue.", cancellationToken);
                return RecordActions.Unchanged;
            }

            await errors.ResolveAsync(flow.Id, key, cancellationToken);
            await flows.AddRunRecordAsync(runId, key, written.IntacctId, written.Action, null, cancellationToken);
            return written.Action;
        }
        catch (MappingException ex)
        {
            return await FailAsync(new RecordFailure(ex.Kind, "Interweave", ex.Message, Hint: ex.Hint));
        }
        catch (IntacctException ex) when (ex.Failure is RemoteFailure.Rejected or RemoteFailure.Conflict or RemoteFailure.NotFound)
        {
            return await FailAsync(RecordFailure.From(ex));
        }
        catch (CreatioException ex) when (ex.Failure is RemoteFailure.Rejected or RemoteFailure.NotFound or RemoteFailure.Conflict)
        {
            return await FailAsync(RecordFailure.From(ex));
        }

        async Task<string> FailAsync(RecordFailure failure)
        {
            Guid? account = pair == PairedObjects.AccountCustomer ? Guid.Parse(key) : null;
            var error = await errors.RaiseAsync(flow.Id, key, $"{flow.Source.Object} {label}", account, failure, creatio, cancellationToken);
            await flows.AddRunRecordAsync(runId, key, null, RecordActions.Failed, failure.Message, cancellationToken);
            await MarkFailedAsync(flow, pair, row, failure.Message, creatio, cancellationToken);
            log.LogInformation("{FlowId}: record {Key} failed and is queued as error {ErrorId}", flow.Id, key, error.Id);
            return RecordActions.Failed;
        }
    }

    private async Task<Written> WriteAsync(FlowDefinition flow, PairedObjects pair, JsonObject row, CreatioConnection creatio, IntacctConnection intacct, bool force, CancellationToken cancellationToken)
    {
        var key = (string)row["Id"]!;
        var values = await mapper.MapAsync(flow, row, cancellationToken);
        var fingerprint = FieldMapper.Fingerprint(values);
        var previous = await flows.GetLinkAsync(flow.Id, key, cancellationToken);
        if (!force && previous?.Fingerprint == FailedMark + fingerprint) return new Written(previous.TargetKey, FailedMark, fingerprint);

        var (intacctId, created) = await PairAsync(pair, row, creatio, intacct, cancellationToken);
        if (!force && !created && previous?.Fingerprint == fingerprint && previous.TargetKey == intacctId)
            return new Written(intacctId, RecordActions.Unchanged, fingerprint);

        var current = await intacct.ReadOneAsync(pair.IntacctObject, pair.IdField, intacctId, cancellationToken)
                      ?? throw new MappingException("intacct-record-missing", $"Intacct {pair.IntacctObject} {intacctId}, linked to this record, no longer exists.",
                          $"If it was deleted on purpose, clear {pair.IntacctIdColumn} on the Creatio record and remove its binding; otherwise restore it in Intacct, then retry.");
        // Intacct's own fields are set when the record is made there and left to Intacct's users after that.
        var changes = FieldMapper.FieldsToWrite(flow, values, previous?.Values(), created, f => JsonValue.Create(FieldMapper.ValueAt(current, f.Target)))
            .Select(f => KeyValuePair.Create(f.Target, (string?)values[f.Target] ?? "")).ToList();

        if (changes.Count > 0)
        {
            await intacct.UpdateAsync(IntacctRecord.FromPaths(pair.IntacctObject, [KeyValuePair.Create(pair.IdField, intacctId), .. changes]), cancellationToken);
            log.LogDebug("{FlowId}: {Object} {IntacctId} updated ({Fields})", flow.Id, pair.IntacctObject, intacctId, string.Join(", ", changes.Select(c => c.Key)));
        }

        var action = created ? RecordActions.Created : changes.Count > 0 ? RecordActions.Updated : RecordActions.Unchanged;
        await flows.SaveLinkAsync(flow.Id, key, intacctId, fingerprint, values, cancellationToken);
        if (action != RecordActions.Unchanged || (string?)row["UsrIntacctLastSyncError"] is { Length: > 0 })
            await creatio.UpdateAsync(pair.CreatioEntity, Guid.Parse(key), SyncStatusValues.Synced(time.GetUtcNow()), cancellationToken);
        return new Written(intacctId, action, fingerprint);
    }

    /// <summary>
    /// The Intacct record the row is paired with: by binding; else the Intacct id the row already names (a store
    /// that lost its bindings, a link made by hand), checked against the Creatio Id Intacct holds; else found by
    /// that key field or created, once.
    /// </summary>
    private async Task<(string IntacctId, bool Created)> PairAsync(PairedObjects pair, JsonObject row, CreatioConnection creatio, IntacctConnection intacct, CancellationToken cancellationToken)
    {
        var key = (string)row["Id"]!;
        if (await bindings.GetAsync(pair.Kind, key, cancellationToken) is { IntacctId: { } bound }) return (bound, false);
        if ((string?)row[pair.IntacctIdColumn] is { Length: > 0 } named)
        {
            var found = await intacct.FindAsync(pair.IntacctObject, pair.IdField, named, ["RECORDNO", pair.IdField, pair.KeyField], cancellationToken)
                        ?? throw new MappingException("intacct-record-missing", $"Intacct {pair.IntacctObject} {named}, named in {pair.IntacctIdColumn}, does not exist.",
                            $"Correct {pair.IntacctIdColumn} on the Creatio record, or clear it to have the record created in Intacct, then retry.");
            var holder = found.Element(pair.KeyField)?.Value ?? "";
            if (holder.Length > 0 && !string.Equals(holder, key, StringComparison.OrdinalIgnoreCase))
                throw new MappingException("linked-elsewhere", $"Intacct {pair.IntacctObject} {named} is linked to another Creatio record ({pair.KeyField} = {holder}).",
                    $"Decide which Creatio record the {pair.IntacctObject.ToLowerInvariant()} belongs to; correct {pair.IntacctIdColumn} on the other one, then retry.");
            if (holder.Length == 0) await intacct.UpdateAsync(new IntacctRecord(pair.IntacctObject).Set(pair.IdField, named).Set(pair.KeyField, key), cancellationToken);
            await bindings.RecordAsync(pair.Kind, key, named, found.Element("RECORDNO")?.Value, cancellationToken);
            return (named, false);
        }

        var link = pair == PairedObjects.AccountCustomer
            ? await links.EnsureCustomerAsync(creatio, intacct, row, cancellationToken)
            : await links.EnsureItemAsync(creatio, intacct, row, cancellationToken);
        return (link.IntacctId, link.Created);
    }

    /// <summary>
    /// Shows the failure on the Creatio record and remembers the values that failed, so the next run does not try
    /// the same values again (our own status write moves the row's ModifiedOn into the next run's window).
    /// </summary>
    private async Task MarkFailedAsync(FlowDefinition flow, PairedObjects pair, JsonObject row, string message, CreatioConnection creatio, CancellationToken cancellationToken)
    {
        var key = (string)row["Id"]!;
        try
        {
            var values = await mapper.MapAsync(flow, row, cancellationToken);
            var bound = await bindings.GetAsync(pair.Kind, key, cancellationToken);
            await flows.SaveLinkAsync(flow.Id, key, bound?.IntacctId ?? "", FailedMark + FieldMapper.Fingerprint(values), null, cancellationToken);
        }
        catch (MappingException)
        {
            // Values that cannot be mapped have no fingerprint; the row is tried again when it next changes.
        }

        if ((string?)row["UsrIntacctLastSyncError"] != message)
            await SyncStatusValues.MarkFailedAsync(creatio, pair.CreatioEntity, Guid.Parse(key), message, log, cancellationToken);
    }
}
