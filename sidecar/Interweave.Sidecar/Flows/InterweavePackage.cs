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
                await OpportunityTotalsAsync(written.Select(w => GuidAt(w.Values, "UsrOpportunityId")).OfType<Guid>().Distinct().ToList(), creatio, cancellationToken);
                return true;
            case PaymentOpportunity:
                await PaymentOpportunitiesAsync(written, creatio, cancellationToken);
                return true;
            default:
                return false;
        }
    }

    /// <summary>Invoices one batched read brings per opportunity; an opportunity with more is read page by page.</summary>
    private const int InvoicesPerRead = 500;

    /// <summary>
    /// Amount due and paid over all of each opportunity's invoices, and the state of its latest one. A page's
    /// opportunities and their invoices are read in $batch requests and their totals written in one more (this
    /// took three requests per opportunity). An opportunity Creatio no longer has is left out; a refused read or
    /// write fails the roll-up once the others are written.
    /// </summary>
    private static async Task OpportunityTotalsAsync(IReadOnlyList<Guid> opportunityIds, CreatioConnection creatio, CancellationToken cancellationToken)
    {
        if (opportunityIds.Count == 0) return;
        var answers = await creatio.GetEachAsync(opportunityIds.SelectMany(id => new[]
        {
            new CreatioRead("Opportunity", id, new CreatioQuery(Select: ["Id"])),
            new CreatioRead("UsrIntacctInvoice", null, InvoicesOf(id) with { Top = InvoicesPerRead, OrderBy = "Id" }),
        }).ToList(), cancellationToken);

        var writes = new List<CreatioWrite>();
        var failures = new List<CreatioException>();
        for (var i = 0; i < opportunityIds.Count; i++)
        {
            var ((opportunity, opportunityRefused), (page, invoicesRefused)) = (answers[2 * i], answers[2 * i + 1]);
            if ((opportunityRefused ?? invoicesRefused) is { } refused)
            {
                failures.Add(refused);
                continue;
            }

            if (opportunity is null) continue;
            var invoices = (page?["value"] as JsonArray)?.OfType<JsonObject>().ToList() ?? [];
            if (invoices.Count >= InvoicesPerRead)
            {
                invoices.Clear();
                await foreach (var invoice in creatio.QueryAllAsync("UsrIntacctInvoice", InvoicesOf(opportunityIds[i]), cancellationToken: cancellationToken))
                    invoices.Add(invoice);
            }

            if (invoices.Count > 0) writes.Add(new CreatioWrite("Opportunity", opportunityIds[i], Totals(invoices), Create: false));
        }

        failures.AddRange((await creatio.WriteManyAsync(writes, cancellationToken)).OfType<CreatioException>());
        if (failures.Count > 0) throw failures[0];
    }

    private static CreatioQuery InvoicesOf(Guid opportunityId) =>
        new(Select: ["Id", "UsrDue", "UsrPaid", "UsrState", "UsrDate"], Filter: CreatioFilter.Lookup("UsrOpportunity", opportunityId));

    private static JsonObject Totals(List<JsonObject> invoices)
    {
        var latest = invoices.OrderByDescending(i => (string?)i["UsrDate"], StringComparer.Ordinal).First();
        return new JsonObject
        {
            ["UsrIntacctAmountDue"] = invoices.Sum(i => CreatioValues.Decimal(i["UsrDue"])),
            ["UsrIntacctAmountPaid"] = invoices.Sum(i => CreatioValues.Decimal(i["UsrPaid"])),
            ["UsrIntacctState"] = invoices.All(i => (string?)i["UsrState"] == "Paid") ? "Paid" : (string?)latest["UsrState"] ?? "",
        };
    }

    /// <summary>
    /// Each payment joins the opportunity of the invoice it pays: the page's invoices read in $batch requests and
    /// the payments written in one more (two requests per payment before).
    /// </summary>
    private static async Task PaymentOpportunitiesAsync(IReadOnlyList<WrittenRecord> payments, CreatioConnection creatio, CancellationToken cancellationToken)
    {
        var invoiceIds = payments.Select(p => GuidAt(p.Values, "UsrInvoiceId")).OfType<Guid>().Distinct().ToList();
        if (invoiceIds.Count == 0) return;
        var invoices = await creatio.GetManyAsync("UsrIntacctInvoice", invoiceIds, ["Id", "UsrOpportunityId"], cancellationToken);
        var failures = invoices.Select(i => i.Failure).OfType<CreatioException>().ToList();
        var opportunityOf = new Dictionary<Guid, Guid>();
        foreach (var (invoiceId, (row, _)) in invoiceIds.Zip(invoices))
            if (row is not null && GuidAt(row, "UsrOpportunityId") is { } opportunity) opportunityOf[invoiceId] = opportunity;
        var writes = new List<CreatioWrite>();
        foreach (var payment in payments)
            if (GuidAt(payment.Values, "UsrInvoiceId") is { } invoiceId && opportunityOf.TryGetValue(invoiceId, out var opportunity))
                writes.Add(new CreatioWrite("UsrIntacctPayment", Guid.Parse(payment.TargetKey), new JsonObject { ["UsrOpportunityId"] = opportunity.ToString("D") }, Create: false));
        failures.AddRange((await creatio.WriteManyAsync(writes, cancellationToken)).OfType<CreatioException>());
        if (failures.Count > 0) throw failures[0];
    }

    private static Guid? GuidAt(JsonObject values, string name) =>
        values[name] is { } v && Guid.TryParse((string?)v, out var id) && id != Guid.Empty ? id : null;
}
