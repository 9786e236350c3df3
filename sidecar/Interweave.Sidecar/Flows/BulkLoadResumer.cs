namespace Interweave.Sidecar.Flows;

/// <summary>Goes on with the loads a stop or a crash left running, once the flows are installed and crashed runs closed.</summary>
public sealed class BulkLoadResumer(BulkLoads loads) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => loads.ResumeInterruptedAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
