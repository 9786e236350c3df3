using Interweave.Sidecar.Flows.Engine;
using System.Globalization;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using Interweave.Sidecar.Creatio;
using Interweave.Sidecar.Intacct;
using Interweave.Sidecar.Storage;

namespace Interweave.Sidecar.Flows;

public sealed record SendToIntacctResult(string DocumentNo, string DocumentType, string State, string CustomerId, bool Created);

/// <summary>
/// "Send to Intacct": the opportunity, its account and its product lines become an Intacct customer, items and a
/// sales document — a Sales Order or Sales Invoice through Order Entry (keyed by the opportunity id in PONUMBER)
/// or an AR invoice (keyed in DOCNUMBER), as the flow's settings say. Customers and items are found by binding,
/// then by their key field (ACCOUNTID, PRODUCTID), and only then created. A second click answers with the
/// existing document, whatever the type setting says now; concurrent clicks are serialised by a claim in the
/// bindings table.
/// </summary>
public sealed class SendOpportunityToIntacct(
    FlowConnections connections,
    BindingRepository bindings,
    IntacctLinks links,
    FlowStore flows,
    FieldMapper mapper,
    TimeProvider time,
    ILogger<SendOpportunityToIntacct> log)
{
    public const string FlowId = "send-to-intacct";
    public const string DefaultDocumentType = "Sales Order";
    public const string ArInvoice = "AR Invoice";
    public static readonly string[] DocumentTypes = ["Sales Order", "Sales Invoice", ArInvoice];

    /// <summary>The document fields the flow fills itself; its mapping may add any other header field.</summary>
    public static readonly string[] FieldsItSets = ["TRANSACTIONTYPE", "WHENCREATED", "WHENDUE", "TERMNAME", "CUSTOMERID", "PONUMBER", "CURRENCY", "SOTRANSITEMS"];

    public async Task<SendToIntacctResult> SendAsync(Guid opportunityId, CancellationToken cancellationToken)
    {
        var (creatio, intacct) = await connections.ConnectAsync(cancellationToken);

        var opportunity = await creatio.GetAsync("Opportunity", opportunityId, cancellationToken: cancellationToken)
            ?? throw new FlowRefusedException(StatusCodes.Status404NotFound, "Opportunity not found", $"No opportunity {opportunityId} exists in Creatio.");
        var key = opportunityId.ToString("D");

        var existing = await FindDocumentAsync(intacct, key, cancellationToken);
        if (existing is not null) return await WriteBackAsync(creatio, opportunity, Result(existing, created: false), cancellationToken);

        if (!await bindings.TryClaimAsync(BindingKinds.OpportunityDocument, key, cancellationToken))
        {
            // Another click is sending this opportunity right now, or sent it: answer with its document once it exists.
            for (var i = 0; i < 100 && existing is null; i++)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100), time, cancellationToken);
                existing = await FindDocumentAsync(intacct, key, cancellationToken);
            }

            return existing is not null ? await WriteBackAsync(creatio, opportunity, Result(existing, created: false), cancellationToken)
                : throw new FlowRefusedException(StatusCodes.Status409Conflict, "Already being sent", "This opportunity is being sent to Intacct by another request; try again in a moment.");
        }

        try
        {
            var flow = await flows.GetEffectiveAsync(FlowId, cancellationToken); // document type and its options, the header mapping
            var settings = flow.Settings;
            var documentType = settings.GetValueOrDefault("documentType") is { Length: > 0 } type ? type : DefaultDocumentType;
            var (account, lines) = await ValidateAsync(creatio, opportunity, cancellationToken);
            var header = await mapper.MapAsync(flow, opportunity, cancellationToken);
            var currency = settings.GetValueOrDefault("sendCurrency") == "false" ? null : await CurrencyCodeAsync(creatio, opportunity, cancellationToken);
            var customerId = (await links.EnsureCustomerAsync(creatio, intacct, account, cancellationToken)).IntacctId;
            var items = new Dictionary<Guid, string>();
            foreach (var product in lines.Select(l => l.Product).DistinctBy(p => (string)p["Id"]!))
                items[Guid.Parse((string)product["Id"]!)] = (await links.EnsureItemAsync(creatio, intacct, product, cancellationToken)).IntacctId;

            var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
            var paymentTerm = settings.GetValueOrDefault("paymentTerm") is { Length: > 0 } term ? term : null;
            DateOnly? due = paymentTerm is null && int.TryParse(settings.GetValueOrDefault("dueInDays"), out var days) ? today.AddDays(days) : null;
            var title = CreatioText.Truncate((string?)opportunity["Title"] ?? "", 200);
            var document = documentType == ArInvoice
                ? new IntacctRecord("ARINVOICE")
                    .Set("CUSTOMERID", customerId)
                    .Set("WHENCREATED", today)
                    .Set("WHENDUE", due)
                    .Set("TERMNAME", paymentTerm)
                    .Set("DOCNUMBER", key)
                    .Set("DESCRIPTION", title)
                    .Set("CURRENCY", currency)
                    .Lines("ARINVOICEITEMS", "lineitem", lines.Select(line => new IntacctRecord("lineitem")
                        .Set("GLACCOUNTNO", settings.GetValueOrDefault("arRevenueAccount"))
                        .Set("AMOUNT", decimal.Round(line.Quantity * line.Price * (1 - (line.DiscountPercent / 100m)), 2))
                        .Set("MEMO", CreatioText.Truncate($"{line.Quantity.ToString("0.####", CultureInfo.InvariantCulture)} × {(string?)line.Product["Name"]}", 200))))
                : IntacctRecord.FromPaths("SODOCUMENT", [
                        KeyValuePair.Create("TRANSACTIONTYPE", documentType),
                        KeyValuePair.Create("WHENCREATED", IntacctDates.Format(today)),
                        .. header.Where(h => (string?)h.Value is { Length: > 0 }).Select(h => KeyValuePair.Create(h.Key, (string)h.Value!))])
                    .Set("WHENDUE", due)
                    .Set("TERMNAME", paymentTerm)
                    .Set("CUSTOMERID", customerId)
                    .Set("PONUMBER", key)
                    .Set("CURRENCY", currency)
                    .Lines("SOTRANSITEMS", "sotransitem", lines.Select(line => new IntacctRecord("sotransitem")
                        .Set("ITEMID", items[Guid.Parse((string)line.Product["Id"]!)])
                        .Set("QUANTITY", line.Quantity)
                        .Set("PRICE", line.Price)
                        .Set("DISCOUNTPERCENT", line.DiscountPercent == 0 ? null : line.DiscountPercent)));
            var created = documentType == ArInvoice
                ? await intacct.CreateOnceAsync(document, "DOCNUMBER", key, InvoiceFields, cancellationToken)
                : await intacct.CreateOnceAsync(document, "PONUMBER", key, DocumentFields, cancellationToken);
            var result = Result(created.Record, created.Created);

            await bindings.RecordAsync(BindingKinds.OpportunityDocument, key, result.DocumentNo, (string?)created.Record.Element("RECORDNO")?.Value, cancellationToken);
            log.LogInformation("Sent opportunity {OpportunityId} as {DocumentType} {DocumentNo}", opportunityId, result.DocumentType, result.DocumentNo);
            return await WriteBackAsync(creatio, opportunity, result, cancellationToken);
        }
        catch (MappingException ex)
        {
            await bindings.ReleaseClaimAsync(BindingKinds.OpportunityDocument, key, CancellationToken.None);
            throw new FlowRefusedException(StatusCodes.Status422UnprocessableEntity, "The opportunity cannot be mapped", $"{ex.Message} {ex.Hint}".Trim());
        }
        catch (IntacctException ex) when (ex.Failure is RemoteFailure.Rejected or RemoteFailure.Conflict)
        {
            // Intacct refused: the user sees why now, and the opportunity shows it to whoever opens it later.
            await bindings.ReleaseClaimAsync(BindingKinds.OpportunityDocument, key, CancellationToken.None);
            await SyncStatusValues.MarkFailedAsync(creatio, "Opportunity", opportunityId, ex.Message, log, CancellationToken.None);
            throw;
        }
        catch
        {
            await bindings.ReleaseClaimAsync(BindingKinds.OpportunityDocument, key, CancellationToken.None);
            throw;
        }
    }

    /// <summary>The ISO code of the opportunity's currency (Creatio's Currency.Code), or null when it has none.</summary>
    private static async Task<string?> CurrencyCodeAsync(CreatioConnection creatio, JsonObject opportunity, CancellationToken cancellationToken) =>
        Guid.TryParse((string?)opportunity["CurrencyId"], out var currencyId) && currencyId != Guid.Empty
        && await creatio.GetAsync("Currency", currencyId, ["Id", "Code"], cancellationToken: cancellationToken) is { } currency
        && (string?)currency["Code"] is { Length: > 0 } code
            ? code
            : null;

    /// <summary>
    /// Puts the document's number, type and state on the opportunity unless it already shows them, so a click after a
    /// failed write-back repairs the opportunity instead of only reporting the existing document.
    /// </summary>
    private static async Task<SendToIntacctResult> WriteBackAsync(CreatioConnection creatio, JsonObject opportunity, SendToIntacctResult result, CancellationToken cancellationToken)
    {
        if ((string?)opportunity["UsrIntacctDocumentNo"] == result.DocumentNo && (string?)opportunity["UsrIntacctState"] == result.State) return result;
        await creatio.UpdateAsync("Opportunity", Guid.Parse((string)opportunity["Id"]!), new JsonObject
        {
            ["UsrIntacctDocumentNo"] = result.DocumentNo,
            ["UsrIntacctDocumentType"] = result.DocumentType,
            ["UsrIntacctState"] = result.State,
            ["UsrIntacctSyncStatusId"] = IntacctSyncStatus.Synced.ToString("D"),
            ["UsrIntacctLastSyncError"] = "",
        }, cancellationToken);
        return result;
    }

    private static readonly string[] DocumentFields = ["RECORDNO", "DOCNO", "DOCID", "TRANSACTIONTYPE", "STATE", "CUSTOMERID", "PONUMBER", "TOTAL"];

    private static readonly string[] InvoiceFields = ["RECORDNO", "RECORDID", "STATE", "CUSTOMERID", "DOCNUMBER", "TOTALENTERED"];

    private sealed record Line(JsonObject Product, decimal Quantity, decimal Price, decimal DiscountPercent);

    /// <summary>
    /// The document this opportunity already has: an Order Entry document by PONUMBER, else an AR invoice by
    /// DOCNUMBER — both, so that changing the document type setting never gives an opportunity a second document.
    /// </summary>
    private static async Task<XElement?> FindDocumentAsync(IntacctConnection intacct, string key, CancellationToken cancellationToken) =>
        await intacct.FindAsync("SODOCUMENT", "PONUMBER", key, DocumentFields, cancellationToken)
        ?? await intacct.FindAsync("ARINVOICE", "DOCNUMBER", key, InvoiceFields, cancellationToken);

    private static SendToIntacctResult Result(XElement document, bool created) => document.Name.LocalName == "ARINVOICE"
        ? new(document.Element("RECORDID")?.Value ?? "", ArInvoice, document.Element("STATE")?.Value ?? "", document.Element("CUSTOMERID")?.Value ?? "", created)
        : new(
            document.Element("DOCNO")?.Value ?? "",
            document.Element("TRANSACTIONTYPE")?.Value is { Length: > 0 } type ? type : DefaultDocumentType,
            document.Element("STATE")?.Value ?? "",
            document.Element("CUSTOMERID")?.Value ?? "",
            created);

    /// <summary>Refuses, before anything is written, an opportunity without an account, without lines, or worth nothing.</summary>
    private static async Task<(JsonObject Account, IReadOnlyList<Line> Lines)> ValidateAsync(CreatioConnection creatio, JsonObject opportunity, CancellationToken cancellationToken)
    {
        var title = (string?)opportunity["Title"];
        if (!Guid.TryParse((string?)opportunity["AccountId"], out var accountId) || accountId == Guid.Empty)
            throw new FlowRefusedException(StatusCodes.Status422UnprocessableEntity, "The opportunity has no account", $"Set the account of \"{title}\" before sending it to Intacct: the customer is created from it.");
        var account = await creatio.GetAsync("Account", accountId, cancellationToken: cancellationToken)
            ?? throw new FlowRefusedException(StatusCodes.Status422UnprocessableEntity, "The account does not exist", $"The account of \"{title}\" no longer exists in Creatio.");
        var (rows, _) = await creatio.QueryAsync("OpportunityProductInterest", new CreatioQuery(
            CreatioFilter.Lookup("Opportunity", Guid.Parse((string)opportunity["Id"]!)), ["Id", "ProductId", "Quantity", "Price", "Amount", "DiscountPercent"], ["Product"]), cancellationToken);
        var lines = rows.Where(r => r["Product"] is JsonObject).Select(r => new Line((JsonObject)r["Product"]!, CreatioValues.Decimal(r["Quantity"]), CreatioValues.Decimal(r["Price"]), CreatioValues.Decimal(r["DiscountPercent"]))).ToList();
        if (lines.Count == 0)
            throw new FlowRefusedException(StatusCodes.Status422UnprocessableEntity, "The opportunity has no products", $"Add products to \"{title}\" before sending it to Intacct: the order lines come from them.");
        if (lines.Sum(l => l.Quantity * l.Price * (1 - (l.DiscountPercent / 100m))) <= 0)
            throw new FlowRefusedException(StatusCodes.Status422UnprocessableEntity, "The opportunity is worth nothing", $"The products of \"{title}\" add up to zero; set quantities and prices first.");
        return (account, lines);
    }
}
