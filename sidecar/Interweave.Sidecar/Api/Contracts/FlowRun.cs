using Interweave.Sidecar.Flows.Engine;

namespace Interweave.Sidecar.Api.Contracts;

/// <summary>One run of a flow as the API shows it.</summary>
/// <param name="Id">The run's number; GET /api/runs/{id} follows it.</param>
/// <param name="FlowId">The flow that ran.</param>
/// <param name="Trigger">What started it: manual, schedule, retry, bulk-load, or button (a click on Send to Intacct or Sync with Intacct in Creatio).</param>
/// <param name="State">Where it stands: running; succeeded (every record went through); completedWithErrors (it read to the end and some records failed: they wait in the error queue); failed (it stopped as a whole, or every record it tried failed); or interrupted (a crash, a shutdown, or a pause or cancel of its bulk load stopped it).</param>
/// <param name="StartedAt">When it started.</param>
/// <param name="FinishedAt">When it ended; null while it runs.</param>
/// <param name="ReadCount">Records read so far.</param>
/// <param name="CreatedCount">Records created in the target.</param>
/// <param name="UpdatedCount">Records updated in the target.</param>
/// <param name="UnchangedCount">Records that needed no write.</param>
/// <param name="FailedCount">Records that failed and wait in the error queue.</param>
/// <param name="WatermarkFrom">The modification time the run read from (the last watermark less the overlap); null for a first run.</param>
/// <param name="WatermarkTo">The watermark the run left; null while it runs.</param>
/// <param name="Error">Why the run failed or stopped early, when it did.</param>
/// <param name="RequestedBy">The name of the API key that asked for the run (Run now, a retry, a button's click); null for a schedule's.</param>
/// <param name="TotalCount">How many records the run will read, once the source has said so at its first page (Intacct's totalcount, Creatio's $count); null until then.</param>
public sealed record FlowRun(
    long Id, string FlowId, string Trigger, RunState State, DateTimeOffset StartedAt, DateTimeOffset? FinishedAt, int ReadCount, int CreatedCount,
    int UpdatedCount, int UnchangedCount, int FailedCount, DateTimeOffset? WatermarkFrom, DateTimeOffset? WatermarkTo, string? Error, int? TotalCount, string? RequestedBy)
{
    public static FlowRun From(StoredRun run) =>
        new(run.Id, run.FlowId, run.Trigger, run.State, run.StartedAt, run.FinishedAt, run.ReadCount, run.CreatedCount, run.UpdatedCount, run.UnchangedCount,
            run.FailedCount, run.WatermarkFrom, run.WatermarkTo, run.Error, run.TotalCount, run.RequestedBy);
}
