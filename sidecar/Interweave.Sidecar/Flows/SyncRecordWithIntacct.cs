using Interweave.Sidecar.Creatio;
using Interweave.Sidecar.Intacct;

namespace Interweave.Sidecar.Flows;

public sealed record SyncResult(string IntacctId, bool Created);

/// <summary>
/// "Sync with Intacct" on an account or a product, one record now: link it to its Intacct customer or item
/// (creating that when there is none) and push the name (and an item's price) from Creatio.
/// </summary>
public sealed class SyncRecordWithIntacct(FlowConnections connections, IntacctLinks links)
{
    public async Task<SyncResult> SyncAccountAsync(Guid accountId, CancellationToken cancellationToken)
    {
        var (creatio, intacct) = await connections.ConnectAsync(cancellationToken);
        var account = await creatio.GetAsync("Account", accountId, cancellationToken: cancellationToken)
            ?? throw new FlowRefusedException(StatusCodes.Status404NotFound, "Account not found", $"No account {accountId} exists in Creatio.");
        var link = await links.EnsureCustomerAsync(creatio, intacct, account, cancellationToken);
        if (!link.Created)
            await intacct.UpdateAsync(new IntacctRecord("CUSTOMER")
                .Set("CUSTOMERID", link.IntacctId)
                .Set("NAME", CreatioText.Truncate((string?)account["Name"] ?? "", 100))
                .Set("ACCOUNTID", accountId.ToString("D")), cancellationToken);
        return new SyncResult(link.IntacctId, link.Created);
    }

    public async Task<SyncResult> SyncProductAsync(Guid productId, CancellationToken cancellationToken)
    {
        var (creatio, intacct) = await connections.ConnectAsync(cancellationToken);
        var product = await creatio.GetAsync("Product", productId, cancellationToken: cancellationToken)
            ?? throw new FlowRefusedException(StatusCodes.Status404NotFound, "Product not found", $"No product {productId} exists in Creatio.");
        var link = await links.EnsureItemAsync(creatio, intacct, product, cancellationToken);
        if (!link.Created)
            await intacct.UpdateAsync(new IntacctRecord("ITEM")
                .Set("ITEMID", link.IntacctId)
                .Set("NAME", CreatioText.Truncate((string?)product["Name"] ?? "", 100))
                .Set("BASEPRICE", CreatioValues.Decimal(product["Price"]))
                .Set("PRODUCTID", productId.ToString("D")), cancellationToken);
        return new SyncResult(link.IntacctId, link.Created);
    }
}
