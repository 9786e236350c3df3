using System.Net;
using System.Threading.RateLimiting;
using Interweave.Sidecar.Api.Contracts;
using Interweave.Sidecar.Flows.Engine;
using Interweave.Sidecar.Intacct;
using Interweave.Sidecar.Storage;
using Interweave.Sidecar.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Interweave.Sidecar.Tests;

/// <summary>Clicks go ahead of scheduled work at the company's request allowance.</summary>
public sealed class IntacctRequestLimiterTests
{
    private static async Task<RateLimitLease> AcquireAsBackgroundAsync(IntacctRequestLimiter limiter)
    {
        IntacctWork.MarkBackground();
        return await limiter.AcquireAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Background_work_uses_every_permit_but_one_and_the_last_is_left_for_clicks()
    {
        using var limiter = new IntacctRequestLimiter(maxConcurrency: 4);

        var running = new[] { await AcquireAsBackgroundAsync(limiter), await AcquireAsBackgroundAsync(limiter), await AcquireAsBackgroundAsync(limiter) };
        var fourth = AcquireAsBackgroundAsync(limiter);
        var click = limiter.AcquireAsync(CancellationToken.None).AsTask();

        Assert.All(running, lease => Assert.True(lease.IsAcquired));
        Assert.False(fourth.IsCompleted);
        Assert.True(click.IsCompletedSuccessfully);
        (await click).Dispose();
        running[0].Dispose();
        using var next = await fourth.WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);
        Assert.True(next.IsAcquired);
        foreach (var lease in running.Skip(1)) lease.Dispose();
    }

    [Fact]
    public async Task A_click_waits_behind_at_most_one_background_request_however_many_are_queued()
    {
        using var limiter = new IntacctRequestLimiter(maxConcurrency: 2);

        var running = await AcquireAsBackgroundAsync(limiter);
        var queued = Enumerable.Range(0, 5).Select(_ => AcquireAsBackgroundAsync(limiter)).ToList();
        Assert.False(IntacctWork.IsBackground); // the mark stayed inside the helper
        var click = limiter.AcquireAsync(CancellationToken.None).AsTask();

        // Both permits: one for the running background request, one for the click; the other five wait.
        Assert.True(running.IsAcquired);
        Assert.True(click.IsCompletedSuccessfully);
        using var clickLease = await click;
        Assert.True(clickLease.IsAcquired);
        Assert.All(queued, q => Assert.False(q.IsCompleted));
        Assert.Equal(6, limiter.BackgroundRequests);

        running.Dispose();
        var next = await queued[0].WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);
        Assert.True(next.IsAcquired);
        Assert.All(queued.Skip(1), q => Assert.False(q.IsCompleted)); // still one background request at a time
        next.Dispose();
        foreach (var lease in await Task.WhenAll(queued.Skip(1).Select(async q =>
                 {
                     var lease = await q.WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);
                     lease.Dispose(); // each lets the next one through
                     return lease;
                 })))
            Assert.True(lease.IsAcquired);
    }
}

/// <summary>Runs count as background work at the limiter, clicks do not.</summary>
public sealed class IntacctWorkMarkingTests(PostgresServer postgres) : SimulatedSystemsTestBase(StoreProvider.Sqlite, postgres, intacctRandomSeed: 23)
{
    [Fact]
    public async Task Runs_are_background_work_and_a_send_is_not()
    {
        var limiter = Sidecar.Services.GetRequiredService<IntacctRequestLimiter>();
        var sent = await AdminClient().PostAsync("/api/opportunities/d0000000-0000-4000-8000-000000000001/send-to-intacct", null, Cancellation);
        Assert.Equal(HttpStatusCode.OK, sent.StatusCode);
        Assert.Equal(0, limiter.BackgroundRequests);

        var run = await RunAsync("intacct-customers");

        Assert.Equal(RunState.Succeeded, run.State);
        Assert.True(limiter.BackgroundRequests > 0, "the run's Intacct requests were not marked as background work");
    }
}
