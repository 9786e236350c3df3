using Interweave.Sidecar.Flows.Engine;
using Interweave.Sidecar.Intacct;
using Interweave.Sidecar.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Interweave.Sidecar.Api;

/// <summary>The calls made to the two systems over a range, for the dashboard.</summary>
/// <param name="From">The start of the range (UTC, on a bucket boundary).</param>
/// <param name="To">Its end (now).</param>
/// <param name="Bucket">hour (range 24h) or day (range 30d).</param>
/// <param name="Calls">Per bucket and system: requests, Intacct functions, failed requests, p50 and p95 latency.</param>
/// <param name="Latency">Per system over the whole range: requests, failures, p50 and p95 latency in milliseconds.</param>
/// <param name="IntacctFunctionsThisMonth">Intacct functions sent since the first of this month (UTC).</param>
/// <param name="IntacctMonthlyBudget">Interweave:Intacct:MonthlyCallBudget, or null when not set.</param>
/// <param name="Business">What the flows did over the range (since From) and what waits now, counted in the store: the dashboard's first row.</param>
public sealed record MetricsView(DateTimeOffset From, DateTimeOffset To, string Bucket, IReadOnlyList<RemoteCallPoint> Calls, IReadOnlyList<RemoteCallPoint> Latency,
    int IntacctFunctionsThisMonth, int? IntacctMonthlyBudget, BusinessCounts Business);

/// <summary>The flows' work in business terms.</summary>
/// <param name="DocumentsSent">Sales documents (or AR invoices) Send to Intacct created over the range; a repeated send creates none.</param>
/// <param name="Flows">Every flow, with its name and whether it is on, and over the range its runs and the records they created, updated and failed (zeros when it did not run). Invoices and payments brought into Creatio are intacct-invoices' and intacct-payments' created plus updated.</param>
/// <param name="RecordsWaitingOnError">Records with an open error now, each counted once.</param>
/// <param name="StoppedRuns">Open errors of runs that stopped as a whole (an unreachable system, a refused sign-in).</param>
/// <param name="FlowsOff">Flows switched off now.</param>
public sealed record BusinessCounts(int DocumentsSent, IReadOnlyList<FlowActivity> Flows, int RecordsWaitingOnError, int StoppedRuns, int FlowsOff);

/// <summary>One flow's work over the range.</summary>
/// <param name="FlowId">The flow's id (the console's #/runs?flow= filter takes it).</param>
/// <param name="Name">Its name.</param>
/// <param name="Enabled">Whether it is switched on now.</param>
/// <param name="Runs">Runs started in the range.</param>
/// <param name="Created">Records those runs created in their target.</param>
/// <param name="Updated">Records they updated.</param>
/// <param name="Failed">Records that failed.</param>
/// <param name="RunsFailed">Runs that ended failed.</param>
/// <param name="RunsCompletedWithErrors">Runs that ended completed with errors.</param>
/// <param name="RunsRunning">Runs still running.</param>
public sealed record FlowActivity(string FlowId, string Name, bool Enabled, int Runs, int Created, int Updated, int Failed, int RunsFailed, int RunsCompletedWithErrors,
    int RunsRunning);

/// <summary>One system's calls in a bucket (or over the range).</summary>
/// <param name="Start">The bucket's start (the range's start for totals).</param>
/// <param name="System">intacct or creatio.</param>
/// <param name="Requests">HTTP requests sent.</param>
/// <param name="Functions">Intacct functions they carried (for Creatio, the requests again).</param>
/// <param name="Failures">Requests that failed as requests: no answer, 5xx, 429.</param>
/// <param name="P50Ms">Half the requests took at most this long (the latency bucket's bound); null without requests.</param>
/// <param name="P95Ms">95 % of the requests took at most this long; null without requests.</param>
public sealed record RemoteCallPoint(DateTimeOffset Start, string System, int Requests, int Functions, int Failures, int? P50Ms, int? P95Ms);

public static class MetricsApi
{
    public static IEndpointRouteBuilder MapMetrics(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/metrics", Get).WithTags("Status").WithName("GetMetrics").RequireAuthorization(Policies.Operations)
            .ProducesValidationProblem();
        return endpoints;
    }

    /// <summary>Shows the calls made to Intacct and Creatio over the last 24 hours or 30 days.</summary>
    /// <remarks>
    /// <c>range</c> is 24h (hourly buckets, the default) or 30d (daily). Counted as the sidecar sends them and kept
    /// in the store, added every minute: latency percentiles are the bounds of fixed buckets (25 ms to 60 s).
    /// <c>business</c> counts what the flows did over the same range (documents sent, records created and updated
    /// per flow) and what waits now (records with an open error, flows switched off).
    /// </remarks>
    internal static async Task<Results<Ok<MetricsView>, ValidationProblem>> Get(string? range, RemoteCallMeter meter, TimeProvider time, IOptions<IntacctOptions> intacct,
        ActivityCounts activity, FlowStore flows, CancellationToken cancellationToken)
    {
        if (range is not (null or "24h" or "30d"))
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["range"] = ["Use 24h or 30d."] });
        var now = time.GetUtcNow();
        var daily = range == "30d";
        var hourStart = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, 0, 0, TimeSpan.Zero);
        var from = daily ? new DateTimeOffset(now.Year, now.Month, now.Day, 0, 0, 0, TimeSpan.Zero).AddDays(-29) : hourStart.AddHours(-23);
        var monthStart = new DateTimeOffset(now.Year, now.Month, 1, 0, 0, 0, TimeSpan.Zero);
        var hours = await meter.ReadAsync(from < monthStart ? from : monthStart, now.AddHours(1), cancellationToken);

        RemoteCallPoint Sum(DateTimeOffset start, string system, IEnumerable<RemoteCallHour> rows)
        {
            var list = rows.ToList();
            var buckets = Enumerable.Range(0, RemoteCallMeter.BucketBoundsMs.Length).Select(i => list.Sum(r => r.Buckets[i])).ToArray();
            return new RemoteCallPoint(start, system, list.Sum(r => r.Requests), list.Sum(r => r.Functions), list.Sum(r => r.Failures),
                RemoteCallMeter.Percentile(buckets, 0.50), RemoteCallMeter.Percentile(buckets, 0.95));
        }

        var inRange = hours.Where(h => h.Hour >= from).ToList();
        var calls = inRange.GroupBy(h => (Start: daily ? new DateTimeOffset(h.Hour.Year, h.Hour.Month, h.Hour.Day, 0, 0, 0, TimeSpan.Zero) : h.Hour, h.System))
            .OrderBy(g => g.Key.Start).ThenBy(g => g.Key.System, StringComparer.Ordinal)
            .Select(g => Sum(g.Key.Start, g.Key.System, g)).ToList();
        var latency = new[] { "intacct", "creatio" }.Select(system => Sum(from, system, inRange.Where(h => h.System == system))).ToList();
        var thisMonth = hours.Where(h => h.System == "intacct" && h.Hour >= monthStart).Sum(h => h.Functions);
        return TypedResults.Ok(new MetricsView(from, now, daily ? "day" : "hour", calls, latency, thisMonth, intacct.Value.MonthlyCallBudget,
            await BusinessAsync(from, activity, flows, cancellationToken)));
    }

    private static async Task<BusinessCounts> BusinessAsync(DateTimeOffset from, ActivityCounts activity, FlowStore flows, CancellationToken cancellationToken)
    {
        var all = await flows.ListAsync(cancellationToken);
        var ran = (await activity.PerFlowAsync(from, cancellationToken)).ToDictionary(r => r.FlowId, StringComparer.Ordinal);
        var perFlow = all.Select(f => (Flow: f, Definition: f.Parse())).Select(f => ran.GetValueOrDefault(f.Flow.Id) is { } r
                ? new FlowActivity(f.Flow.Id, f.Definition.Name, f.Flow.Enabled, r.Runs, r.Created, r.Updated, r.Failed, r.RunsFailed, r.RunsCompletedWithErrors, r.RunsRunning)
                : new FlowActivity(f.Flow.Id, f.Definition.Name, f.Flow.Enabled, 0, 0, 0, 0, 0, 0, 0))
            .ToList();
        var (records, runs) = await activity.OpenErrorsAsync(cancellationToken);
        return new BusinessCounts(await activity.DocumentsSentAsync(from, cancellationToken), perFlow, records, runs, all.Count(f => !f.Enabled));
    }
}
