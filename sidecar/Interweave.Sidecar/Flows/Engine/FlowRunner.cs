using Interweave.Sidecar.Creatio;
using Interweave.Sidecar.Intacct;
using Microsoft.Extensions.Options;
using Quartz;

namespace Interweave.Sidecar.Flows.Engine;

public static class FlowKinds
{
    public const string Pull = "pull";
    public const string Push = "push";
    public const string Action = "action";

    /// <summary>Pulls and pushes run over every changed record, on schedule or now; actions run for one record from a button.</summary>
    public static bool RunsInBatches(string kind) => kind is Pull or Push;
}

/// <summary>Why a run could not start: the flow is unknown, is run by a button, or is already running.</summary>
public sealed class RunRefusedException(int status, string message) : Exception(message)
{
    public int Status { get; } = status;
}

/// <summary>
/// Starts runs: now (the API, the error queue's retry) or on schedule (Quartz). One run at a time per flow,
/// enforced by the store so that it holds across processes too. A run that fails on a transient fault ends
/// "failed" without moving the watermark; the next run reads the same records again.
/// </summary>
public sealed class FlowRunner(FlowStore flows, PullFromIntacct pull, PushToIntacct push, TimeProvider time, ILogger<FlowRunner> log, IHostApplicationLifetime lifetime)
{
    /// <summary>Starts a run in the background and answers at once with its row.</summary>
    public async Task<FlowRun> StartAsync(string flowId, string trigger, CancellationToken cancellationToken)
    {
        var (stored, run) = await BeginAsync(flowId, trigger, cancellationToken);
        _ = Task.Run(() => CompleteAsync(stored, run, lifetime.ApplicationStopping), CancellationToken.None);
        return run;
    }

    /// <summary>Runs to the end (the scheduler's job waits for its run).</summary>
    public async Task<FlowRun> RunAsync(string flowId, string trigger, CancellationToken cancellationToken)
    {
        var (stored, run) = await BeginAsync(flowId, trigger, cancellationToken);
        return await CompleteAsync(stored, run, cancellationToken);
    }

    /// <summary>One record again, as its own run (trigger "retry"); answers the record's action.</summary>
    public async Task<(FlowRun Run, string Action)> RetryRecordAsync(string flowId, string key, CancellationToken cancellationToken)
    {
        var (stored, run) = await BeginAsync(flowId, "retry", cancellationToken);
        try
        {
            var action = stored.Parse().Kind == FlowKinds.Push
                ? await push.RetryOneAsync(stored, run, key, cancellationToken)
                : await pull.RetryOneAsync(stored, run, key, cancellationToken);
            run = run.Counted(action) with { State = RunStates.Succeeded, FinishedAt = time.GetUtcNow() };
            await flows.UpdateRunAsync(run, CancellationToken.None);
            return (run, action);
        }
        catch (Exception ex)
        {
            await flows.UpdateRunAsync(run with { State = RunStates.Failed, FinishedAt = time.GetUtcNow(), Error = Describe(ex) }, CancellationToken.None);
            throw;
        }
    }

    private async Task<(StoredFlow Stored, FlowRun Run)> BeginAsync(string flowId, string trigger, CancellationToken cancellationToken)
    {
        var stored = await flows.GetAsync(flowId, cancellationToken) ?? throw new RunRefusedException(StatusCodes.Status404NotFound, $"There is no flow '{flowId}'.");
        if (!FlowKinds.RunsInBatches(stored.Parse().Kind))
            throw new RunRefusedException(StatusCodes.Status422UnprocessableEntity, $"Flow '{flowId}' runs for one record from its button in Creatio, not as a batch.");
        var run = await flows.TryStartRunAsync(flowId, trigger, cancellationToken)
                  ?? throw new RunRefusedException(StatusCodes.Status409Conflict, $"Flow '{flowId}' is already running; one run at a time.");
        log.LogInformation("Run {RunId} of {FlowId} started ({Trigger})", run.Id, flowId, trigger);
        return (stored, run);
    }

    private async Task<FlowRun> CompleteAsync(StoredFlow stored, FlowRun run, CancellationToken cancellationToken)
    {
        IntacctWork.MarkBackground(); // a run's requests go behind any click's at the Intacct limiter
        try
        {
            run = stored.Parse().Kind == FlowKinds.Push
                ? await push.ExecuteAsync(stored, run, cancellationToken)
                : await pull.ExecuteAsync(stored, run, cancellationToken);
            run = run with { State = RunStates.Succeeded, FinishedAt = time.GetUtcNow() };
            log.LogInformation("Run {RunId} of {FlowId} succeeded: {Read} read, {Created} created, {Updated} updated, {Unchanged} unchanged, {Failed} failed",
                run.Id, run.FlowId, run.ReadCount, run.CreatedCount, run.UpdatedCount, run.UnchangedCount, run.FailedCount);
        }
        catch (Exception ex) when (ex is IntacctException or CreatioException or FlowRefusedException or OperationCanceledException or HttpRequestException)
        {
            run = await flows.WithLoggedCountsAsync(run, CancellationToken.None) with { State = RunStates.Failed, FinishedAt = time.GetUtcNow(), Error = Describe(ex) };
            log.LogWarning(ex, "Run {RunId} of {FlowId} failed after {Read} records; the watermark stays where it was", run.Id, run.FlowId, run.ReadCount);
        }
        catch (Exception ex)
        {
            run = await flows.WithLoggedCountsAsync(run, CancellationToken.None) with { State = RunStates.Failed, FinishedAt = time.GetUtcNow(), Error = "Unexpected error: " + ex.Message };
            log.LogError(ex, "Run {RunId} of {FlowId} failed unexpectedly after {Read} records", run.Id, run.FlowId, run.ReadCount);
        }

        await flows.UpdateRunAsync(run, CancellationToken.None);
        return run;
    }

    private static string Describe(Exception ex) => ex switch
    {
        FlowRefusedException refused => $"{refused.Title}: {refused.Message}",
        OperationCanceledException => "The sidecar stopped during this run.",
        _ => ex.Message,
    };
}
