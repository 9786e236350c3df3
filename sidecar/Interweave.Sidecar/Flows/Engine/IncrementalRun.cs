using Microsoft.Extensions.Options;

namespace Interweave.Sidecar.Flows.Engine;

/// <summary>
/// The skeleton every incremental flow shares, whatever its direction: it reads what changed since the watermark
/// less the overlap, writes record by record, logs each outcome, and moves the watermark only at the end of a run
/// that read everything, never past the run's start. A record that fails takes the one failure path: the error
/// queue, the support Case, the run log, the record's sync-status mark.
/// </summary>
public sealed class IncrementalRun(FlowStore flows, ErrorQueue errors, FlowConnections connections, TimeProvider time, IOptions<FlowOptions> options,
    ILogger<IncrementalRun> log)
{
    /// <summary>How often (in records) a run's counts are saved, so GET /api/runs/{id} shows progress.</summary>
    private const int ProgressEvery = 50;

    public async Task<StoredRun> ExecuteAsync<TRecord>(ISyncDirection<TRecord> direction, StoredFlow stored, StoredRun run, CancellationToken cancellationToken)
        where TRecord : class
    {
        var context = await ContextAsync(stored.Effective(), force: false, cancellationToken);
        var startedAt = time.GetUtcNow();
        var from = stored.Watermark - options.Value.WatermarkOverlap;
        run = run with { WatermarkFrom = from };

        // A source paged by key may hand a record modified during the run over twice; it is written once.
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var written = new List<WrittenRecord>();
        DateTimeOffset? newest = null;
        await foreach (var record in direction.ReadChangedAsync(context, from, cancellationToken))
        {
            if (!seen.Add(direction.KeyOf(context, record))) continue;
            var result = await ProcessAsync(direction, context, record, run.Id, cancellationToken);
            run = run.Counted(result.Action);
            if (result is RecordWritten { Written: { } w }) written.Add(w);
            if (direction.ModifiedAt(context, record) is { } at && (newest is null || at > newest)) newest = at;
            if (run.ReadCount % ProgressEvery == 0) await flows.UpdateRunAsync(run, cancellationToken);
        }

        await direction.AfterWrittenAsync(context, written, cancellationToken);

        // Nothing modified after the run started can be behind the new watermark.
        var watermark = newest is { } n ? (n < startedAt ? n : startedAt) : stored.Watermark;
        if (watermark is { } mark && mark != stored.Watermark) await flows.SetWatermarkAsync(stored.Id, mark, cancellationToken);
        return run with { WatermarkTo = watermark };
    }

    /// <summary>One record by its key, outside the schedule and whatever its last outcome: the error queue's retry.</summary>
    public async Task<RecordAction> RetryOneAsync<TRecord>(ISyncDirection<TRecord> direction, StoredFlow stored, StoredRun run, string key,
        CancellationToken cancellationToken)
        where TRecord : class
    {
        var context = await ContextAsync(stored.Effective(), force: true, cancellationToken);
        if (await direction.ReadOneAsync(context, key, cancellationToken) is not { } record)
        {
            await flows.AddRunRecordAsync(run.Id, key, null, RecordAction.Failed, direction.GoneMessage(context), cancellationToken);
            return RecordAction.Failed;
        }

        var result = await ProcessAsync(direction, context, record, run.Id, cancellationToken);
        if (result is RecordWritten { Written: { } written }) await direction.AfterWrittenAsync(context, [written], cancellationToken);
        return result.Action;
    }

    /// <summary>The context for work outside a run (a button): the same connections and the flow as an admin left it.</summary>
    public async Task<RunContext> ContextAsync(FlowDefinition flow, bool force, CancellationToken cancellationToken)
    {
        var (creatio, intacct) = await connections.ConnectAsync(cancellationToken);
        return new RunContext(flow, creatio, intacct, force);
    }

    private async Task<RecordResult> ProcessAsync<TRecord>(ISyncDirection<TRecord> direction, RunContext context, TRecord record, long runId,
        CancellationToken cancellationToken)
        where TRecord : class
    {
        var key = direction.KeyOf(context, record);
        RecordResult result;
        try
        {
            result = await direction.WriteAsync(context, record, cancellationToken);
        }
        catch (Exception ex) when (RecordFailure.Of(ex) is { } failure)
        {
            await FailAsync(direction, context, record, key, failure, runId, cancellationToken);
            return new RecordFailed(failure);
        }

        if (result is RecordHeldAfterFailure)
        {
            await flows.AddRunRecordAsync(runId, key, result.TargetKey, RecordAction.Unchanged, "Unchanged since it failed; see the error queue.", cancellationToken);
            return result;
        }

        await errors.ResolveAsync(context.Flow.Id, key, cancellationToken);
        await flows.AddRunRecordAsync(runId, key, result.TargetKey, result.Action, null, cancellationToken);
        return result;
    }

    private async Task FailAsync<TRecord>(ISyncDirection<TRecord> direction, RunContext context, TRecord record, string key, RecordFailure failure, long runId,
        CancellationToken cancellationToken)
        where TRecord : class
    {
        var flow = context.Flow;
        var account = await direction.RecordFailedAsync(context, record, failure, cancellationToken);
        var error = await errors.RaiseAsync(flow.Id, key, $"{flow.Source.Object} {direction.LabelOf(context, record)}", account, failure, context.Creatio,
            cancellationToken);
        await flows.AddRunRecordAsync(runId, key, null, RecordAction.Failed, failure.Message, cancellationToken);
        log.LogInformation("{FlowId}: record {Key} failed and is queued as error {ErrorId}", flow.Id, key, error.Id);
    }
}
