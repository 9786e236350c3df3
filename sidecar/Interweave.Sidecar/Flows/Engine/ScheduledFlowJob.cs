using Quartz;

namespace Interweave.Sidecar.Flows.Engine;

/// <summary>Quartz's job for a scheduled flow; one job per flow, never two at once.</summary>
[DisallowConcurrentExecution]
public sealed class ScheduledFlowJob(FlowRunner runner, ILogger<ScheduledFlowJob> log) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var flowId = context.JobDetail.Key.Name;
        try
        {
            await runner.RunAsync(flowId, "schedule", cancellationToken);
        }
        catch (FlowRefusedException ex)
        {
            log.LogInformation("Scheduled run of {FlowId} skipped: {Reason}", flowId, ex.Message);
        }
    }
}
