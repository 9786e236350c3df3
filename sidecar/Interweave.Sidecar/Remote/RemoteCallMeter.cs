using System.Collections.Concurrent;
using System.Globalization;
using Dapper;
using Interweave.Sidecar.Storage;

namespace Interweave.Sidecar;

/// <summary>
/// Counts each HTTP request the sidecar makes to Intacct or Creatio, by system and hour: requests, Intacct functions,
/// failures, and the latency in fixed buckets. Counting is in memory (no store write per call); a hosted service adds
/// the counts to the store every minute and at shutdown, so a crash loses at most a minute of figures, never work.
/// </summary>
public sealed class RemoteCallMeter(Store store, TimeProvider time)
{
    /// <summary>Upper bounds of the latency buckets, in milliseconds; the last is open-ended.</summary>
    public static readonly int[] BucketBoundsMs = [25, 50, 100, 200, 300, 500, 750, 1000, 1500, 2000, 3000, 5000, 10_000, 30_000, 60_000, int.MaxValue];

    /// <summary>The bucket columns of remote_call_hours, b00 to b15, in bound order.</summary>
    private static readonly string[] BucketColumns = Enumerable.Range(0, BucketBoundsMs.Length).Select(i => $"b{i:00}").ToArray();

    private ConcurrentDictionary<(string System, DateTimeOffset Hour), Tally> _pending = new();

    // One flush at a time, and a read waits for a flush under way: counts taken out of memory are in the store before
    // anyone reads it (two dashboard reads at once would otherwise see an hour vanish and come back).
    private readonly SemaphoreSlim _flushing = new(1, 1);

    private sealed class Tally
    {
        public int Requests;
        public int Functions;
        public int Failures;
        public readonly int[] Buckets = new int[BucketBoundsMs.Length];
    }

    /// <summary>Records one request: its system (intacct or creatio), the functions it carried, how long it took, whether it failed.</summary>
    public void Record(string system, int functions, TimeSpan elapsed, bool failed)
    {
        var now = time.GetUtcNow();
        var hour = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, 0, 0, TimeSpan.Zero);
        var tally = _pending.GetOrAdd((system, hour), _ => new Tally());
        Interlocked.Increment(ref tally.Requests);
        Interlocked.Add(ref tally.Functions, functions);
        if (failed) Interlocked.Increment(ref tally.Failures);
        var ms = elapsed.TotalMilliseconds;
        Interlocked.Increment(ref tally.Buckets[Array.FindIndex(BucketBoundsMs, bound => ms <= bound)]);
    }

    /// <summary>Adds what was counted since the last flush to the store.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        await _flushing.WaitAsync(cancellationToken);
        try
        {
            await FlushLockedAsync(cancellationToken);
        }
        finally
        {
            _flushing.Release();
        }
    }

    private async Task FlushLockedAsync(CancellationToken cancellationToken)
    {
        var taken = Interlocked.Exchange(ref _pending, new ConcurrentDictionary<(string, DateTimeOffset), Tally>());
        if (taken.IsEmpty) return;
        var buckets = string.Join(", ", BucketColumns);
        var values = string.Join(", ", BucketColumns.Select(c => "@" + c));
        var adds = string.Join(", ", BucketColumns.Select(c => $"{c} = remote_call_hours.{c} + excluded.{c}"));
        var sql = $"""
            insert into remote_call_hours (system, hour, requests, functions, failures, {buckets})
            values (@system, @hour, @requests, @functions, @failures, {values})
            on conflict (system, hour) do update set requests = remote_call_hours.requests + excluded.requests,
                functions = remote_call_hours.functions + excluded.functions, failures = remote_call_hours.failures + excluded.failures, {adds}
            """;
        await using var connection = await store.OpenAsync(cancellationToken);
        foreach (var ((system, hour), tally) in taken)
        {
            var parameters = new DynamicParameters(new { system, hour, requests = tally.Requests, functions = tally.Functions, failures = tally.Failures });
            for (var i = 0; i < BucketColumns.Length; i++) parameters.Add(BucketColumns[i], tally.Buckets[i]);
            await connection.ExecuteAsync(new CommandDefinition(sql, parameters, cancellationToken: cancellationToken));
        }
    }

    /// <summary>The stored hours of [from, to), oldest first.</summary>
    public async Task<IReadOnlyList<RemoteCallHour>> ReadAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        await FlushAsync(cancellationToken);
        await using var connection = await store.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync(new CommandDefinition(
            $"select system, hour, requests, functions, failures, {string.Join(", ", BucketColumns)} from remote_call_hours where hour >= @from and hour < @to order by hour",
            new { from, to }, cancellationToken: cancellationToken));
        return rows.Select(row =>
        {
            var values = (IDictionary<string, object>)row;
            return new RemoteCallHour((string)values["system"], Hour(values["hour"]), Convert.ToInt32(values["requests"], CultureInfo.InvariantCulture),
                Convert.ToInt32(values["functions"], CultureInfo.InvariantCulture), Convert.ToInt32(values["failures"], CultureInfo.InvariantCulture),
                BucketColumns.Select(c => Convert.ToInt32(values[c], CultureInfo.InvariantCulture)).ToArray());
        }).ToList();
    }

    private static DateTimeOffset Hour(object value) => value switch
    {
        DateTimeOffset offset => offset,
        DateTime dateTime => new DateTimeOffset(DateTime.SpecifyKind(dateTime, DateTimeKind.Utc)),
        string text => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal),
        _ => throw new InvalidOperationException($"Unexpected hour value {value.GetType().Name}."),
    };

    /// <summary>The latency under which the given share of requests finished (the bucket bound it falls in); null without requests.</summary>
    public static int? Percentile(IReadOnlyList<int> buckets, double share)
    {
        var total = buckets.Sum();
        if (total == 0) return null;
        var wanted = Math.Ceiling(total * share);
        var seen = 0;
        for (var i = 0; i < buckets.Count; i++)
        {
            seen += buckets[i];
            if (seen >= wanted) return BucketBoundsMs[i] == int.MaxValue ? BucketBoundsMs[i - 1] : BucketBoundsMs[i];
        }

        return null;
    }
}

/// <summary>One system's calls in one hour.</summary>
public sealed record RemoteCallHour(string System, DateTimeOffset Hour, int Requests, int Functions, int Failures, int[] Buckets);

/// <summary>Adds the counted calls to the store every minute, and once more when the sidecar stops.</summary>
internal sealed class RemoteCallMeterFlusher(RemoteCallMeter meter, ILogger<RemoteCallMeterFlusher> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(1));
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken)) await FlushQuietlyAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await FlushQuietlyAsync(cancellationToken);
    }

    private async Task FlushQuietlyAsync(CancellationToken cancellationToken)
    {
        try
        {
            await meter.FlushAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is System.Data.Common.DbException or InvalidOperationException or OperationCanceledException)
        {
            // Figures for the dashboard are not worth failing anything for; the next flush tries again with new counts.
            log.LogWarning("Could not store the remote call counts: {Message}", ex.Message);
        }
    }
}
