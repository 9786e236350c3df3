using System.Threading.RateLimiting;
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
        services.AddHttpClient<IntacctGatewayClient>(http => http.Timeout = Timeout.InfiniteTimeSpan);

        // One permit pool for reads and writes alike: Intacct counts every request against the company's limit.
        services.AddSingleton(provider => new ConcurrencyLimiter(new ConcurrencyLimiterOptions
        {
            PermitLimit = provider.GetRequiredService<IOptions<IntacctOptions>>().Value.MaxConcurrency,
            QueueLimit = int.MaxValue,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        }));

        // Reads are retried on anything transient. Writes only when Intacct provably did nothing (refused or
        // never reached); an unknown outcome goes back to the caller, who looks the record up first.
        services.AddResiliencePipeline(IntacctGatewayClient.ReadPipeline, (pipeline, context) =>
            Build(pipeline, context.ServiceProvider, failure => failure is RemoteFailure.Transient or RemoteFailure.RateLimited));
        services.AddResiliencePipeline(IntacctGatewayClient.WritePipeline, (pipeline, context) =>
            Build(pipeline, context.ServiceProvider, failure => failure is RemoteFailure.RateLimited or RemoteFailure.Transient));
        return services;
    }

    private static void Build(ResiliencePipelineBuilder pipeline, IServiceProvider services, Func<RemoteFailure, bool> retryable)
    {
        var options = services.GetRequiredService<IOptions<IntacctOptions>>().Value;
        pipeline.TimeProvider = services.GetRequiredService<TimeProvider>();
        if (options.MaxRetries > 0)
        {
            pipeline.AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<IntacctException>(ex => retryable(ex.Failure)),
                MaxRetryAttempts = options.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromMilliseconds(options.RetryBaseDelayMilliseconds),
            });
        }

        pipeline.AddRateLimiter(new RateLimiterStrategyOptions
        {
            RateLimiter = args => services.GetRequiredService<ConcurrencyLimiter>().AcquireAsync(1, args.Context.CancellationToken),
        });
    }
}
