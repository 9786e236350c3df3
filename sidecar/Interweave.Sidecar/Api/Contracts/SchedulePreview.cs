namespace Interweave.Sidecar.Api.Contracts;

/// <summary>When a schedule would fire, as the scheduler computes it.</summary>
/// <param name="Cron">The expression previewed, trimmed; empty for manual runs only.</param>
/// <param name="Next">Its next firings after now, in UTC (three, or fewer when it stops firing); empty for manual runs only.</param>
/// <param name="MinimumIntervalSeconds">Interweave:Flows:MinimumScheduleIntervalSeconds, the shortest gap a schedule may have.</param>
public sealed record SchedulePreview(string Cron, IReadOnlyList<DateTimeOffset> Next, int MinimumIntervalSeconds);
