using Interweave.Sidecar.Creatio;
using Interweave.Sidecar.Intacct;

namespace Interweave.Sidecar.Flows.Engine;

/// <summary>Both stored connections, or a 503 telling the user which one an admin still has to configure.</summary>
public sealed class FlowConnections(CreatioConnectionFactory creatio, IntacctConnectionFactory intacct)
{
    public async Task<(CreatioConnection Creatio, IntacctConnection Intacct)> ConnectAsync(CancellationToken cancellationToken) =>
        (await creatio.CreateFromStoreAsync(cancellationToken)
            ?? throw new FlowRefusedException(RefusalReason.NotConfigured, "Creatio is not configured", "An admin must configure the Creatio connection first."),
         await IntacctAsync(cancellationToken));

    /// <summary>The stored Intacct connection alone, for work that asks nothing of Creatio.</summary>
    public async Task<IntacctConnection> IntacctAsync(CancellationToken cancellationToken) =>
        await intacct.CreateFromStoreAsync(cancellationToken)
        ?? throw new FlowRefusedException(RefusalReason.NotConfigured, "Intacct is not configured", "An admin must configure the Intacct connection first.");
}
