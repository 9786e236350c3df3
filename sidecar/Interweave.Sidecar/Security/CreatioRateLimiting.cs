using System.Globalization;
using System.Security.Claims;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace Interweave.Sidecar.Security;

/// <summary>
/// The creatio key is the package's: every Creatio user reaches the buttons through it. Its calls go through a token
/// bucket per key (ASP.NET Core's rate limiter), so a flood from one key is refused with 429 and Retry-After after its
/// burst, while other keys go on; admin keys are not limited.
/// </summary>
public static class CreatioRateLimiting
{
    public const string Policy = "creatio-calls";

    public static IServiceCollection AddCreatioRateLimiting(this IServiceCollection services) =>
        services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.AddPolicy(Policy, context =>
            {
                if (context.User.IsInRole(Roles.Admin) || context.User.FindFirstValue(ClaimTypes.NameIdentifier) is not { } keyId)
                    return RateLimitPartition.GetNoLimiter("admin");
                var options = context.RequestServices.GetRequiredService<IOptions<ApiKeyOptions>>().Value;
                return RateLimitPartition.GetTokenBucketLimiter(keyId, _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = options.CreatioRequestBurst,
                    TokensPerPeriod = 1,
                    ReplenishmentPeriod = options.CreatioReplenishmentPeriod,
                    QueueLimit = 0,
                    AutoReplenishment = true,
                });
            });
            limiter.OnRejected = async (rejected, _) =>
            {
                var wait = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter)
                    ? retryAfter
                    : rejected.HttpContext.RequestServices.GetRequiredService<IOptions<ApiKeyOptions>>().Value.CreatioReplenishmentPeriod;
                var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
                rejected.HttpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                await TypedResults.Problem(title: "Too many requests from this key.",
                    detail: $"This key sent more requests than Interweave:ApiKeys:CreatioRequestBurst allows at once; try again in {seconds} s.",
                    statusCode: StatusCodes.Status429TooManyRequests).ExecuteAsync(rejected.HttpContext);
            };
        });
}
