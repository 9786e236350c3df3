using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using System.Threading.Channels;
using Microsoft.Extensions.Options;

namespace Interweave.Sidecar.Flows.Engine;

/// <summary>
/// The skeleton every incremental flow shares, whatever its direction: it reads what changed since the watermark
/// less the overlap, writes page by page while the next page is read, logs each record's outcome, and moves the
/// watermark only at the end of a run that read everything, never past the run's start. A record that fails takes
/// the one failure path: the error queue, the support Case, the run log, the record's sync-status mark.
/// </summary>
public sealed class IncrementalRun(FlowStore flows, ErrorQueue errors, FlowConnections connections, TimeProvider time, IOptions<FlowOptions> options,
    ILogger<IncrementalRun> log)
{
    /// <summary>Pages read ahead of the one being written.</summary>
    private const int PagesAhead = 2;

    public async Task<StoredRun> ExecuteAsync<TRecord>(ISyncDirection<TRecord> direction, StoredFlow stored, StoredRun run, RunScope? scope,
        CancellationToken cancellationToken)
        where TRecord : class
    {
        var context = await ContextAsync(stored.Effective(), force: false, cancellationToken) with { Scope = scope };
        var startedAt = time.GetUtcNow();
        var from = scope is null ? stored.Watermark - options.Value.WatermarkOverlap : null;
        run = run with { WatermarkFrom = from };

        DateTimeOffset? newest = null;
        await foreach (var page in ReadAheadAsync(direction.ReadChangedAsync(context, from, cancellationToken), r => direction.KeyOf(context, r), options.Value.PageSize,
                           cancellationToken))
        {
            var results = await WriteAndSettleAsync(direction, context, page, run.Id, cancellationToken);
            for (var i = 0; i < page.Count; i++)
            {
                run = run.Counted(results[i].Action);
                if (direction.ModifiedAt(context, page[i]) is { } at && (newest is null || at > newest)) newest = at;
            }

            run = run with { TotalCount = context.Expected.Records };
            await flows.UpdateRunAsync(run, cancellationToken); // progress for GET /api/runs/{id}
        }

        // Nothing modified after the run started can be behind the new watermark. A scoped run read no changes.
        var watermark = scope is null && newest is { } n ? (n < startedAt ? n : startedAt) : stored.Watermark;
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

        return (await WriteAndSettleAsync(direction, context, [record], run.Id, cancellationToken))[0].Action;
    }

    /// <summary>
    /// Writes a page and settles each record: a failure takes the failure path, the rest are logged and their open
    /// errors closed in two statements for the page, and the page's roll-up runs (a run keeps one page in memory).
    /// </summary>
    private async Task<IReadOnlyList<RecordResult>> WriteAndSettleAsync<TRecord>(ISyncDirection<TRecord> direction, RunContext context, IReadOnlyList<TRecord> page,
        long runId, CancellationToken cancellationToken)
        where TRecord : class
    {
        var attempts = await direction.WritePageAsync(context, page, cancellationToken);
        var results = new RecordResult[page.Count];
        var logged = new List<RunRecordEntry>(page.Count);
        var wentThrough = new List<string>(page.Count);
        for (var i = 0; i < page.Count; i++)
        {
            var key = direction.KeyOf(context, page[i]);
            if (attempts[i].Failure is { } exception)
            {
                results[i] = await FailAsync(direction, context, page[i], key, exception, runId, cancellationToken);
                continue;
            }

            var result = results[i] = attempts[i].Result!;
            var held = result is RecordHeldAfterFailure; // its error stays open
            if (!held) wentThrough.Add(key);
            logged.Add(new RunRecordEntry(key, result.TargetKey, result.Action, held ? HeldMessage : null, direction.LabelOf(context, page[i]),
                (result as RecordWritten)?.Changes));
        }

        await errors.ResolveManyAsync(context.Flow.Id, wentThrough, cancellationToken, context.Creatio);
        await flows.AddRunRecordsAsync(runId, logged, cancellationToken);
        await direction.AfterWrittenAsync(context, results.OfType<RecordWritten>().Select(r => r.Written).OfType<WrittenRecord>().ToList(), cancellationToken);
        return results;
    }

    /// <summary>One record now, outside any run (a button): its result, or its failure thrown to the caller, who shows it.</summary>
    public static async Task<RecordResult> WriteOneAsync<TRecord>(ISyncDirection<TRecord> direction, RunContext context, TRecord record, CancellationToken cancellationToken)
        where TRecord : class
    {
        var attempt = (await direction.WritePageAsync(context, [record], cancellationToken))[0];
        if (attempt.Failure is { } failure) ExceptionDispatchInfo.Throw(failure);
        return attempt.Result!;
    }

    /// <summary>The context for work outside a run (a button): the same connections and the flow as an admin left it.</summary>
    public async Task<RunContext> ContextAsync(FlowDefinition flow, bool force, CancellationToken cancellationToken)
    {
        var (creatio, intacct) = await connections.ConnectAsync(cancellationToken);
        return new RunContext(flow, creatio, intacct, force);
    }

    /// <summary>
    /// The source's records in pages, each key once (a source paged by key may hand a record modified during the run
    /// over twice), read up to <see cref="PagesAhead"/> pages ahead of the page being written.
    /// </summary>
    internal static async IAsyncEnumerable<IReadOnlyList<TRecord>> ReadAheadAsync<TRecord>(IAsyncEnumerable<TRecord> source, Func<TRecord, string> keyOf, int pageSize,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var pages = Channel.CreateBounded<IReadOnlyList<TRecord>>(new BoundedChannelOptions(PagesAhead) { SingleReader = true, SingleWriter = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var reader = Task.Run(async () =>
        {
            try
            {
                var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
                var page = new List<TRecord>(pageSize);
                await foreach (var record in source.WithCancellation(stop.Token))
                {
                    if (!seen.Add(keyOf(record))) continue;
                    page.Add(record);
                    if (page.Count < pageSize) continue;
                    await pages.Writer.WriteAsync(page, stop.Token);
                    page = new List<TRecord>(pageSize);
                }

                if (page.Count > 0) await pages.Writer.WriteAsync(page, stop.Token);
                pages.Writer.Complete();
            }
            catch (Exception ex)
            {
                pages.Writer.TryComplete(ex); // the reader's failure reaches the run through the channel
            }
        }, CancellationToken.None);

        try
        {
            await foreach (var page in pages.Reader.ReadAllAsync(cancellationToken)) yield return page;
        }
        finally
        {
            await stop.CancelAsync();
            await reader;
        }
    }

    private const string HeldMessage = "Unchanged since it failed; see the error queue.";

    /// <summary>The one failure path: the record's own failure is queued, raises its Case, marks the record and is logged; anything else stops the run.</summary>
    private async Task<RecordResult> FailAsync<TRecord>(ISyncDirection<TRecord> direction, RunContext context, TRecord record, string key, Exception exception,
        long runId, CancellationToken cancellationToken)
        where TRecord : class
    {
        var failure = RecordFailure.Of(exception);
        if (failure is null) ExceptionDispatchInfo.Throw(exception); // not this record's: it stops the run
        var flow = context.Flow;
        var account = await direction.RecordFailedAsync(context, record, failure, cancellationToken);
        var error = await errors.RaiseAsync(flow.Id, key, $"{flow.Source.Object} {direction.LabelOf(context, record)}", account, failure, context.Creatio,
            cancellationToken, runId);
        await flows.AddRunRecordAsync(runId, key, null, RecordAction.Failed, failure.Message, cancellationToken, direction.LabelOf(context, record));
        log.LogInformation("{FlowId}: record {Key} failed and is queued as error {ErrorId}", flow.Id, key, error.Id);
        return new RecordFailed(failure);
    }
}
