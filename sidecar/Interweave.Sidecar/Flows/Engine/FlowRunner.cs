using Interweave.Sidecar.Creatio;
using Interweave.Sidecar.Intacct;
using Microsoft.Extensions.Options;
using Quartz;

namespace Interweave.Sidecar.Flows.Engine;

/// <summary>
/// Starts runs: now (the API, the error queue's retry) or on schedule (Quartz). One run at a time per flow,
/// enforced by the store so that it holds across processes too. A run that fails on a transient fault ends
/// "failed" without moving the watermark; the next run reads the same records again.
/// </summary>
public sealed class FlowRunner(FlowStore flows, IEnumerable<IIncrementalFlow> kinds, ErrorQueue errors, ConnectionHealth health, TimeProvider time, ILogger<FlowRunner> log,
    IHostApplicationLifetime lifetime)
{
    /// <summary>Starts a run in the background and answers at once with its row.</summary>
    public async Task<StoredRun> StartAsync(string flowId, string trigger, CancellationToken cancellationToken, string? requestedBy = null)
    {
        var (stored, run) = await BeginAsync(flowId, trigger, cancellationToken, requestedBy);
        _ = Task.Run(() => CompleteAsync(stored, run, lifetime.ApplicationStopping), CancellationToken.None);
        return run;
    }

    /// <summary>Runs to the end (the scheduler's job waits for its run).</summary>
    public async Task<StoredRun> RunAsync(string flowId, string trigger, CancellationToken cancellationToken)
    {
        var (stored, run) = await BeginAsync(flowId, trigger, cancellationToken);
        return await CompleteAsync(stored, run, cancellationToken);
    }

    /// <summary>
    /// Runs over a scope instead of what changed (a bulk load's step), to the end, leaving the watermark where it is.
    /// One run at a time per flow holds here too: a step waits for a scheduled run of its flow to end.
    /// </summary>
    public async Task<StoredRun> RunScopedAsync(string flowId, string trigger, RunScope scope, Func<StoredRun, Task> started, CancellationToken cancellationToken)
    {
        while (true)
        {
            StoredFlow stored;
            StoredRun run;
            try
            {
                (stored, run) = await BeginAsync(flowId, trigger, cancellationToken);
            }
            catch (FlowRefusedException ex) when (ex.Reason == RefusalReason.Busy)
            {
                await Task.Delay(TimeSpan.FromSeconds(1), time, cancellationToken);
                continue;
            }

            await started(run);
            return await CompleteAsync(stored, run, cancellationToken, scope);
        }
    }

    /// <summary>One record again, as its own run (trigger "retry"); answers the record's action.</summary>
    public async Task<(StoredRun Run, RecordAction Action)> RetryRecordAsync(string flowId, string key, CancellationToken cancellationToken, string? requestedBy = null)
    {
        var (stored, run) = await BeginAsync(flowId, "retry", cancellationToken, requestedBy);
        try
        {
            var action = await KindOf(stored).RetryOneAsync(stored, run, key, cancellationToken);
            run = run.Counted(action).Concluded(time.GetUtcNow());
            await flows.UpdateRunAsync(run, CancellationToken.None);
            return (run, action);
        }
        catch (Exception ex)
        {
            await flows.UpdateRunAsync(run with { State = RunState.Failed, FinishedAt = time.GetUtcNow(), Error = Describe(ex) }, CancellationToken.None);
            throw;
        }
    }

    private async Task<(StoredFlow Stored, StoredRun Run)> BeginAsync(string flowId, string trigger, CancellationToken cancellationToken, string? requestedBy = null)
    {
        var stored = await flows.GetAsync(flowId, cancellationToken) ?? throw new FlowRefusedException(RefusalReason.NotFound, "No such flow", $"There is no flow '{flowId}'.");
        if (kinds.All(k => k.Kind != stored.Parse().Kind))
            throw new FlowRefusedException(RefusalReason.Invalid, "Run by a button", $"Flow '{flowId}' runs for one record from its button in Creatio, not as a batch.");
        // Every way a run starts comes through here: the schedule, POST /api/flows/{id}/runs, a retry, a bulk load's step.
        if (!stored.Enabled) throw FlowRefusedException.TurnedOff(flowId, stored.Parse().Name);
        var run = await flows.TryStartRunAsync(flowId, trigger, cancellationToken, requestedBy)
                  ?? throw new FlowRefusedException(RefusalReason.Busy, "Already running", $"Flow '{flowId}' is already running; one run at a time.");
        log.LogInformation("Run {RunId} of {FlowId} started ({Trigger})", run.Id, flowId, trigger);
        return (stored, run);
    }

    private async Task<StoredRun> CompleteAsync(StoredFlow stored, StoredRun run, CancellationToken cancellationToken, RunScope? scope = null)
    {
        IntacctWork.MarkBackground(); // a run's requests go behind any click's at the Intacct limiter
        try
        {
            run = await KindOf(stored).ExecuteAsync(stored, run, scope, cancellationToken);
            run = run.Concluded(time.GetUtcNow()) with { ReachedEnd = true };
            log.LogInformation("Run {RunId} of {FlowId} ended {State}: {Read} read, {Created} created, {Updated} updated, {Unchanged} unchanged, {Failed} failed",
                run.Id, run.FlowId, WireNames.Of(run.State), run.ReadCount, run.CreatedCount, run.UpdatedCount, run.UnchangedCount, run.FailedCount);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Paused, cancelled or shut down: nothing went wrong, and whoever looks for failed runs should not find it.
            run = await flows.WithLoggedCountsAsync(run, CancellationToken.None) with { State = RunState.Interrupted, FinishedAt = time.GetUtcNow(), Error = StoppedEarly };
            log.LogInformation("Run {RunId} of {FlowId} stopped after {Read} records; the watermark stays where it was", run.Id, run.FlowId, run.ReadCount);
        }
        catch (Exception ex) when (ex is IntacctException or CreatioException or FlowRefusedException or OperationCanceledException or HttpRequestException)
        {
            run = await flows.WithLoggedCountsAsync(run, CancellationToken.None) with { State = RunState.Failed, FinishedAt = time.GetUtcNow(), Error = Describe(ex) };
            log.LogWarning(ex, "Run {RunId} of {FlowId} failed after {Read} records; the watermark stays where it was", run.Id, run.FlowId, run.ReadCount);
            await RunStoppedAsync(run, ex);
        }
        catch (Exception ex)
        {
            run = await flows.WithLoggedCountsAsync(run, CancellationToken.None) with { State = RunState.Failed, FinishedAt = time.GetUtcNow(), Error = "Unexpected error: " + ex.Message };
            log.LogError(ex, "Run {RunId} of {FlowId} failed unexpectedly after {Read} records", run.Id, run.FlowId, run.ReadCount);
            await RunStoppedAsync(run, ex);
        }

        await flows.UpdateRunAsync(run, CancellationToken.None);
        if (run.ReachedEnd) await errors.ResolveRunAsync(run.FlowId, CancellationToken.None); // the flow runs again: its outage is over
        return run;
    }

    /// <summary>
    /// A run that stopped as a whole goes into the error queue as a run-level error (retry = run the flow again), and a
    /// connection-level failure (unreachable, refused sign-in, 5xx, too many requests) marks its connection failing
    /// until a call on it succeeds. A flow waiting for its connections to be configured is neither.
    /// </summary>
    private async Task RunStoppedAsync(StoredRun run, Exception ex)
    {
        var (failure, system, connectionLevel) = ex switch
        {
            IntacctException intacct => (RecordFailure.From(intacct), IntacctConnectionSettings.System, ConnectionHealth.IsConnectionLevel(intacct.Failure)),
            CreatioException creatio => (RecordFailure.From(creatio), CreatioConnectionSettings.System, ConnectionHealth.IsConnectionLevel(creatio.Failure)),
            FlowRefusedException { Reason: RefusalReason.NotConfigured } => (null, null, false),
            _ => (new RecordFailure("run-failed", "Interweave", run.Error ?? ex.Message), null, false),
        };
        if (failure is null) return;
        failure = failure with
        {
            Hint = $"{(failure.Hint is null ? "" : failure.Hint + " ")}The run stopped before its end and the watermark stayed where it was: the next run reads the same records again. Retry runs {run.FlowId} now.",
        };
        try
        {
            if (connectionLevel && system is not null) await health.FailedAsync(system, failure.Message, CancellationToken.None);
            await errors.RaiseRunAsync(run.FlowId, run.Id, failure, CancellationToken.None);
        }
        catch (System.Data.Common.DbException storeFailure)
        {
            log.LogError(storeFailure, "Run {RunId} of {FlowId} stopped, and its error could not be queued", run.Id, run.FlowId);
        }
    }

    private IIncrementalFlow KindOf(StoredFlow stored) => kinds.Single(k => k.Kind == stored.Parse().Kind);

    /// <summary>Whether runs of this kind of flow can be started (by the API or on schedule), as opposed to a button's.</summary>
    public bool Runs(FlowKind kind) => kinds.Any(k => k.Kind == kind);

    private const string StoppedEarly = "Stopped before its end (paused, cancelled, or the sidecar stopping); what it wrote stays, and the next run reads again from the last committed watermark.";

    private static string Describe(Exception ex) => ex switch
    {
        FlowRefusedException refused => $"{refused.Title}: {refused.Message}",
        _ => ex.Message,
    };
}
