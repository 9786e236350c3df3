using System.Globalization;
using Quartz;

namespace Interweave.Sidecar.Flows.Engine;

/// <summary>
/// Which schedule a flow may have: a Quartz cron expression (UTC, seconds first) that fires within a year and never
/// more often than <see cref="FlowOptions.MinimumScheduleIntervalSeconds"/>. The same rule is checked when an admin
/// saves a schedule and when the scheduler takes one from the store, so a schedule that breaks it is refused in
/// words, never half-stored and never a reason for the sidecar not to start.
/// </summary>
public static class Schedules
{
    /// <summary>
    /// Firings checked for the interval. A cron expression is a product of its fields, so a short gap shows up within
    /// a day's firings; at one a minute, 1,500 is a day and more.
    /// </summary>
    public const int FiringsChecked = 1500;

    private const string Example = "e.g. \"0 0/15 * * * ?\" for every 15 minutes";

    /// <summary>Why the expression cannot be a flow's schedule, or null when it can.</summary>
    public static string? Problem(string expression, DateTimeOffset now, TimeSpan minimumInterval)
    {
        if (!CronExpression.TryParse(expression, out _))
            return $"'{expression}' is not a Quartz cron expression (seconds minutes hours day-of-month month day-of-week [year], in UTC), {Example}.";
        CronExpression cron;
        try
        {
            cron = new CronExpression(expression, TimeZoneInfo.Utc);
        }
        catch (FormatException ex)
        {
            return $"'{expression}' is not a Quartz cron expression: {ex.Message}";
        }

        if (cron.GetNextValidTimeAfter(now) is not { } first)
            return $"'{expression}' never fires after {Text(now)} (a date that does not exist, or a year in the past), {Example}.";
        if (first > now.AddYears(1))
            return $"'{expression}' does not fire within a year (next on {Text(first)}); give a schedule that fires at least once a year.";

        var previous = first;
        for (var i = 1; i < FiringsChecked && cron.GetNextValidTimeAfter(previous) is { } next && next <= now.AddYears(1); i++)
        {
            if (next - previous < minimumInterval)
                return $"'{expression}' fires more often than every {Interval(minimumInterval)} (at {Text(previous)} and again at {Text(next)}); " +
                       "each run costs Intacct API calls. Interweave:Flows:MinimumScheduleIntervalSeconds sets the limit.";
            previous = next;
        }

        return null;
    }

    /// <summary>The next firings of a valid expression after <paramref name="after"/>, in UTC.</summary>
    public static IReadOnlyList<DateTimeOffset> Next(string expression, DateTimeOffset after, int count)
    {
        var cron = new CronExpression(expression, TimeZoneInfo.Utc);
        var firings = new List<DateTimeOffset>(count);
        var at = after;
        while (firings.Count < count && cron.GetNextValidTimeAfter(at) is { } next)
        {
            firings.Add(next);
            at = next;
        }

        return firings;
    }

    private static string Text(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    private static string Interval(TimeSpan interval) =>
        interval.TotalSeconds % 60 == 0 ? $"{interval.TotalMinutes.ToString(CultureInfo.InvariantCulture)} minute(s)" : $"{interval.TotalSeconds.ToString(CultureInfo.InvariantCulture)} seconds";
}
