using Interweave.Sidecar.Flows.Engine;
using Interweave.Sidecar.Intacct;

namespace Interweave.Sidecar.Flows;

public sealed record SyncResult(string IntacctId, bool Created);

/// <summary>
/// "Sync with Intacct" on an account or a product, one record now, through the same flows the schedule runs:
/// the push pairs the record with its Intacct customer or item (creating that when there is none) and writes what
/// Creatio owns; the pull then brings back what Intacct owns (an item's price, the Intacct id).
/// </summary>
public sealed class SyncRecordWithIntacct(FlowConnections connections, FlowStore flows, PushToIntacct push, PullFromIntacct pull, NotLinkedQueue notLinked,
    ILogger<SyncRecordWithIntacct> log)
{
    public const string AccountsPush = "creatio-accounts";
    public const string CustomersPull = "intacct-customers";
    public const string ProductsPush = "creatio-products";
    public const string ItemsPull = "intacct-items";

    /// <summary>Syncs the account; <paramref name="trail"/> collects the two writes (the account to its customer, the customer back), for the click's run.</summary>
    public Task<SyncResult> SyncAccountAsync(Guid accountId, CancellationToken cancellationToken, ButtonTrail? trail = null) =>
        SyncAsync(AccountsPush, CustomersPull, "Account", accountId, trail, cancellationToken);

    /// <summary>Syncs the product; <paramref name="trail"/> collects the two writes (the product to its item, the item back), for the click's run.</summary>
    public Task<SyncResult> SyncProductAsync(Guid productId, CancellationToken cancellationToken, ButtonTrail? trail = null) =>
        SyncAsync(ProductsPush, ItemsPull, "Product", productId, trail, cancellationToken);

    /// <summary>Shows on a record (opportunity, account, product) that a click's work failed after its click was answered.</summary>
    public async Task ShowFailureAsync(string entity, Guid id, string message, CancellationToken cancellationToken)
    {
        var (creatio, _) = await connections.ConnectAsync(cancellationToken);
        await InterweavePackage.SyncStatus.MarkFailedAsync(creatio, entity, id, message, log, cancellationToken);
    }

    private async Task<SyncResult> SyncAsync(string pushFlowId, string pullFlowId, string entity, Guid id, ButtonTrail? trail, CancellationToken cancellationToken)
    {
        // The push is the button's work: turned off, the button is refused. The pull back is the other direction's
        // flow: turned off, it is left out and nothing of Intacct's is written to the record.
        var pushFlowStored = await flows.GetEnabledAsync(pushFlowId, cancellationToken);
        var (creatio, intacct) = await connections.ConnectAsync(cancellationToken);
        try
        {
            var pushFlow = new RunContext(pushFlowStored.Effective(), creatio, intacct, Force: true);
            var (intacctId, created) = await push.SyncOneAsync(pushFlow, id, cancellationToken);
            trail?.Touched(new TouchedRecord(entity, id.ToString("D"), pushFlow.Flow.Target.Object, intacctId, created ? RecordAction.Created : RecordAction.Updated, null));
            if (await flows.GetAsync(pullFlowId, cancellationToken) is { Enabled: true } pullFlow)
            {
                var pulled = await pull.SyncOneAsync(pushFlow with { Flow = pullFlow.Effective() }, intacctId, cancellationToken);
                trail?.Touched(new TouchedRecord(pullFlow.Effective().Source.Object, intacctId, entity, id.ToString("D"), pulled, null));
            }
            else
            {
                log.LogInformation("Sync of {Entity} {Id} left out the pull back: flow {FlowId} is turned off", entity, id, pullFlowId);
            }
            return new SyncResult(intacctId, created);
        }
        catch (Exception ex) when (ex is MappingException || ex is IntacctException { Failure: RemoteFailure.Rejected or RemoteFailure.Conflict })
        {
            // Refused: the user sees why now, and the record shows it to whoever opens it later.
            await InterweavePackage.SyncStatus.MarkFailedAsync(creatio, entity, id, ex.Message, log, CancellationToken.None);
            if (ex is MappingException { Kind: NotLinked.Kind } refusal)
                await notLinked.QueueAsync(entity == "Product" ? InterweavePackage.ProductItem : InterweavePackage.AccountCustomer, id, refusal, creatio, CancellationToken.None);
            throw;
        }
    }
}
