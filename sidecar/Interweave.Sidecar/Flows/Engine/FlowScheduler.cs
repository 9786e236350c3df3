using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Quartz;

namespace Interweave.Sidecar.Flows.Engine;

/// <summary>
/// On start: installs the flow templates, closes runs and releases send claims a crash left open, and schedules
/// every enabled flow. A stored schedule that breaks the rules (<see cref="Schedules"/>) or that Quartz refuses is
/// logged, shown on its flow (<see cref="ProblemOf"/>) and left unscheduled; the sidecar starts all the same.
/// <see cref="RescheduleAsync"/> applies an admin's change at once.
/// </summary>
public sealed class FlowScheduler(FlowStore flows, Storage.BindingRepository bindings, IEnumerable<IIncrementalFlow> kinds, ISchedulerFactory schedulers,
    IOptions<FlowOptions> options, TimeProvider time, ILogger<FlowScheduler> log) : IHostedService
{
    public const string JobGroup = "flows";

    private readonly ConcurrentDictionary<string, (string Schedule, string Problem)> _problems = new(StringComparer.Ordinal);

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

    /// <summary>Why the flow's stored schedule is not in force (it breaks the rules, or the scheduler refused it); null when nothing is wrong.</summary>
    public string? ProblemOf(StoredFlow flow)
    {
        if (string.IsNullOrWhiteSpace(flow.Schedule)) return null;
        return _problems.TryGetValue(flow.Id, out var refused) && refused.Schedule == flow.Schedule
            ? refused.Problem
            : Schedules.Problem(flow.Schedule, time.GetUtcNow(), options.Value.MinimumScheduleInterval);
    }

    /// <summary>
    /// Puts the flow's schedule in force, or takes it out (turned off, no schedule, a button's flow). Answers why the
    /// schedule could not be put in force, or null; it never throws for a schedule.
    /// </summary>
    public async Task<string?> RescheduleAsync(StoredFlow flow, CancellationToken cancellationToken)
    {
        _problems.TryRemove(flow.Id, out _);
        if (!options.Value.SchedulerEnabled) return null;
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        var job = new JobKey(flow.Id, JobGroup);
        await scheduler.DeleteJob(job, cancellationToken);
        if (!flow.Enabled || string.IsNullOrWhiteSpace(flow.Schedule) || kinds.All(k => k.Kind != flow.Parse().Kind)) return null;
        var problem = Schedules.Problem(flow.Schedule, time.GetUtcNow(), options.Value.MinimumScheduleInterval);
        if (problem is null)
        {
            try
            {
                await scheduler.ScheduleJob(
                    JobBuilder.Create<ScheduledFlowJob>().WithIdentity(job).Build(),
                    TriggerBuilder.Create().WithIdentity(flow.Id, JobGroup)
                        .WithCronSchedule(flow.Schedule, c => c.InTimeZone(TimeZoneInfo.Utc).WithMisfireInstruction(CronTriggerMisfireInstruction.DoNothing)).Build(),
                    new ScheduleJobOptions(), cancellationToken);
                log.LogInformation("Flow {FlowId} scheduled: {Schedule} (UTC)", flow.Id, flow.Schedule);
                return null;
            }
            catch (Exception ex) when (ex is SchedulerException or FormatException)
            {
                problem = $"The scheduler refused '{flow.Schedule}': {ex.Message}";
            }
        }

        _problems[flow.Id] = (flow.Schedule, problem);
        log.LogWarning("Flow {FlowId} is not scheduled: {Problem}", flow.Id, problem);
        return problem;
    }
}
