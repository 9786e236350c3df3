using System.Text.Json.Nodes;
using System.Xml.Linq;
using Interweave.Sidecar.Flows.Engine;
using Quartz;

namespace Interweave.Sidecar.Flows;

public static class FlowsServiceCollectionExtensions
{
    public static IServiceCollection AddFlows(this IServiceCollection services)
    {
        services.AddOptions<FlowOptions>().BindConfiguration("Interweave:Flows").ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<ButtonOptions>().BindConfiguration(ButtonOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<ClickDeadline>();
        services.AddSingleton<ButtonRuns>();
        services.AddSingleton<FlowConnections>();
        services.AddSingleton<IntacctLinks>();
        services.AddSingleton<NotLinkedQueue>();
        services.AddSingleton<BindingLinks>();
        services.AddSingleton<SendOpportunityToIntacct>();
        services.AddSingleton<SyncRecordWithIntacct>();
        services.AddSingleton<BindingRun>();
        services.AddSingleton<BulkLoads>();
        services.AddSingleton<BulkLoadEstimates>();
        services.AddSingleton<FlowStore>();
        services.AddSingleton<ActivityCounts>();
        services.AddSingleton<FieldMapper>();
        services.AddSingleton<CaseRaiser>();
        services.AddSingleton<ErrorQueue>();
        services.AddSingleton<ConflictQueue>();
        services.AddSingleton<ConflictResolver>();
        services.AddSingleton<ISyncPackage, InterweavePackage>();
        services.AddSingleton<IncrementalRun>();
        services.AddSingleton<PullFromIntacct>();
        services.AddSingleton<PushToIntacct>();
        services.AddSingleton<IIncrementalFlow>(sp => new IncrementalFlow<XElement>(FlowKind.Pull, sp.GetRequiredService<PullFromIntacct>(), sp.GetRequiredService<IncrementalRun>()));
        services.AddSingleton<IIncrementalFlow>(sp => new IncrementalFlow<JsonObject>(FlowKind.Push, sp.GetRequiredService<PushToIntacct>(), sp.GetRequiredService<IncrementalRun>()));
        services.AddSingleton<IFlowRules>(sp => sp.GetRequiredService<PullFromIntacct>());
        services.AddSingleton<IFlowRules>(sp => sp.GetRequiredService<PushToIntacct>());
        services.AddSingleton<IFlowRules>(sp => sp.GetRequiredService<SendOpportunityToIntacct>());
        services.AddSingleton<IFlowRules, SendToIntacctDocumentTypes>();
        services.AddSingleton<MappingFields>();
        services.AddSingleton<FlowChanges>();
        services.AddSingleton<FlowRunner>();
        services.AddSingleton<FlowScheduler>();
        // After the store's migrations (registered earlier): installs templates, closes crashed runs, schedules.
        services.AddHostedService(sp => sp.GetRequiredService<FlowScheduler>());
        services.AddHostedService<BulkLoadResumer>(); // after the scheduler has closed the runs a crash left open
        services.AddQuartz();
        services.AddQuartzHostedService(q => q.WaitForJobsToComplete = true);
        return services;
    }
}
