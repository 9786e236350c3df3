using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Interweave.Sidecar.Storage;

public static class StorageServiceCollectionExtensions
{
    public static IServiceCollection AddStorage(this IServiceCollection services)
    {
        services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.Section).ValidateOnStart();
        services.AddSingleton<IPostConfigureOptions<StorageOptions>, StorageOptionsSetup>();
        services.AddSingleton<IValidateOptions<StorageOptions>, StorageOptionsValidator>();
        services.AddSingleton<Store>();
        services.AddSingleton<MigrationRunner>();
        services.AddHostedService<MigrationHostedService>();
        services.AddSingleton<ApiKeyRepository>();
        services.AddSingleton<ConnectionRepository>();
        services.AddSingleton<ConnectionSettingsStore>();
        services.AddSingleton<BindingRepository>();
        services.AddSingleton<RecordSearch>();
        services.AddSingleton<BindingReportRepository>();
        services.AddSingleton<BulkLoadRepository>();
        // Both remote clients count their calls here; the counts live in the store for the dashboard.
        services.AddSingleton<RemoteCallMeter>();
        services.AddSingleton<ConnectionHealth>();
        services.AddHostedService<RemoteCallMeterFlusher>();
        services.AddHealthChecks().AddCheck<StoreHealthCheck>("store", tags: ["ready"]);
        return services;
    }
}

/// <summary>Ready means the store answers and carries every migration this build knows.</summary>
internal sealed class StoreHealthCheck(MigrationRunner migrations) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            return await migrations.IsCurrentAsync(cancellationToken)
                ? HealthCheckResult.Healthy("Store reachable, migrations applied.")
                : HealthCheckResult.Unhealthy("Store reachable, migrations pending.");
        }
        catch (Exception ex) when (ex is System.Data.Common.DbException or TimeoutException or InvalidOperationException)
        {
            return HealthCheckResult.Unhealthy("Store unreachable.", ex);
        }
    }
}
