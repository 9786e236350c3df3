using System.Threading.RateLimiting;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Polly;
using Polly.RateLimiting;
using Polly.Retry;

namespace Interweave.Sidecar.Intacct;

public static class IntacctServiceCollectionExtensions
{
    public static IServiceCollection AddIntacct(this IServiceCollection services)
    {
        services.AddOptions<IntacctOptions>().BindConfiguration(IntacctOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<IntacctOptions>, IntacctOptionsValidator>();
        services.AddSingleton<IntacctSessionCache>();
        services.AddSingleton<IntacctConnectionFactory>();
        // The client's own timeout applies per attempt; HttpClient's is only a backstop.
        // No redirects (a 307 or 308 would send the whole envelope, passwords included, to another address), no cookie
        // jar, and connections only to Interweave:AllowedRemoteHosts.
        services.TryAddSingleton<RemoteHosts>();
        services.AddHttpClient<IntacctGatewayClient>(http => http.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(provider => provider.GetRequiredService<RemoteHosts>().Handler());

        // One permit pool for reads and writes alike: Intacct counts every request against the company's limit.
        services.AddSingleton(provider => new IntacctRequestLimiter(provider.GetRequiredService<IOptions<IntacctOptions>>().Value.MaxConcurrency));

        // Only Transient and RateLimited are retried, each with its own count. The client classifies a write whose outcome is unknown as
        // UnknownOutcome, never Transient, so a write is re-sent only when Intacct provably did nothing; the
        // caller looks the record up before anything else.
        services.AddResiliencePipeline(IntacctGatewayClient.Pipeline, (pipeline, context) => Build(pipeline, context.ServiceProvider));
        return services;
    }

    private static void Build(ResiliencePipelineBuilder pipeline, IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<IntacctOptions>>().Value;
        pipeline.TimeProvider = services.GetRequiredService<TimeProvider>();
        void Retry(RemoteFailure failure, int attempts)
        {
            if (attempts <= 0) return;
            pipeline.AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<IntacctException>(ex => ex.Failure == failure),
                MaxRetryAttempts = attempts,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromMilliseconds(options.RetryBaseDelayMilliseconds),
                MaxDelay = TimeSpan.FromSeconds(options.MaxRetryDelaySeconds),
            });
        }

        Retry(RemoteFailure.Transient, options.MaxRetries);
        // Refusals for load have their own, longer count: a storm of 429s should slow work down, never fail it.
        Retry(RemoteFailure.RateLimited, options.RateLimitedRetries);

        pipeline.AddRateLimiter(new RateLimiterStrategyOptions
        {
            RateLimiter = args => services.GetRequiredService<IntacctRequestLimiter>().AcquireAsync(args.Context.CancellationToken),
        });
    }
}
