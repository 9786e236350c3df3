using Interweave.Sidecar.Storage;

namespace Interweave.Sidecar.Flows.Engine;

/// <summary>
/// The two records a binding kind pairs: the Intacct object and its id field, the custom field in Intacct that
/// holds the Creatio Id (ACCOUNTID, PRODUCTID), the Creatio object and its column that holds the Intacct id.
/// </summary>
public sealed record PairedObjects(string Kind, string IntacctObject, string IdField, string KeyField, string CreatioEntity, string IntacctIdColumn)
{
    public static readonly PairedObjects AccountCustomer = new(BindingKinds.AccountCustomer, "CUSTOMER", "CUSTOMERID", "ACCOUNTID", "Account", "UsrIntacctCustomerId");
    public static readonly PairedObjects ProductItem = new(BindingKinds.ProductItem, "ITEM", "ITEMID", "PRODUCTID", "Product", "UsrIntacctItemId");

    public static PairedObjects? For(string? kind) => kind switch
    {
        BindingKinds.AccountCustomer => AccountCustomer,
        BindingKinds.ProductItem => ProductItem,
        _ => null,
    };
}
