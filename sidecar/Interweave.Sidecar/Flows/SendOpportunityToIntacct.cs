using System.Globalization;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using Interweave.Sidecar.Creatio;
using Interweave.Sidecar.Flows.Engine;
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
    ILogger<SendOpportunityToIntacct> log) : IFlowRules
{
    public const string FlowId = "send-to-intacct";
    public const string DefaultDocumentType = "Sales Order";
    public const string ArInvoice = "AR Invoice";
    public static readonly string[] DocumentTypes = ["Sales Order", "Sales Invoice", ArInvoice];

    /// <summary>The document Send to Intacct creates.</summary>
    public static readonly FlowSetting DocumentType = FlowSetting.OneOf("documentType", DocumentTypes, "Use \"Sales Order\", \"Sales Invoice\" or \"AR Invoice\".");

    /// <summary>The GL account an AR invoice's lines post to.</summary>
    public const string ArRevenueAccount = "arRevenueAccount";

    /// <summary>The Intacct term that sets the due date; when blank, <see cref="DueInDays"/> does.</summary>
    public const string PaymentTerm = "paymentTerm";

    /// <summary>Days from today to the due date when no payment term is set.</summary>
    public static readonly FlowSetting DueInDays = new("dueInDays", value => int.TryParse(value, out var days) && days is >= 0 and <= 3650,
        "Use a whole number of days from 0 to 3650.");

    /// <summary>Whether the opportunity's currency is sent (by its Creatio code) or the company's base currency is used.</summary>
    public static readonly FlowSetting SendCurrency = FlowSetting.OneOf("sendCurrency", ["true", "false"], "Use \"true\" or \"false\".");

    public IEnumerable<FlowSetting> Settings => [DocumentType, DueInDays, SendCurrency];

    public void Check(string flowId, IReadOnlyDictionary<string, string> settings, IReadOnlyList<FieldMap?>? mapping, IDictionary<string, string[]> errors)
    {
        if (flowId != FlowId) return;
        if (settings.GetValueOrDefault(DocumentType.Name) == ArInvoice && string.IsNullOrWhiteSpace(settings.GetValueOrDefault(ArRevenueAccount))
            && !errors.ContainsKey($"settings.{DocumentType.Name}"))
            errors[$"settings.{ArRevenueAccount}"] = ["An AR invoice needs the GL account its lines post to (e.g. \"4000\")."];
        foreach (var (field, index) in (mapping ?? []).Select((f, i) => (f, i)))
        {
            if (field is null) continue;
            if (FieldsItSets.Contains(field.Target, StringComparer.Ordinal))
                errors[$"mapping[{index}].target"] = [$"Send to Intacct sets {field.Target} itself ({string.Join(", ", FieldsItSets)}); map other header elements."];
            else if (!IsMappableHeader(field.Target))
                errors[$"mapping[{index}].target"] =
                    [$"{field.Target} is not a header element of create_sotransaction; use one of {string.Join(", ", SalesTransactionElements.Where(IsMappableHeader))} (lower case, as Intacct names them)."];
        }
    }

    /// <summary>
    /// The header elements of create_sotransaction in the order the official SDKs write them (intacct-sdk-js
    /// OrderEntryTransactionCreate), which is the order Intacct's DTD expects. The mapping may fill any of them that the flow
    /// does not set itself; the opportunity key travels in referenceno, read back as PONUMBER.
    /// </summary>
    public static readonly string[] SalesTransactionElements =
    [
        "transactiontype", "datecreated", "dateposted", "createdfrom", "customerid", "documentno", "origdocdate", "referenceno", "termname", "datedue",
        "message", "shippingmethod", "shipto", "billto", "supdocid", "externalid", "basecurr", "currency", "exchratedate", "exchratetype", "vsoepricelist",
        "customfields", "state", "projectid", "sotransitems", "subtotals",
    ];

    /// <summary>The header elements the flow fills itself; its mapping may add the other plain-text ones.</summary>
    public static readonly string[] FieldsItSets =
        ["transactiontype", "datecreated", "dateposted", "createdfrom", "customerid", "origdocdate", "referenceno", "termname", "datedue", "shipto", "billto",
         "basecurr", "currency", "exchratedate", "exchratetype", "customfields", "sotransitems", "subtotals"];

    /// <summary>Header elements a mapping may target: text elements of create_sotransaction the flow leaves alone.</summary>
    public static bool IsMappableHeader(string target) =>
        SalesTransactionElements.Contains(target, StringComparer.Ordinal) && !FieldsItSets.Contains(target, StringComparer.Ordinal);

    public async Task<SendToIntacctResult> SendAsync(Guid opportunityId, CancellationToken cancellationToken)
    {
        var (creatio, intacct) = await connections.ConnectAsync(cancellationToken);

        var opportunity = await creatio.GetAsync("Opportunity", opportunityId, cancellationToken: cancellationToken)
            ?? throw new FlowRefusedException(RefusalReason.NotFound, "Opportunity not found", $"No opportunity {opportunityId} exists in Creatio.");
        var key = opportunityId.ToString("D");

        var existing = await FindDocumentAsync(intacct, key, cancellationToken);
        if (existing is not null) return await WriteBackAsync(creatio, opportunity, Result(existing, created: false), cancellationToken);

        if (!await bindings.TryClaimAsync(BindingKinds.OpportunityDocument, key, cancellationToken))
        {
            // Another click is sending this opportunity right now, or sent it: wait on the store (not on Intacct,
            // whose request allowance the sending click needs), then read its document once.
            var otherGaveUp = false;
            for (var i = 0; i < 100; i++)
            {
                var claim = await bindings.GetAsync(BindingKinds.OpportunityDocument, key, cancellationToken);
                otherGaveUp = claim is null; // it failed, and its caller was told why
                if (otherGaveUp || claim!.IntacctId is not null) break;
                await Task.Delay(TimeSpan.FromMilliseconds(100), time, cancellationToken);
            }

            existing = await FindDocumentAsync(intacct, key, cancellationToken);
            if (existing is not null) return await WriteBackAsync(creatio, opportunity, Result(existing, created: false), cancellationToken);
            throw new FlowRefusedException(RefusalReason.Busy, "Already being sent", otherGaveUp
                ? "Another request was sending this opportunity to Intacct and did not finish; nothing was created. Try again."
                : "This opportunity is being sent to Intacct by another request; try again in a moment.");
        }

        try
        {
            var flow = await flows.GetEffectiveAsync(FlowId, cancellationToken); // document type and its options, the header mapping
            var settings = flow.Settings;
            var documentType = settings.GetValueOrDefault(DocumentType.Name) is { Length: > 0 } type ? type : DefaultDocumentType;
            var (account, lines) = await ValidateAsync(creatio, opportunity, cancellationToken);
            var header = await mapper.MapAsync(flow, opportunity, cancellationToken);
            var currency = settings.GetValueOrDefault(SendCurrency.Name) == "false" ? null : await CurrencyCodeAsync(creatio, opportunity, cancellationToken);
            var customerId = (await links.EnsureCustomerAsync(creatio, intacct, account, cancellationToken)).IntacctId;
            var items = new Dictionary<Guid, string>();
            foreach (var product in lines.Select(l => l.Product).DistinctBy(p => (string)p["Id"]!))
                items[Guid.Parse((string)product["Id"]!)] = (await links.EnsureItemAsync(creatio, intacct, product, cancellationToken)).IntacctId;

            var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
            var paymentTerm = settings.GetValueOrDefault(PaymentTerm) is { Length: > 0 } term ? term : null;
            DateOnly? due = paymentTerm is null && int.TryParse(settings.GetValueOrDefault(DueInDays.Name), out var days) ? today.AddDays(days) : null;
            var title = CreatioText.Truncate((string?)opportunity["Title"] ?? "", 200);
            var created = documentType == ArInvoice
                ? await intacct.CreateOnceAsync("ARINVOICE", CreateInvoice(customerId, today, due, paymentTerm, key, title, currency, lines, settings), "DOCNUMBER", key, InvoiceFields, cancellationToken)
                : await intacct.CreateOnceAsync("SODOCUMENT", CreateSalesTransaction(documentType, customerId, today, due, paymentTerm, key, currency, header, lines, items), "PONUMBER", key, DocumentFields, cancellationToken);
            var result = Result(created.Record, created.Created);

            await bindings.RecordAsync(BindingKinds.OpportunityDocument, key, result.DocumentNo, (string?)created.Record.Element("RECORDNO")?.Value, cancellationToken);
            log.LogInformation("Sent opportunity {OpportunityId} as {DocumentType} {DocumentNo}", opportunityId, result.DocumentType, result.DocumentNo);
            return await WriteBackAsync(creatio, opportunity, result, cancellationToken);
        }
        catch (MappingException ex)
        {
            await bindings.ReleaseClaimAsync(BindingKinds.OpportunityDocument, key, CancellationToken.None);
            throw new FlowRefusedException(RefusalReason.Invalid, "The opportunity cannot be mapped", $"{ex.Message} {ex.Hint}".Trim());
        }
        catch (IntacctException ex) when (ex.Failure is RemoteFailure.Rejected or RemoteFailure.Conflict)
        {
            // Intacct refused: the user sees why now, and the opportunity shows it to whoever opens it later.
            await bindings.ReleaseClaimAsync(BindingKinds.OpportunityDocument, key, CancellationToken.None);
            await InterweavePackage.SyncStatus.MarkFailedAsync(creatio, "Opportunity", opportunityId, ex.Message, log, CancellationToken.None);
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

    /// <summary>SODOCUMENT as Intacct reads it: the customer in CUSTVENDID, the transaction definition in DOCPARID (Order Entry page, CData SODocument).</summary>
    private static readonly string[] DocumentFields = ["RECORDNO", "DOCNO", "DOCID", "DOCPARID", "STATE", "CUSTVENDID", "PONUMBER", "TOTAL"];

    /// <summary>create_sotransaction, elements in the SDK's order: the opportunity's key in referenceno, lines as sotransitem.</summary>
    private static LegacyFunction CreateSalesTransaction(string documentType, string customerId, DateOnly today, DateOnly? due, string? paymentTerm, string key,
        string? currency, JsonObject header, IReadOnlyList<Line> lines, IReadOnlyDictionary<Guid, string> items)
    {
        var values = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["transactiontype"] = documentType,
            ["datecreated"] = LegacyFunction.Date(today),
            ["customerid"] = customerId,
            ["referenceno"] = key,
        };
        if (paymentTerm is not null) values["termname"] = paymentTerm;
        if (due is { } dueDate) values["datedue"] = LegacyFunction.Date(dueDate);
        if (currency is not null)
        {
            values["currency"] = currency;
            values["exchratetype"] = ""; // blank: Intacct Daily Rate, as the SDK writes it
        }

        foreach (var (target, value) in header)
            if ((string?)value is { Length: > 0 } text && IsMappableHeader(target)) values[target] = text;
        var body = new IntacctRecord("create_sotransaction");
        foreach (var element in SalesTransactionElements.Where(values.ContainsKey))
        {
            if (values[element] is IntacctRecord group) body.Group(element, group);
            else body.Set(element, (string)values[element]);
        }

        body.Lines("sotransitems", "sotransitem", lines.Select(line => new IntacctRecord("sotransitem")
            .Set("itemid", items[Guid.Parse((string)line.Product["Id"]!)])
            .Set("quantity", line.Quantity)
            .Set("discountpercent", line.DiscountPercent == 0 ? null : line.DiscountPercent)
            .Set("price", line.Price)));
        return new LegacyFunction(body);
    }

    /// <summary>create_invoice: the opportunity's key in ponumber (read back as DOCNUMBER), lines to the configured GL account.</summary>
    private static LegacyFunction CreateInvoice(string customerId, DateOnly today, DateOnly? due, string? paymentTerm, string key, string title, string? currency,
        IReadOnlyList<Line> lines, IReadOnlyDictionary<string, string> settings)
    {
        var body = new IntacctRecord("create_invoice")
            .Set("customerid", customerId)
            .Group("datecreated", LegacyFunction.Date(today));
        if (due is { } dueDate) body.Group("datedue", LegacyFunction.Date(dueDate));
        body.Set("termname", paymentTerm ?? (due is null ? "" : null))
            .Set("ponumber", key)
            .Set("description", title);
        if (currency is not null) body.Set("currency", currency).Set("exchratetype", "");
        return new LegacyFunction(body.Lines("invoiceitems", "lineitem", lines.Select(line => new IntacctRecord("lineitem")
            .Set("glaccountno", settings.GetValueOrDefault(ArRevenueAccount))
            .Set("amount", decimal.Round(line.Quantity * line.Price * (1 - (line.DiscountPercent / 100m)), 2))
            .Set("memo", CreatioText.Truncate($"{line.Quantity.ToString("0.####", CultureInfo.InvariantCulture)} × {(string?)line.Product["Name"]}", 200)))));
    }

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
            document.Element("DOCPARID")?.Value is { Length: > 0 } type ? type : DefaultDocumentType,
            document.Element("STATE")?.Value ?? "",
            document.Element("CUSTVENDID")?.Value ?? "",
            created);

    /// <summary>Refuses, before anything is written, an opportunity without an account, without lines, or worth nothing.</summary>
    private static async Task<(JsonObject Account, IReadOnlyList<Line> Lines)> ValidateAsync(CreatioConnection creatio, JsonObject opportunity, CancellationToken cancellationToken)
    {
        var title = (string?)opportunity["Title"];
        if (!Guid.TryParse((string?)opportunity["AccountId"], out var accountId) || accountId == Guid.Empty)
            throw new FlowRefusedException(RefusalReason.Invalid, "The opportunity has no account", $"Set the account of \"{title}\" before sending it to Intacct: the customer is created from it.");
        var account = await creatio.GetAsync("Account", accountId, cancellationToken: cancellationToken)
            ?? throw new FlowRefusedException(RefusalReason.Invalid, "The account does not exist", $"The account of \"{title}\" no longer exists in Creatio.");
        var (rows, _) = await creatio.QueryAsync("OpportunityProductInterest", new CreatioQuery(
            CreatioFilter.Lookup("Opportunity", Guid.Parse((string)opportunity["Id"]!)), ["Id", "ProductId", "Quantity", "Price", "Amount", "DiscountPercent"], ["Product"]), cancellationToken);
        var lines = rows.Where(r => r["Product"] is JsonObject).Select(r => new Line((JsonObject)r["Product"]!, CreatioValues.Decimal(r["Quantity"]), CreatioValues.Decimal(r["Price"]), CreatioValues.Decimal(r["DiscountPercent"]))).ToList();
        if (lines.Count == 0)
            throw new FlowRefusedException(RefusalReason.Invalid, "The opportunity has no products", $"Add products to \"{title}\" before sending it to Intacct: the order lines come from them.");
        // A sales document's lines sell: a negative quantity or price, or a discount outside 0-100 %, is a return or a
        // typo, and Intacct would book it as it stands.
        var invalid = lines.Where(l => l.Quantity < 0 || l.Price < 0 || l.DiscountPercent is < 0 or > 100).ToList();
        if (invalid.Count > 0)
            throw new FlowRefusedException(RefusalReason.Invalid, "A product line cannot be sent",
                string.Join(" ", invalid.Select(l => $"{(string?)l.Product["Name"]}: quantity {l.Quantity.ToString(CultureInfo.InvariantCulture)}, price {l.Price.ToString(CultureInfo.InvariantCulture)}, discount {l.DiscountPercent.ToString(CultureInfo.InvariantCulture)} %.")) +
                " Quantities and prices must not be negative and discounts must be between 0 and 100 %.");
        if (lines.Sum(l => l.Quantity * l.Price * (1 - (l.DiscountPercent / 100m))) <= 0)
            throw new FlowRefusedException(RefusalReason.Invalid, "The opportunity is worth nothing", $"The products of \"{title}\" add up to zero; set quantities and prices first.");
        return (account, lines);
    }
}
