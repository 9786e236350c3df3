namespace Interweave.Sidecar.Flows.Engine;

public sealed class FlowOptions
{
    /// <summary>
    /// How far before the watermark each incremental pull starts reading again. Covers records modified while a
    /// run was reading and clock skew between the sidecar and Intacct; re-read records are recognised as unchanged.
    /// </summary>
    public TimeSpan WatermarkOverlap { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Whether enabled flows run on their schedules (Quartz). Off, only manual runs happen.</summary>
    public bool SchedulerEnabled { get; set; } = true;
}
