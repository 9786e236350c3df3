using Microsoft.Extensions.Options;
using Quartz;

namespace Interweave.Sidecar.Flows.Engine;

/// <summary>
/// On start: installs the flow templates, closes runs and releases send claims a crash left open, and schedules
/// every enabled flow.
/// <see cref="RescheduleAsync"/> applies an admin's change at once.
/// </summary>
public sealed class FlowScheduler(FlowStore flows, Storage.BindingRepository bindings, IEnumerable<IIncrementalFlow> kinds, ISchedulerFactory schedulers, IOptions<FlowOptions> options, ILogger<FlowScheduler> log) : IHostedService
{
    public const string JobGroup = "flows";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await flows.InstallTemplatesAsync(cancellationToken);
        var interrupted = await flows.InterruptRunningAsync(cancellationToken);
        if (interrupted > 0) log.LogWarning("{Count} run(s) were left running by a previous process and are now marked interrupted", interrupted);
        var released = await bindings.ReleaseAllClaimsAsync(cancellationToken);
        if (released > 0) log.LogWarning("{Count} send(s) to Intacct were left unfinished by a previous process; their records can be sent again", released);
        foreach (var flow in await flows.ListAsync(cancellationToken)) await RescheduleAsync(flow, cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task RescheduleAsync(StoredFlow flow, CancellationToken cancellationToken)
    {
        if (!options.Value.SchedulerEnabled) return;
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        var job = new JobKey(flow.Id, JobGroup);
        await scheduler.DeleteJob(job, cancellationToken);
        if (!flow.Enabled || string.IsNullOrWhiteSpace(flow.Schedule) || kinds.All(k => k.Kind != flow.Parse().Kind)) return;
        await scheduler.ScheduleJob(
            JobBuilder.Create<ScheduledFlowJob>().WithIdentity(job).Build(),
            TriggerBuilder.Create().WithIdentity(flow.Id, JobGroup).WithCronSchedule(flow.Schedule, c => c.InTimeZone(TimeZoneInfo.Utc).WithMisfireInstruction(CronTriggerMisfireInstruction.DoNothing)).Build(),
            new ScheduleJobOptions(), cancellationToken);
        log.LogInformation("Flow {FlowId} scheduled: {Schedule} (UTC)", flow.Id, flow.Schedule);
    }
}
