using System.Text.Json.Nodes;
using Interweave.Sidecar.Creatio;
using Interweave.Sidecar.Flows.Engine;
using Interweave.Sidecar.Intacct;
using Interweave.Sidecar.Storage;

namespace Interweave.Sidecar.Flows;

public sealed record LinkResult(string IntacctId, bool Created);

/// <summary>
/// Finds or creates the Intacct customer of an account and the item of a product: by binding, then by the key
/// field Intacct holds (ACCOUNTID, PRODUCTID), and only then by a create that cannot be repeated. Records the
/// binding and writes the Intacct id back onto the Creatio record.
/// </summary>
public sealed class IntacctLinks(BindingRepository bindings, TimeProvider time)
{
    public async Task<LinkResult> EnsureCustomerAsync(CreatioConnection creatio, IntacctConnection intacct, JsonObject account, CancellationToken cancellationToken)
    {
        var accountId = (string)account["Id"]!;
        if (await bindings.GetAsync(BindingKinds.AccountCustomer, accountId, cancellationToken) is { IntacctId: { } bound }) return new LinkResult(bound, Created: false);

        var customer = await intacct.CreateOnceAsync(NewCustomer(account), "ACCOUNTID", accountId, ["RECORDNO", "CUSTOMERID"], cancellationToken);
        var customerId = customer.Record.Element("CUSTOMERID")!.Value;
        await bindings.RecordAsync(BindingKinds.AccountCustomer, accountId, customerId, customer.Record.Element("RECORDNO")?.Value, cancellationToken);
        var values = InterweavePackage.SyncStatus.Synced(time.GetUtcNow());
        values["UsrIntacctCustomerId"] = customerId;
        await creatio.UpdateAsync("Account", Guid.Parse(accountId), values, cancellationToken);
        return new LinkResult(customerId, customer.Created);
    }

    public async Task<LinkResult> EnsureItemAsync(CreatioConnection creatio, IntacctConnection intacct, JsonObject product, CancellationToken cancellationToken)
    {
        var productId = (string)product["Id"]!;
        if (await bindings.GetAsync(BindingKinds.ProductItem, productId, cancellationToken) is { IntacctId: { } bound }) return new LinkResult(bound, Created: false);

        var item = await intacct.CreateOnceAsync(NewItem(product), "PRODUCTID", productId, ["RECORDNO", "ITEMID"], cancellationToken);
        var itemId = item.Record.Element("ITEMID")!.Value;
        await bindings.RecordAsync(BindingKinds.ProductItem, productId, itemId, item.Record.Element("RECORDNO")?.Value, cancellationToken);
        var values = InterweavePackage.SyncStatus.Synced(time.GetUtcNow());
        values["UsrIntacctItemId"] = itemId;
        await creatio.UpdateAsync("Product", Guid.Parse(productId), values, cancellationToken);
        return new LinkResult(itemId, item.Created);
    }

    /// <summary>The Intacct customer made for an account: its code (or an id hashed from its Id), its name, and its Id in ACCOUNTID.</summary>
    public static IntacctRecord NewCustomer(JsonObject account)
    {
        var accountId = (string)account["Id"]!;
        return new IntacctRecord("CUSTOMER")
            .Set("CUSTOMERID", IdFor((string?)account["Code"], accountId))
            .Set("NAME", CreatioText.Truncate((string?)account["Name"] ?? accountId, 100))
            .Set("ACCOUNTID", accountId);
    }

    /// <summary>The Intacct item made for a product: a non-inventory sales item with the product's price and its Id in PRODUCTID.</summary>
    public static IntacctRecord NewItem(JsonObject product)
    {
        var productId = (string)product["Id"]!;
        return new IntacctRecord("ITEM")
            .Set("ITEMID", IdFor((string?)product["Code"], productId))
            .Set("NAME", CreatioText.Truncate((string?)product["Name"] ?? productId, 100))
            .Set("ITEMTYPE", "Non-Inventory (Sales only)")
            .Set("BASEPRICE", CreatioValues.Decimal(product["Price"]))
            .Set("PRODUCTID", productId);
    }

    /// <summary>
    /// The record's own code when it has one (Intacct ids are short), else a stable id hashed from the whole Creatio
    /// id: ids made of a GUID's first characters collide as soon as ids share a prefix.
    /// </summary>
    private static string IdFor(string? code, string creatioId) =>
        !string.IsNullOrWhiteSpace(code) && code.Length <= 20
            ? code.Trim()
            : "CRM-" + Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(creatioId.ToLowerInvariant())))[..12];

}
