namespace Interweave.Sidecar.Flows.Engine;

public sealed class FlowOptions
{
    /// <summary>
    /// How far before the watermark each incremental pull starts reading again. Covers records modified while a
    /// run was reading and clock skew between the sidecar and Intacct; re-read records are recognised as unchanged.
    /// </summary>
    public TimeSpan WatermarkOverlap { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Records a run writes together: Creatio gets them in $batch requests of 100, Intacct in requests of up to
    /// 100 functions, and the run's progress is saved after each page. Bigger pages mean fewer round trips (a
    /// page of 1,000 paired rows is read back from Intacct in one request) and coarser progress.
    /// </summary>
    [System.ComponentModel.DataAnnotations.Range(1, 10_000)]
    public int PageSize { get; set; } = 1000;

    /// <summary>Whether enabled flows run on their schedules (Quartz). Off, only manual runs happen.</summary>
    public bool SchedulerEnabled { get; set; } = true;

    /// <summary>
    /// The shortest time a schedule may leave between two runs of a flow. Each run costs at least one Intacct request
    /// (every second is some 86,400 a day), so a schedule that fires more often is refused.
    /// </summary>
    [System.ComponentModel.DataAnnotations.Range(1, 86_400)]
    public int MinimumScheduleIntervalSeconds { get; set; } = 60;

    public TimeSpan MinimumScheduleInterval => TimeSpan.FromSeconds(MinimumScheduleIntervalSeconds);
}
