using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace Interweave.Sidecar.Security;

/// <summary>
/// Counts failed API key checks in fixed one-minute windows, per client address and per key (a generated key's prefix,
/// or one count for every key of another form, see <see cref="ApiKeyService.FamilyOf"/>). An address past its allowance
/// gets 429 for its wrong keys (a valid key from it still passes: it may be a shared proxy). A key past its allowance
/// is not checked at all for the rest of the window, from any address, so a guessing run spread over many addresses
/// learns nothing more than one from a single address would (security review F11).
/// </summary>
public sealed class FailedAuthenticationThrottle : IDisposable
{
    private readonly PartitionedRateLimiter<string> _byAddress;
    private readonly PartitionedRateLimiter<string> _byKey;

    public FailedAuthenticationThrottle(IOptions<ApiKeyOptions> options)
    {
        _byAddress = PerMinute(options.Value.FailedAttemptsPerMinute);
        _byKey = PerMinute(options.Value.FailedAttemptsPerKeyPerMinute);
    }

    public bool IsBlocked(string address) => Spent(_byAddress, address);

    public bool IsKeyBlocked(string keyFamily) => Spent(_byKey, keyFamily);

    public void RecordFailure(string address, string keyFamily)
    {
        using var byAddress = _byAddress.AttemptAcquire(address);
        using var byKey = _byKey.AttemptAcquire(keyFamily);
    }

    public void Dispose()
    {
        _byAddress.Dispose();
        _byKey.Dispose();
    }

    private static bool Spent(PartitionedRateLimiter<string> limiter, string partition) => limiter.GetStatistics(partition)?.CurrentAvailablePermits <= 0;

    private static PartitionedRateLimiter<string> PerMinute(int limit) => PartitionedRateLimiter.Create<string, string>(partition => RateLimitPartition.GetFixedWindowLimiter(
        partition,
        _ => new FixedWindowRateLimiterOptions { PermitLimit = limit, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
}
