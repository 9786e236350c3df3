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

    /// <summary>
    /// The most rows a flow's mapping may have (security review F10: 400,000 rows made GET /api/flows 70 MB). Intacct's
    /// customer object has about a hundred fields; the standard flows map a dozen.
    /// </summary>
    [System.ComponentModel.DataAnnotations.Range(1, 10_000)]
    public int MaxMappingRows { get; set; } = 200;

    /// <summary>The longest text in a mapping row (a field name, a constant, a format, a lookup's names) or a setting's value.</summary>
    [System.ComponentModel.DataAnnotations.Range(16, 100_000)]
    public int MaxMappingTextLength { get; set; } = 1000;
}
