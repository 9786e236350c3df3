namespace Interweave.Sidecar.Flows;

public static class FlowsServiceCollectionExtensions
{
    public static IServiceCollection AddFlows(this IServiceCollection services)
    {
        services.AddSingleton<FlowConnections>();
        services.AddSingleton<IntacctLinks>();
        services.AddSingleton<SendOpportunityToIntacct>();
        services.AddSingleton<SyncRecordWithIntacct>();
        return services;
    }
}
