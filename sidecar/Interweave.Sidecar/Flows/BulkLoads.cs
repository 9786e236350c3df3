using System.Collections.Concurrent;
using System.Globalization;
using Interweave.Sidecar.Flows.Engine;
using Interweave.Sidecar.Intacct;
using Interweave.Sidecar.Storage;

namespace Interweave.Sidecar.Flows;

/// <summary>A bulk load as the API shows it: where it stands, how far it got, how fast, and how long it still needs.</summary>
/// <param name="Id">The load's number.</param>
/// <param name="State">Where it stands: a load whose records failed ends completedWithErrors, or failed when it wrote nothing.</param>
/// <param name="From">First day of the period loaded.</param>
/// <param name="To">Last day of the period loaded.</param>
/// <param name="Steps">The flows it runs, in dependency order.</param>
/// <param name="CurrentStep">The flow it is on; null once it ended.</param>
/// <param name="Done">Records read so far (the finished steps, and the step under way).</param>
/// <param name="Total">Records counted in Intacct when the load started.</param>
/// <param name="Failed">Records that failed and wait in the error queue.</param>
/// <param name="Written">Records created or updated in Creatio (the rest were already there as Intacct has them, or failed).</param>
/// <param name="RecordsPerSecond">Records read per second of running time (pauses do not count).</param>
/// <param name="SecondsLeft">At that rate, the time the rest needs; null before the rate is known.</param>
/// <param name="StartedAt">When it started.</param>
/// <param name="FinishedAt">When it ended.</param>
/// <param name="Error">Why it failed, when it did.</param>
public sealed record BulkLoadProgress(
    long Id, BulkLoadState State, DateOnly From, DateOnly To, IReadOnlyList<string> Steps, string? CurrentStep, int Done, int Total, int Failed,
    double RecordsPerSecond, double? SecondsLeft, DateTimeOffset StartedAt, DateTimeOffset? FinishedAt, string? Error, int Written = 0);

/// <summary>
/// The bulk history load (seed 000): the customers and items, then the invoices and payments of a period, loaded into
/// Creatio in dependency order through the shipped pull flows (the admin's mappings, the same pairing and the same
/// idempotent writes), at background priority at the Intacct limiter. Each finished step is a checkpoint kept in the
/// store; a load stopped by a pause, a restart or a kill -9 goes on from the step it was on, where the records
/// already written cost a read and no write. One load at a time.
/// </summary>
public sealed class BulkLoads(BulkLoadRepository loads, FlowRunner runner, FlowStore flows, PullFromIntacct pull, IncrementalRun skeleton, TimeProvider time,
    IHostApplicationLifetime lifetime, ILogger<BulkLoads> log)
{
    /// <summary>The flows a load runs, in order, and the date field that puts a record in the period (none: all of them).</summary>
    public static readonly IReadOnlyList<(string FlowId, string? DateField)> Steps =
        [("intacct-customers", null), ("intacct-items", null), ("intacct-invoices", "WHENCREATED"), ("intacct-adjustments", "WHENCREATED"),
         ("intacct-payments", "RECEIPTDATE")];

    private readonly ConcurrentDictionary<long, (CancellationTokenSource Stop, Task Work)> _working = new();

    /// <summary>
    /// The earliest day a load may ask for. Intacct's date fields take mm/dd/yyyy (its XML API); what the earliest
    /// date it stores is, no public source says, so 1900-01-01 is our assumption, far before any company's books, which
    /// keeps years such as 0001 (which a query would send as 01/01/0001) from ever reaching it.
    /// </summary>
    public static readonly DateOnly EarliestDay = new(1900, 1, 1);

    /// <summary>
    /// Starts a load of the period, by default the current and the prior calendar year (we do not read the company's
    /// fiscal year start from Intacct: give <paramref name="from"/> when it differs). Counts first, one request per step.
    /// </summary>
    public async Task<BulkLoadProgress> StartAsync(DateOnly? from, DateOnly? to, CancellationToken cancellationToken)
    {
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        var (start, end) = (from ?? new DateOnly(today.Year - 1, 1, 1), to ?? today);
        if (start < EarliestDay || end < EarliestDay)
            throw new FlowRefusedException(RefusalReason.Invalid, "The period is outside what Intacct holds",
                $"The period must start on or after {EarliestDay:yyyy-MM-dd}; it was {start:yyyy-MM-dd} to {end:yyyy-MM-dd}.");
        // A day ahead of UTC's today is allowed: somewhere in the world it is already that day.
        if (start > today.AddDays(1) || end > today.AddDays(1))
            throw new FlowRefusedException(RefusalReason.Invalid, "The period is in the future",
                $"Intacct holds no records from the future: the period {start:yyyy-MM-dd} to {end:yyyy-MM-dd} ends after today ({today:yyyy-MM-dd}); leave 'to' out for today.");
        if (start > end) throw new FlowRefusedException(RefusalReason.Invalid, "The period is empty", $"The period starts on {start:yyyy-MM-dd}, after it ends on {end:yyyy-MM-dd}.");
        // A load runs every step's flow; one turned off would fail it halfway, so it does not start.
        foreach (var step in Steps) await flows.GetEnabledAsync(step.FlowId, cancellationToken);
        var total = 0;
        foreach (var step in Steps)
        {
            var context = await skeleton.ContextAsync(await flows.GetEffectiveAsync(step.FlowId, cancellationToken), force: false, cancellationToken) with
            {
                Scope = ScopeOf(step.DateField, start, end),
            };
            total += await pull.CountAsync(context, cancellationToken);
        }

        var load = await loads.TryAddAsync(Text(start), Text(end), total, time.GetUtcNow(), cancellationToken)
                   ?? throw new FlowRefusedException(RefusalReason.Busy, "A bulk load is under way", "Another bulk load is running or paused; finish or cancel it first.");
        log.LogInformation("Bulk load {LoadId} started for {From} to {To}: {Total} records", load.Id, Text(start), Text(end), total);
        Launch(load.Id);
        return await ProgressAsync(load.Id, cancellationToken) ?? throw new InvalidOperationException($"Bulk load {load.Id} vanished.");
    }

    public Task<BulkLoadProgress> PauseAsync(long id, CancellationToken cancellationToken) => MoveAsync(id, ["running"], "paused", cancellationToken);

    public Task<BulkLoadProgress> CancelAsync(long id, CancellationToken cancellationToken) => MoveAsync(id, ["running", "paused"], "cancelled", cancellationToken);

    public async Task<BulkLoadProgress> ResumeAsync(long id, CancellationToken cancellationToken)
    {
        var progress = await MoveAsync(id, ["paused"], "running", cancellationToken);
        if (_working.TryGetValue(id, out var paused)) await paused.Work; // the paused work ends at its next await
        Launch(id);
        return progress;
    }

    /// <summary>At start-up: the loads a stop or a crash left running go on from their checkpoint.</summary>
    public async Task ResumeInterruptedAsync(CancellationToken cancellationToken)
    {
        foreach (var load in await loads.ListAsync("running", 10, cancellationToken))
        {
            log.LogWarning("Bulk load {LoadId} was running when the sidecar stopped; it goes on from step {Step}", load.Id, load.Step + 1);
            Launch(load.Id);
        }
    }

    public async Task<IReadOnlyList<BulkLoadProgress>> ListAsync(int limit, CancellationToken cancellationToken)
    {
        var list = new List<BulkLoadProgress>();
        foreach (var load in await loads.ListAsync(null, limit, cancellationToken)) list.Add(await ProgressOfAsync(load, cancellationToken));
        return list;
    }

    public async Task<BulkLoadProgress?> ProgressAsync(long id, CancellationToken cancellationToken) =>
        await loads.GetAsync(id, cancellationToken) is { } load ? await ProgressOfAsync(load, cancellationToken) : null;

    private async Task<BulkLoadProgress> ProgressOfAsync(StoredBulkLoad load, CancellationToken cancellationToken)
    {
        var current = load.CurrentRunId is { } runId ? await flows.GetRunAsync(runId, cancellationToken) : null;
        var done = load.Done + (current?.ReadCount ?? 0);
        var state = WireNames.TryParse<BulkLoadState>(load.State, out var parsed) ? parsed : throw new InvalidOperationException($"Bulk load {load.Id} is in an unknown state '{load.State}'.");
        var running = load.State == "running" && load.ResumedAt is { } resumed ? Math.Max(0, (time.GetUtcNow() - resumed).TotalSeconds) : 0;
        var seconds = load.ActiveSeconds + running;
        var rate = seconds > 0 ? done / seconds : 0;
        return new BulkLoadProgress(load.Id, state, DateOnly.Parse(load.PeriodFrom, CultureInfo.InvariantCulture), DateOnly.Parse(load.PeriodTo, CultureInfo.InvariantCulture),
            Steps.Select(s => s.FlowId).ToList(), load.Step < Steps.Count && load.FinishedAt is null ? Steps[load.Step].FlowId : null, done, load.Total,
            load.Failed + (current?.FailedCount ?? 0), Math.Round(rate, 2), rate > 0 ? Math.Round(Math.Max(0, load.Total - done) / rate, 1) : null, load.StartedAt,
            load.FinishedAt, load.Error, load.Written + (current is null ? 0 : current.CreatedCount + current.UpdatedCount));
    }

    private async Task<BulkLoadProgress> MoveAsync(long id, string[] from, string to, CancellationToken cancellationToken)
    {
        var load = await loads.GetAsync(id, cancellationToken) ?? throw new FlowRefusedException(RefusalReason.NotFound, "No such bulk load", $"There is no bulk load {id}.");
        if (!await loads.TryMoveAsync(id, from, to, time.GetUtcNow(), null, cancellationToken))
            throw new FlowRefusedException(RefusalReason.Busy, $"The bulk load is {load.State}", $"Bulk load {id} is {load.State}; only a {string.Join(" or ", from)} load can become {to}.");
        if (to != "running" && _working.TryGetValue(id, out var working)) await working.Stop.CancelAsync();
        log.LogInformation("Bulk load {LoadId} is {State}", id, to);
        return (await ProgressAsync(id, cancellationToken))!;
    }

    private void Launch(long id)
    {
        var stop = CancellationTokenSource.CreateLinkedTokenSource(lifetime.ApplicationStopping);
        var start = new TaskCompletionSource<bool>();
        var work = Task.Run(async () =>
        {
            if (await start.Task) await WorkAsync(id, stop);
            else stop.Dispose(); // already working; this one never starts
        }, CancellationToken.None);
        start.SetResult(_working.TryAdd(id, (stop, work)));
    }

    private async Task WorkAsync(long id, CancellationTokenSource stop)
    {
        IntacctWork.MarkBackground(); // at the limiter, clicks go first
        var token = stop.Token;
        try
        {
            while (!token.IsCancellationRequested && await loads.GetAsync(id, token) is { State: "running" } load)
            {
                if (load.Step >= Steps.Count)
                {
                    var (end, error) = Concluded(load);
                    await loads.TryMoveAsync(id, ["running"], WireNames.Of(end), time.GetUtcNow(), error, CancellationToken.None);
                    log.LogInformation("Bulk load {LoadId} ended {State}: {Done} records, {Written} written, {Failed} failed", id, WireNames.Of(end), load.Done, load.Written,
                        load.Failed);
                    return;
                }

                var (flowId, dateField) = Steps[load.Step];
                var scope = ScopeOf(dateField, DateOnly.Parse(load.PeriodFrom, CultureInfo.InvariantCulture), DateOnly.Parse(load.PeriodTo, CultureInfo.InvariantCulture));
                var run = await runner.RunScopedAsync(flowId, "bulk-load", scope, started => loads.SetCurrentRunAsync(id, started.Id, CancellationToken.None), token);
                if (token.IsCancellationRequested) return; // paused, cancelled, or the sidecar is stopping: the load's state says which
                if (!run.ReachedEnd) // a step whose records failed goes on: they wait in the error queue
                {
                    await loads.TryMoveAsync(id, ["running"], "failed", time.GetUtcNow(), $"{flowId}: {run.Error}", CancellationToken.None);
                    log.LogWarning("Bulk load {LoadId} failed in {FlowId}: {Error}", id, flowId, run.Error);
                    return;
                }

                await loads.CompleteStepAsync(id, run.ReadCount, run.CreatedCount + run.UpdatedCount, run.FailedCount, CancellationToken.None);
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            log.LogError(ex, "Bulk load {LoadId} failed", id);
            await loads.TryMoveAsync(id, ["running"], "failed", time.GetUtcNow(), ex.Message, CancellationToken.None);
        }
        finally
        {
            _working.TryRemove(id, out _);
            stop.Dispose();
        }
    }

    /// <summary>
    /// How a load that ran every step ends, as a run does: succeeded when nothing failed; failed when records failed and
    /// nothing was written (a load that brought nothing is not a success with a footnote); completed with errors otherwise.
    /// </summary>
    private static (BulkLoadState State, string? Error) Concluded(StoredBulkLoad load) => load switch
    {
        { Failed: 0 } => (BulkLoadState.Succeeded, null),
        { Written: 0 } => (BulkLoadState.Failed, $"Nothing was written and {load.Failed} of {load.Done} records failed; they wait in the error queue."),
        _ => (BulkLoadState.CompletedWithErrors, null),
    };

    internal static RunScope ScopeOf(string? dateField, DateOnly from, DateOnly to) => dateField is null ? RunScope.Everything : new RunScope(dateField, from, to);

    private static string Text(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
