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
    FlowStore flows,
    FieldMapper mapper,
    NotLinkedQueue notLinked,
    TimeProvider time,
    ILogger<SendOpportunityToIntacct> log) : IFlowRules
{
    public const string FlowId = "send-to-intacct";
    public const string DefaultDocumentType = "Sales Order";
    public const string ArInvoice = "AR Invoice";
    /// <summary>
    /// The document Send to Intacct creates: "AR Invoice", or any Order Entry transaction definition the company has
    /// (each company names its own; <see cref="SendToIntacctDocumentTypes"/> checks the name against Intacct's list).
    /// </summary>
    public static readonly FlowSetting DocumentType = new("documentType", value => value.Trim().Length is > 0 and <= 100 && value == value.Trim() && !value.Any(char.IsControl),
        "Name an Order Entry transaction definition of the Intacct company (such as \"Sales Order\"), or \"AR Invoice\".");

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

    /// <summary>Sends the opportunity; <paramref name="trail"/> collects what the send touched (the opportunity and its document, the customer, the items), for its run's records.</summary>
    public async Task<SendToIntacctResult> SendAsync(Guid opportunityId, CancellationToken cancellationToken, ButtonTrail? trail = null)
    {
        await flows.GetEnabledAsync(FlowId, cancellationToken); // turned off, the button is refused before anything is read
        var (creatio, intacct) = await connections.ConnectAsync(cancellationToken);
        var order = await ReadOrderAsync(creatio, opportunityId, cancellationToken);
        if (trail is not null) trail.SubjectLabel = order.Title;
        var found = await LookUpAsync(intacct, order, cancellationToken);
        if (found.Document is { } existing)
        {
            var sent = await WriteBackAsync(creatio, order, Result(existing, created: false), [], cancellationToken);
            trail?.Touched(DocumentTouched(order, sent));
            return sent;
        }

        if (!await bindings.TryClaimAsync(BindingKinds.OpportunityDocument, order.Key, cancellationToken))
        {
            var other = await AfterTheOtherClickAsync(creatio, intacct, order, cancellationToken);
            trail?.Touched(DocumentTouched(order, other));
            return other;
        }

        try
        {
            var flow = await flows.GetEffectiveAsync(FlowId, cancellationToken); // document type and its options, the header mapping
            var (account, lines) = Validate(order);
            await RefuseUnconfirmedLinksAsync(creatio, account, lines, found, cancellationToken);
            var header = await mapper.MapAsync(flow, order.Opportunity, cancellationToken);
            var (document, created, links) = await CreateAsync(intacct, flow, order, account, lines, header, found, cancellationToken);
            var result = Result(document, created);
            await bindings.RecordAsync(BindingKinds.OpportunityDocument, order.Key, result.DocumentNo, document.Element("RECORDNO")?.Value, cancellationToken);
            log.LogInformation("Sent opportunity {OpportunityId} as {DocumentType} {DocumentNo}", opportunityId, result.DocumentType, result.DocumentNo);
            var written = await WriteBackAsync(creatio, order, result, links, cancellationToken);
            Trace(trail, order, found, links, written);
            return written;
        }
        catch (MappingException ex)
        {
            await bindings.ReleaseClaimAsync(BindingKinds.OpportunityDocument, order.Key, CancellationToken.None);
            throw new FlowRefusedException(RefusalReason.Invalid, ex.Kind == NotLinked.Kind ? "Not linked to Intacct" : "The opportunity cannot be mapped",
                $"{ex.Message} {ex.Hint}".Trim());
        }
        catch (IntacctException ex) when (ex.Failure is RemoteFailure.Rejected or RemoteFailure.Conflict)
        {
            // Intacct refused: the user sees why now, and the opportunity shows it to whoever opens it later.
            await bindings.ReleaseClaimAsync(BindingKinds.OpportunityDocument, order.Key, CancellationToken.None);
            await InterweavePackage.SyncStatus.MarkFailedAsync(creatio, "Opportunity", opportunityId, ex.Message, log, CancellationToken.None);
            throw;
        }
        catch
        {
            await bindings.ReleaseClaimAsync(BindingKinds.OpportunityDocument, order.Key, CancellationToken.None);
            throw;
        }
    }

    /// <summary>The opportunity as Creatio holds it: its account and currency expanded, its product lines with their products.</summary>
    private sealed record Order(Guid Id, JsonObject Opportunity, JsonObject? Account, string? CurrencyCode, IReadOnlyList<Line> Lines)
    {
        public string Key => Id.ToString("D");

        public string Title => (string?)Opportunity[nameof(Title)] ?? "";
    }

    /// <summary>What Intacct already has for an order: its document, and the customer and items it needs (by binding or key field).</summary>
    private sealed record Found(XElement? Document, Partner? Customer, IReadOnlyDictionary<Guid, Partner> Items);

    /// <summary>An Intacct customer or item for a Creatio record; <c>Linked</c> when this click linked or made it, so the binding is recorded and Creatio told.</summary>
    private sealed record Partner(string Kind, Guid CreatioId, string IntacctId, string? RecordNo, bool Linked, bool Made = false)
    {
        public PairedObjects Pair => Kind == BindingKinds.AccountCustomer ? InterweavePackage.AccountCustomer : InterweavePackage.ProductItem;
    }

    /// <summary>The opportunity, its account, its currency and its lines in one $batch.</summary>
    private static async Task<Order> ReadOrderAsync(CreatioConnection creatio, Guid opportunityId, CancellationToken cancellationToken)
    {
        var reads = await creatio.GetEachAsync([
            new CreatioRead("Opportunity", opportunityId, new CreatioQuery(Expand: ["Account", "Currency"])),
            new CreatioRead("OpportunityProductInterest", null, new CreatioQuery(CreatioFilter.Lookup("Opportunity", opportunityId),
                ["Id", "ProductId", "Quantity", "Price", "Amount", "DiscountPercent"], ["Product"])),
        ], cancellationToken);
        if (reads.Select(r => r.Failure).OfType<CreatioException>().FirstOrDefault() is { } failure) throw failure;
        var opportunity = reads[0].Row ?? throw new FlowRefusedException(RefusalReason.NotFound, "Opportunity not found", $"No opportunity {opportunityId} exists in Creatio.");
        var lines = (reads[1].Row?["value"] as JsonArray ?? []).OfType<JsonObject>().Where(r => r["Product"] is JsonObject)
            .Select(r => new Line((JsonObject)r["Product"]!, CreatioValues.Decimal(r["Quantity"]), CreatioValues.Decimal(r["Price"]), CreatioValues.Decimal(r["DiscountPercent"])))
            .ToList();
        var currency = (string?)(opportunity["Currency"] as JsonObject)?["Code"] is { Length: > 0 } code ? code : null;
        return new Order(opportunityId, opportunity, opportunity["Account"] as JsonObject, currency, lines);
    }

    /// <summary>
    /// In one Intacct request: the opportunity's document (an Order Entry document by PONUMBER, else an AR invoice by
    /// DOCNUMBER — both, so that changing the document type setting never gives an opportunity a second document),
    /// and the customer and items not bound yet, by their key fields (ACCOUNTID, PRODUCTID).
    /// </summary>
    private async Task<Found> LookUpAsync(IntacctConnection intacct, Order order, CancellationToken cancellationToken)
    {
        Partner? customer = null;
        var accountId = AccountIdOf(order);
        if (accountId is { } account && await bindings.GetAsync(BindingKinds.AccountCustomer, account.ToString("D"), cancellationToken) is { IntacctId: { } bound } binding)
            customer = new Partner(BindingKinds.AccountCustomer, account, bound, binding.IntacctRecordNo, Linked: false);
        var items = new Dictionary<Guid, Partner>();
        foreach (var product in order.Lines.Select(l => ProductIdOf(l.Product)).Distinct())
            if (await bindings.GetAsync(BindingKinds.ProductItem, product.ToString("D"), cancellationToken) is { IntacctId: { } item } itemBinding)
                items[product] = new Partner(BindingKinds.ProductItem, product, item, itemBinding.IntacctRecordNo, Linked: false);
        var unboundProducts = order.Lines.Select(l => ProductIdOf(l.Product)).Distinct().Where(p => !items.ContainsKey(p)).ToList();

        var queries = DocumentQueries(order.Key);
        if (customer is null && accountId is { } unbound)
            queries.Add(new QueryRecords("CUSTOMER", ["RECORDNO", "CUSTOMERID", "ACCOUNTID"], QueryFilter.EqualTo("ACCOUNTID", unbound.ToString("D")), PageSize: 2));
        if (unboundProducts.Count > 0)
            queries.Add(new QueryRecords("ITEM", ["RECORDNO", "ITEMID", "PRODUCTID"], QueryFilter.In("PRODUCTID", unboundProducts.Select(p => p.ToString("D"))),
                PageSize: unboundProducts.Count + 1));
        var results = await intacct.ExecuteEachAsync(queries, cancellationToken);
        if (results.Select(r => r.Failure).OfType<IntacctException>().FirstOrDefault() is { } failure) throw failure;

        var document = FirstOf(results[0].Result!.Records) ?? FirstOf(results[1].Result!.Records);
        var next = 2;
        if (customer is null && accountId is { } named && FirstOf(results[next++].Result!.Records) is { } foundCustomer)
            customer = new Partner(BindingKinds.AccountCustomer, named, foundCustomer.Element("CUSTOMERID")!.Value, foundCustomer.Element("RECORDNO")?.Value, Linked: true);
        if (unboundProducts.Count > 0)
            foreach (var record in results[next].Result!.Records)
                if (Guid.TryParse(record.Element("PRODUCTID")?.Value, out var product))
                    items[product] = new Partner(BindingKinds.ProductItem, product, record.Element("ITEMID")!.Value, record.Element("RECORDNO")?.Value, Linked: true);
        return new Found(document, customer, items);
    }

    /// <summary>
    /// The customer and items the order still needs, and its document, in one transaction: all of them or none. When
    /// the answer is lost, or Intacct finds that a customer or item was made meanwhile, what exists is looked up
    /// again before anything is sent again, so a retry never makes a second record.
    /// </summary>
    private async Task<(XElement Document, bool Created, IReadOnlyList<Partner> Links)> CreateAsync(IntacctConnection intacct, FlowDefinition flow, Order order,
        JsonObject account, IReadOnlyList<Line> lines, JsonObject header, Found found, CancellationToken cancellationToken)
    {
        var settings = flow.Settings;
        var documentType = settings.GetValueOrDefault(DocumentType.Name) is { Length: > 0 } type ? type : DefaultDocumentType;
        var currency = settings.GetValueOrDefault(SendCurrency.Name) == "false" ? null : order.CurrencyCode;
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        var paymentTerm = settings.GetValueOrDefault(PaymentTerm) is { Length: > 0 } term ? term : null;
        DateOnly? due = paymentTerm is null && int.TryParse(settings.GetValueOrDefault(DueInDays.Name), out var days) ? today.AddDays(days) : null;
        for (var attempt = 1; ; attempt++)
        {
            var newCustomer = found.Customer is null ? IntacctLinks.NewCustomer(account) : null;
            var newItems = lines.Select(l => l.Product).DistinctBy(ProductIdOf).Where(p => !found.Items.ContainsKey(ProductIdOf(p))).Select(IntacctLinks.NewItem).ToList();
            var customerId = found.Customer?.IntacctId ?? newCustomer!.Value("CUSTOMERID")!;
            var items = lines.Select(l => ProductIdOf(l.Product)).Distinct().ToDictionary(p => p, p => found.Items.TryGetValue(p, out var item) ? item.IntacctId
                : newItems.Single(n => n.Value("PRODUCTID") == p.ToString("D")).Value("ITEMID")!);
            IntacctFunction create = documentType == ArInvoice
                ? CreateInvoice(customerId, today, due, paymentTerm, order.Key, CreatioText.Truncate(order.Title, 200), currency, lines, settings)
                : CreateSalesTransaction(documentType, customerId, today, due, paymentTerm, order.Key, currency, header, lines, items);
            var functions = new List<IntacctFunction>();
            if (newCustomer is not null) functions.Add(new CreateRecords(newCustomer));
            functions.AddRange(newItems.Select(i => new CreateRecords(i)));
            functions.Add(create);
            try
            {
                var response = await intacct.ExecuteAsync(functions, transaction: true, cancellationToken);
                if (response.Results.FirstOrDefault(r => r.Status == "failure") is { } refused) throw IntacctResponseParser.FunctionFailure(refused);
                var made = response.Results.Take(functions.Count - 1).SelectMany(r => r.Records).ToList();
                var document = await ReadDocumentAsync(intacct, order.Key, documentType, cancellationToken);
                var links = new List<Partner>();
                if (found.Customer is { Linked: true } linkedCustomer) links.Add(linkedCustomer);
                if (newCustomer is not null) links.Add(Made(BindingKinds.AccountCustomer, AccountIdOf(order)!.Value, "CUSTOMERID", customerId, made));
                links.AddRange(found.Items.Values.Where(i => i.Linked));
                links.AddRange(newItems.Select(i => Made(BindingKinds.ProductItem, Guid.Parse(i.Value("PRODUCTID")!), "ITEMID", i.Value("ITEMID")!, made)));
                await RecordPartnersAsync(links, cancellationToken);
                return (document, true, links);
            }
            catch (IntacctException ex) when (ex.Failure is RemoteFailure.UnknownOutcome or RemoteFailure.Conflict && attempt < MaxCreateAttempts)
            {
                var before = (found.Customer is null, found.Items.Count);
                log.LogWarning("Sending opportunity {OpportunityId} may not have gone through, or met records made meanwhile ({Reason}); looking it up before trying again",
                    order.Id, ex.Message);
                found = await LookUpAsync(intacct, order, cancellationToken);
                if (found.Document is { } document)
                {
                    var links = found.Items.Values.Where(i => i.Linked).ToList();
                    if (found.Customer is { Linked: true } linkedCustomer) links.Insert(0, linkedCustomer);
                    await RecordPartnersAsync(links, cancellationToken);
                    return (document, ex.Failure == RemoteFailure.UnknownOutcome, links);
                }

                // A conflict with nothing made meanwhile is an Intacct record with our id that is not ours: a refusal.
                if (ex.Failure == RemoteFailure.Conflict && before == (found.Customer is null, found.Items.Count)) throw;
            }
        }
    }

    private const int MaxCreateAttempts = 4;

    /// <summary>The opportunity and its document: created, or found from an earlier send.</summary>
    private static TouchedRecord DocumentTouched(Order order, SendToIntacctResult result) =>
        new("Opportunity", order.Key, result.DocumentType == ArInvoice ? "ARINVOICE" : "SODOCUMENT", result.DocumentNo,
            result.Created ? RecordAction.Created : RecordAction.Unchanged, order.Title);

    /// <summary>
    /// What a send that made a document touched: the document, its customer and its items, each created, linked (an
    /// existing Intacct record paired now: updated) or as it was.
    /// </summary>
    private static void Trace(ButtonTrail? trail, Order order, Found found, IReadOnlyList<Partner> links, SendToIntacctResult result)
    {
        if (trail is null) return;
        trail.Touched(DocumentTouched(order, result));
        if ((links.FirstOrDefault(l => l.Kind == BindingKinds.AccountCustomer) ?? found.Customer) is { } customer)
            trail.Touched(new TouchedRecord("Account", customer.CreatioId.ToString("D"), "CUSTOMER", customer.IntacctId, ActionOf(customer), (string?)order.Account?["Name"]));
        foreach (var product in order.Lines.Select(l => l.Product).DistinctBy(ProductIdOf))
        {
            var id = ProductIdOf(product);
            if ((links.FirstOrDefault(l => l.Kind == BindingKinds.ProductItem && l.CreatioId == id) ?? found.Items.GetValueOrDefault(id)) is { } item)
                trail.Touched(new TouchedRecord("Product", id.ToString("D"), "ITEM", item.IntacctId, ActionOf(item), (string?)product["Name"]));
        }

        static RecordAction ActionOf(Partner partner) => partner.Made ? RecordAction.Created : partner.Linked ? RecordAction.Updated : RecordAction.Unchanged;
    }

    private static XElement? FirstOf(IReadOnlyList<XElement> records) => records.Count > 0 ? records[0] : null;

    private static Partner Made(string kind, Guid creatioId, string idField, string intacctId, IReadOnlyList<XElement> made) =>
        new(kind, creatioId, intacctId, made.FirstOrDefault(r => r.Element(idField)?.Value == intacctId)?.Element("RECORDNO")?.Value, Linked: true, Made: true);

    private async Task RecordPartnersAsync(IReadOnlyList<Partner> partners, CancellationToken cancellationToken)
    {
        foreach (var partner in partners)
            await bindings.RecordAsync(partner.Kind, partner.CreatioId.ToString("D"), partner.IntacctId, partner.RecordNo, cancellationToken);
    }

    /// <summary>The document just made, as Intacct reads it (its number, type and state).</summary>
    private static async Task<XElement> ReadDocumentAsync(IntacctConnection intacct, string key, string documentType, CancellationToken cancellationToken) =>
        (documentType == ArInvoice
            ? await intacct.FindAsync("ARINVOICE", "DOCNUMBER", key, InvoiceFields, cancellationToken)
            : await intacct.FindAsync("SODOCUMENT", "PONUMBER", key, DocumentFields, cancellationToken))
        ?? throw new IntacctException(RemoteFailure.Rejected, IntacctErrorLevel.Function, [], null, $"The new {documentType} cannot be found by the opportunity's id.");

    /// <summary>
    /// Another click is sending this opportunity right now, or sent it: wait on the store (not on Intacct, whose
    /// request allowance the sending click needs), then read its document once.
    /// </summary>
    private async Task<SendToIntacctResult> AfterTheOtherClickAsync(CreatioConnection creatio, IntacctConnection intacct, Order order, CancellationToken cancellationToken)
    {
        var otherGaveUp = false;
        for (var i = 0; i < 100; i++)
        {
            var claim = await bindings.GetAsync(BindingKinds.OpportunityDocument, order.Key, cancellationToken);
            otherGaveUp = claim is null; // it failed, and its caller was told why
            if (otherGaveUp || claim!.IntacctId is not null) break;
            await Task.Delay(TimeSpan.FromMilliseconds(100), time, cancellationToken);
        }

        var existing = await FindDocumentAsync(intacct, order.Key, cancellationToken);
        if (existing is not null) return await WriteBackAsync(creatio, order, Result(existing, created: false), [], cancellationToken);
        throw new FlowRefusedException(RefusalReason.Busy, "Already being sent", otherGaveUp
            ? "Another request was sending this opportunity to Intacct and did not finish; nothing was created. Try again."
            : "This opportunity is being sent to Intacct by another request; try again in a moment.");
    }

    /// <summary>
    /// In one $batch: the document's number, type and state onto the opportunity unless it already shows them (so a
    /// click after a failed write-back repairs it), and the Intacct ids onto the account and products this click
    /// linked or made.
    /// </summary>
    private async Task<SendToIntacctResult> WriteBackAsync(CreatioConnection creatio, Order order, SendToIntacctResult result, IReadOnlyList<Partner> links,
        CancellationToken cancellationToken)
    {
        var writes = new List<CreatioWrite>();
        if ((string?)order.Opportunity["UsrIntacctDocumentNo"] != result.DocumentNo || (string?)order.Opportunity["UsrIntacctState"] != result.State)
            writes.Add(new CreatioWrite("Opportunity", order.Id, new JsonObject
            {
                ["UsrIntacctDocumentNo"] = result.DocumentNo,
                ["UsrIntacctDocumentType"] = result.DocumentType,
                ["UsrIntacctState"] = result.State,
                ["UsrIntacctSyncStatusId"] = IntacctSyncStatus.Synced.ToString("D"),
                ["UsrIntacctLastSyncError"] = "",
            }, Create: false));
        var now = time.GetUtcNow();
        foreach (var link in links)
        {
            var values = InterweavePackage.SyncStatus.Synced(now);
            values[link.Pair.IntacctIdColumn] = link.IntacctId;
            writes.Add(new CreatioWrite(link.Pair.CreatioEntity, link.CreatioId, values, Create: false));
        }

        if (writes.Count == 0) return result;
        if ((await creatio.WriteManyAsync(writes, cancellationToken)).OfType<CreatioException>().FirstOrDefault() is { } failure) throw failure;
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
    /// The document this opportunity already has, in one request: an Order Entry document by PONUMBER, else an AR
    /// invoice by DOCNUMBER.
    /// </summary>
    private static async Task<XElement?> FindDocumentAsync(IntacctConnection intacct, string key, CancellationToken cancellationToken)
    {
        var results = await intacct.ExecuteEachAsync(DocumentQueries(key), cancellationToken);
        if (results.Select(r => r.Failure).OfType<IntacctException>().FirstOrDefault() is { } failure) throw failure;
        return FirstOf(results[0].Result!.Records) ?? FirstOf(results[1].Result!.Records);
    }

    /// <summary>Both places an opportunity's document can be, so that changing the document type setting never gives it a second one.</summary>
    private static List<IntacctFunction> DocumentQueries(string key) =>
    [
        new QueryRecords("SODOCUMENT", DocumentFields, QueryFilter.EqualTo("PONUMBER", key), PageSize: 2),
        new QueryRecords("ARINVOICE", InvoiceFields, QueryFilter.EqualTo("DOCNUMBER", key), PageSize: 2),
    ];

    private static SendToIntacctResult Result(XElement document, bool created) => document.Name.LocalName == "ARINVOICE"
        ? new(document.Element("RECORDID")?.Value ?? "", ArInvoice, document.Element("STATE")?.Value ?? "", document.Element("CUSTOMERID")?.Value ?? "", created)
        : new(
            document.Element("DOCNO")?.Value ?? "",
            document.Element("DOCPARID")?.Value is { Length: > 0 } type ? type : DefaultDocumentType,
            document.Element("STATE")?.Value ?? "",
            document.Element("CUSTVENDID")?.Value ?? "",
            created);

    private static Guid? AccountIdOf(Order order) =>
        Guid.TryParse((string?)order.Opportunity["AccountId"], out var id) && id != Guid.Empty ? id : null;

    private static Guid ProductIdOf(JsonObject product) => Guid.Parse((string)product["Id"]!);

    /// <summary>
    /// Refuses, before anything is written, an account or product that names an Intacct record which neither a binding
    /// nor that record's own key field confirms: any Creatio user can type the id, and the document would bill whoever it
    /// names (security review 2026-12-07, F1). Making a new customer or item instead would duplicate the one it names. The
    /// refusal waits in the error queue for an admin.
    /// </summary>
    private async Task RefuseUnconfirmedLinksAsync(CreatioConnection creatio, JsonObject account, IReadOnlyList<Line> lines, Found found, CancellationToken cancellationToken)
    {
        var (customers, items) = (InterweavePackage.AccountCustomer, InterweavePackage.ProductItem);
        (PairedObjects Pair, Guid Id, string Named)? claim = null;
        if (found.Customer is null && (string?)account[customers.IntacctIdColumn] is { Length: > 0 } customer)
            claim = (customers, Guid.Parse((string)account["Id"]!), customer);
        else if (lines.Select(l => l.Product).FirstOrDefault(p => !found.Items.ContainsKey(ProductIdOf(p)) && (string?)p[items.IntacctIdColumn] is { Length: > 0 }) is { } product)
            claim = (items, ProductIdOf(product), (string)product[items.IntacctIdColumn]!);
        if (claim is not { } c) return;
        var refusal = NotLinked.Refusal(c.Pair, c.Id.ToString("D"), c.Named);
        await notLinked.QueueAsync(c.Pair, c.Id, refusal, creatio, CancellationToken.None);
        throw refusal;
    }

    /// <summary>Refuses, before anything is written, an opportunity without an account, without lines, or worth nothing.</summary>
    private static (JsonObject Account, IReadOnlyList<Line> Lines) Validate(Order order)
    {
        var title = order.Title;
        if (AccountIdOf(order) is null)
            throw new FlowRefusedException(RefusalReason.Invalid, "The opportunity has no account", $"Set the account of \"{title}\" before sending it to Intacct: the customer is created from it.");
        var account = order.Account
            ?? throw new FlowRefusedException(RefusalReason.Invalid, "The account does not exist", $"The account of \"{title}\" no longer exists in Creatio.");
        var lines = order.Lines;
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
