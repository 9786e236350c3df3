using System.Threading.RateLimiting;

namespace Interweave.Sidecar.Intacct;

/// <summary>
/// The company's request allowance (Interweave:Intacct:MaxConcurrency requests in flight), shared by every caller,
/// with clicks ahead of scheduled work: background work (flow runs) first passes a gate that holds it to all
/// permits but one, so one is always left for clicks, however many runs are under way. With an allowance of
/// one, a click waits behind at most one background request.
/// </summary>
public sealed class IntacctRequestLimiter(int maxConcurrency) : IDisposable
{
    private readonly ConcurrencyLimiter _pool = new(new ConcurrencyLimiterOptions
    {
        PermitLimit = maxConcurrency,
        QueueLimit = int.MaxValue,
        QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
    });

    private readonly ConcurrencyLimiter _backgroundGate = new(new ConcurrencyLimiterOptions
    {
        PermitLimit = Math.Max(1, maxConcurrency - 1),
        QueueLimit = int.MaxValue,
        QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
    });

    private long _backgroundRequests;

    /// <summary>How many requests went through as background work (for tests and diagnostics).</summary>
    public long BackgroundRequests => Interlocked.Read(ref _backgroundRequests);

    public async ValueTask<RateLimitLease> AcquireAsync(CancellationToken cancellationToken)
    {
        if (!IntacctWork.IsBackground) return await _pool.AcquireAsync(1, cancellationToken);

        Interlocked.Increment(ref _backgroundRequests);
        var gate = await _backgroundGate.AcquireAsync(1, cancellationToken);
        try
        {
            var permit = await _pool.AcquireAsync(1, cancellationToken);
            return new BothLeases(gate, permit);
        }
        catch
        {
            gate.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        _pool.Dispose();
        _backgroundGate.Dispose();
    }

    /// <summary>Holds the gate and the pool permit together; acquired only when both were.</summary>
    private sealed class BothLeases(RateLimitLease gate, RateLimitLease permit) : RateLimitLease
    {
        public override bool IsAcquired => gate.IsAcquired && permit.IsAcquired;

        public override IEnumerable<string> MetadataNames => permit.MetadataNames;

        public override bool TryGetMetadata(string metadataName, out object? metadata) => permit.TryGetMetadata(metadataName, out metadata);

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                permit.Dispose();
                gate.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}

/// <summary>Marks the current flow of work as background (scheduled or started runs) for <see cref="IntacctRequestLimiter"/>.</summary>
public static class IntacctWork
{
    private static readonly AsyncLocal<bool> Background = new();

    public static bool IsBackground => Background.Value;

    /// <summary>
    /// From here on, in this async method and what it awaits, Intacct requests count as background work. The
    /// mark ends with the async method that set it, since each async method restores its caller's context.
    /// </summary>
    public static void MarkBackground() => Background.Value = true;
}
