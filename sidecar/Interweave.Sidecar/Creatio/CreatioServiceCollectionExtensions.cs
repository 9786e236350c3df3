using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;

namespace Interweave.Sidecar.Creatio;

public static class CreatioServiceCollectionExtensions
{
    public static IServiceCollection AddCreatio(this IServiceCollection services)
    {
        services.AddOptions<CreatioOptions>().BindConfiguration(CreatioOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<CreatioOptions>, CreatioOptionsValidator>();
        services.AddSingleton<CreatioConnectionFactory>();
        services.AddSingleton<CreatioLinks>();
        // Cookies are per connection and managed by the client; a shared cookie jar would mix sites and users. No
        // redirects, and connections only to Interweave:AllowedRemoteHosts.
        services.TryAddSingleton<RemoteHosts>();
        services.AddHttpClient<CreatioGatewayClient>(http => http.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(provider => provider.GetRequiredService<RemoteHosts>().Handler());

        // GET, PATCH and DELETE are idempotent: retried on transient faults. POST only when it provably never
        // arrived; an unknown outcome goes back to CreatioConnection, which reads the row by its id first.
        services.AddResiliencePipeline(CreatioGatewayClient.Pipeline, (pipeline, context) => Build(pipeline, context.ServiceProvider));
        return services;
    }

    private static void Build(ResiliencePipelineBuilder pipeline, IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<CreatioOptions>>().Value;
        pipeline.TimeProvider = services.GetRequiredService<TimeProvider>();
        if (options.MaxRetries == 0) return;
        pipeline.AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<CreatioException>(ex => ex.Failure is RemoteFailure.Transient or RemoteFailure.RateLimited),
            MaxRetryAttempts = options.MaxRetries,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = TimeSpan.FromMilliseconds(options.RetryBaseDelayMilliseconds),
        });
    }
}
