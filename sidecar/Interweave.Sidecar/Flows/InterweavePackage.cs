using System.Text.Json.Nodes;
using Interweave.Sidecar.Creatio;
using Interweave.Sidecar.Flows.Engine;
using Interweave.Sidecar.Intacct;
using Interweave.Sidecar.Storage;

namespace Interweave.Sidecar.Flows;

/// <summary>
/// What belongs to the Interweave Creatio package and is not in a flow's template: the records that pair (accounts
/// with customers, products with items), the sync-status columns, the account column of pulled documents, and the
/// roll-ups the templates name. The engine is configured from this one place.
/// </summary>
public sealed class InterweavePackage(IntacctLinks links) : ISyncPackage
{
    public static readonly PairedObjects AccountCustomer =
        new(BindingKinds.AccountCustomer, "CUSTOMER", "CUSTOMERID", "ACCOUNTID", "Account", "UsrIntacctCustomerId", ["Name", "Code"]);

    public static readonly PairedObjects ProductItem =
        new(BindingKinds.ProductItem, "ITEM", "ITEMID", "PRODUCTID", "Product", "UsrIntacctItemId", ["Name", "Code", "Price"]);

    public static readonly SyncStatusColumns SyncStatus =
        new("UsrIntacctSyncStatusId", IntacctSyncStatus.Synced, IntacctSyncStatus.Error, "UsrIntacctLastSyncedOn", "UsrIntacctLastSyncError");

    /// <summary>The roll-up of intacct-invoices: amount due and paid over an opportunity's invoices, and the state of its latest.</summary>
    public const string OpportunityInvoiceTotals = "opportunity-invoice-totals";

    /// <summary>The roll-up of intacct-payments: a payment joins the opportunity of the invoice it pays.</summary>
    public const string PaymentOpportunity = "payment-opportunity";

    public PairedObjects? PairFor(string? bindingKind) => bindingKind switch
    {
        BindingKinds.AccountCustomer => AccountCustomer,
        BindingKinds.ProductItem => ProductItem,
        _ => null,
    };

    public SyncStatusColumns Status => SyncStatus;

    public string AccountColumn => "UsrAccountId";

    public async Task<(string IntacctId, bool Created)> EnsurePartnerAsync(PairedObjects pair, JsonObject row, CreatioConnection creatio, IntacctConnection intacct,
        CancellationToken cancellationToken)
    {
        var link = pair == AccountCustomer
            ? await links.EnsureCustomerAsync(creatio, intacct, row, cancellationToken)
            : await links.EnsureItemAsync(creatio, intacct, row, cancellationToken);
        return (link.IntacctId, link.Created);
    }

    public async Task<bool> RollUpAsync(string name, IReadOnlyList<WrittenRecord> written, CreatioConnection creatio, CancellationToken cancellationToken)
    {
        switch (name)
        {
            case OpportunityInvoiceTotals:
                foreach (var opportunity in written.Select(w => GuidAt(w.Values, "UsrOpportunityId")).OfType<Guid>().Distinct())
                    await OpportunityTotalsAsync(opportunity, creatio, cancellationToken);
                return true;
            case PaymentOpportunity:
                foreach (var payment in written)
                {
                    if (GuidAt(payment.Values, "UsrInvoiceId") is not { } invoiceId) continue;
                    var invoice = await creatio.GetAsync("UsrIntacctInvoice", invoiceId, ["Id", "UsrOpportunityId"], cancellationToken: cancellationToken);
                    if (invoice is not null && GuidAt(invoice, "UsrOpportunityId") is { } opportunity)
                        await creatio.UpdateAsync("UsrIntacctPayment", Guid.Parse(payment.TargetKey), new JsonObject { ["UsrOpportunityId"] = opportunity.ToString("D") },
                            cancellationToken);
                }

                return true;
            default:
                return false;
        }
    }

    /// <summary>Amount due and paid over all of an opportunity's invoices, and the state of its latest one.</summary>
    private static async Task OpportunityTotalsAsync(Guid opportunityId, CreatioConnection creatio, CancellationToken cancellationToken)
    {
        if (await creatio.GetAsync("Opportunity", opportunityId, ["Id"], cancellationToken: cancellationToken) is null) return;
        var invoices = new List<JsonObject>();
        await foreach (var invoice in creatio.QueryAllAsync("UsrIntacctInvoice",
                           new CreatioQuery(Select: ["Id", "UsrDue", "UsrPaid", "UsrState", "UsrDate"], Filter: CreatioFilter.Lookup("UsrOpportunity", opportunityId)),
                           cancellationToken: cancellationToken))
            invoices.Add(invoice);
        if (invoices.Count == 0) return;
        var latest = invoices.OrderByDescending(i => (string?)i["UsrDate"], StringComparer.Ordinal).First();
        await creatio.UpdateAsync("Opportunity", opportunityId, new JsonObject
        {
            ["UsrIntacctAmountDue"] = invoices.Sum(i => CreatioValues.Decimal(i["UsrDue"])),
            ["UsrIntacctAmountPaid"] = invoices.Sum(i => CreatioValues.Decimal(i["UsrPaid"])),
            ["UsrIntacctState"] = invoices.All(i => (string?)i["UsrState"] == "Paid") ? "Paid" : (string?)latest["UsrState"] ?? "",
        }, cancellationToken);
    }

    private static Guid? GuidAt(JsonObject values, string name) =>
        values[name] is { } v && Guid.TryParse((string?)v, out var id) && id != Guid.Empty ? id : null;
}
