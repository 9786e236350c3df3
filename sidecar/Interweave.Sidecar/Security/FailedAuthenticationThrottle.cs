using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace Interweave.Sidecar.Security;

/// <summary>
/// Counts failed API key checks per client address in a fixed one-minute window; once the window's allowance is spent,
/// further wrong keys from that address are answered 429 (a valid key from it still passes).
/// </summary>
public sealed class FailedAuthenticationThrottle : IDisposable
{
    private readonly PartitionedRateLimiter<string> _failures;

    public FailedAuthenticationThrottle(IOptions<ApiKeyOptions> options)
    {
        var limit = options.Value.FailedAttemptsPerMinute;
        _failures = PartitionedRateLimiter.Create<string, string>(address => RateLimitPartition.GetFixedWindowLimiter(
            address,
            _ => new FixedWindowRateLimiterOptions { PermitLimit = limit, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
    }

    public bool IsBlocked(string address) => _failures.GetStatistics(address)?.CurrentAvailablePermits <= 0;

    public void RecordFailure(string address)
    {
        using var lease = _failures.AttemptAcquire(address);
    }

    public void Dispose() => _failures.Dispose();
}
