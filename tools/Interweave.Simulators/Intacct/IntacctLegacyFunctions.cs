using System.Xml.Linq;

namespace Interweave.Simulators.Intacct;

/// <summary>
/// The legacy (2.1-style) functions Sage documents as the only writes of Order Entry transactions and AR invoices,
/// and the AR payment and adjustment functions, with the element names the official SDKs write
/// (intacct-sdk-js src/Functions/OrderEntry/*.ts and AccountsReceivable/*.ts). Dates come as split year, month and
/// day elements; a successful create answers with a bare key, not with data (intacct-sdk-net ResultTest.cs,
/// LegacyCreateClassKeyTest). Elements the SDKs write that the books do not model (shipping, tax, revenue
/// recognition, projects) are accepted and not kept; any other element fails schema validation, as Intacct's DTD would.
/// </summary>
internal static class IntacctLegacyFunctions
{
    public static readonly IReadOnlySet<string> Names = new HashSet<string>(StringComparer.Ordinal)
    {
        "create_sotransaction", "update_sotransaction", "delete_sotransaction",
        "create_invoice", "update_invoice", "reverse_invoice", "delete_invoice",
        "create_arpayment", "apply_arpayment", "reverse_arpayment",
        "create_aradjustment", "delete_aradjustment",
    };

    private static readonly string[] SalesHeader =
    [
        "transactiontype", "datecreated", "dateposted", "createdfrom", "customerid", "documentno", "origdocdate", "referenceno", "termname", "datedue",
        "message", "shippingmethod", "shipto", "billto", "supdocid", "externalid", "basecurr", "currency", "exchratedate", "exchratetype", "exchrate",
        "vsoepricelist", "customfields", "state", "projectid", "sotransitems", "subtotals", "customerponumber", "updatesotransitems", "updatesubtotals",
    ];

    private static readonly string[] SalesLine =
    [
        "bundlenumber", "itemid", "itemdesc", "taxable", "warehouseid", "quantity", "unit", "discountpercent", "price", "discsurchargememo", "locationid",
        "departmentid", "memo", "itemdetails", "customfields", "revrectemplate", "revrecstartdate", "revrecenddate", "renewalmacro", "projectid", "customerid",
        "vendorid", "employeeid", "classid", "contractid", "fulfillmentstatus", "taskno", "billingtemplate",
    ];

    private static readonly string[] InvoiceHeader =
    [
        "customerid", "datecreated", "dateposted", "datedue", "termname", "action", "batchkey", "invoiceno", "ponumber", "onhold", "description", "externalid",
        "billto", "shipto", "payto", "returnto", "basecurr", "currency", "exchratedate", "exchratetype", "exchrate", "nogl", "supdocid", "customfields",
        "invoiceitems", "updateinvoiceitems", "taxsolutionid",
    ];

    private static readonly string[] AmountLine =
    [
        "glaccountno", "accountlabel", "offsetglaccountno", "amount", "allocationid", "memo", "locationid", "departmentid", "key", "totalpaid", "totaldue",
        "customfields", "revrectemplate", "defrevaccount", "revrecstartdate", "revrecenddate", "projectid", "customerid", "vendorid", "employeeid", "itemid",
        "classid", "contractid", "warehouseid", "taxentries",
    ];

    private static readonly string[] PaymentHeader =
    [
        "customerid", "paymentamount", "translatedamount", "batchkey", "bankaccountid", "undepfundsacct", "refid", "overpaylocid", "overpaydeptid", "datereceived",
        "paymentmethod", "basecurr", "currency", "exchratedate", "exchratetype", "exchrate", "cctype", "authcode", "arpaymentitem", "onlinecardpayment", "onlineachpayment",
    ];

    private static readonly string[] AdjustmentHeader =
    [
        "customerid", "datecreated", "dateposted", "batchkey", "adjustmentno", "action", "invoiceno", "description", "externalid", "basecurr", "currency",
        "exchratedate", "exchratetype", "exchrate", "nogl", "customfields", "aradjustmentitems",
    ];

    /// <summary>Runs one legacy function; returns the key element of its answer, or null when it answers with none.</summary>
    public static XElement? Execute(IntacctCompany company, XElement body) => body.Name.LocalName switch
    {
        "create_sotransaction" => CreateSalesTransaction(company, body),
        "update_sotransaction" => UpdateSalesTransaction(company, body),
        "delete_sotransaction" => DeleteSalesTransaction(company, body),
        "create_invoice" => CreateInvoice(company, body),
        "update_invoice" => UpdateInvoice(company, body),
        "reverse_invoice" => ReverseInvoice(company, body),
        "delete_invoice" => Delete(company, "ARINVOICE", body),
        "create_arpayment" => CreatePayment(company, body),
        "apply_arpayment" => ApplyPayment(company, body),
        "reverse_arpayment" => ReversePayment(company, body),
        "create_aradjustment" => CreateAdjustment(company, body),
        "delete_aradjustment" => Delete(company, "ARADJUSTMENT", body),
        _ => throw new InvalidOperationException(body.Name.LocalName),
    };

    private static XElement CreateSalesTransaction(IntacctCompany company, XElement body)
    {
        const string could = "Could not create Document record.";
        Known(body, SalesHeader);
        var type = company.TransactionDefinition(Required(body, "transactiontype"), could);
        var header = new XElement("SODOCUMENT",
            Field("WHENCREATED", IntacctValues.SplitDate(body.Element("datecreated") ?? throw Missing("datecreated"), "datecreated")),
            Field("WHENPOSTED", IntacctValues.SplitDate(body.Element("dateposted"), "dateposted")),
            Field("CUSTVENDID", Required(body, "customerid")),
            Field("DOCNO", Text(body, "documentno")),
            Field("PONUMBER", Text(body, "referenceno")),
            Text(body, "termname") is { Length: > 0 } term ? new XElement("TERM", new XElement("NAME", term)) : null,
            Field("WHENDUE", IntacctValues.SplitDate(body.Element("datedue"), "datedue")),
            Field("MESSAGE", Text(body, "message")),
            Field("EXTERNALID", Text(body, "externalid")),
            Field("CURRENCY", Text(body, "currency")),
            Field("BASECURR", Text(body, "basecurr")),
            Field("STATE", State(body, could)));
        if (Text(body, "createdfrom") is { Length: > 0 } source)
        {
            if (company.FindById(company.Definitions["SODOCUMENT"], source) is null)
                throw IntacctFunctionException.Business("Invalid source document", $"The document {source} to convert from does not exist.", "Name an existing document ID.", could);
            header.Add(new XElement("CREATEDFROM", source));
        }

        CustomFields(company, "SODOCUMENT", body, header, could);
        var lines = (body.Element("sotransitems") ?? throw Missing("sotransitems")).Elements("sotransitem").Select(l => SalesLineRecord(l)).ToList();
        var document = company.CreateSalesDocument(type, header, lines, could);
        return new XElement("key", document.Element("DOCID")!.Value);
    }

    private static XElement? UpdateSalesTransaction(IntacctCompany company, XElement body)
    {
        const string could = "Could not update Document record.";
        Known(body, SalesHeader);
        var document = DocumentByKey(company, body, could);
        var changes = new XElement("SODOCUMENT",
            Field("WHENCREATED", IntacctValues.SplitDate(body.Element("datecreated"), "datecreated")),
            Field("WHENPOSTED", IntacctValues.SplitDate(body.Element("dateposted"), "dateposted")),
            Field("PONUMBER", Text(body, "referenceno")),
            Text(body, "termname") is { Length: > 0 } term ? new XElement("TERM", new XElement("NAME", term)) : null,
            Field("WHENDUE", IntacctValues.SplitDate(body.Element("datedue"), "datedue")),
            Field("MESSAGE", Text(body, "message")),
            Field("EXTERNALID", Text(body, "externalid")),
            Field("CURRENCY", Text(body, "currency")),
            Field("STATE", State(body, could)));
        CustomFields(company, "SODOCUMENT", body, changes, could);

        List<XElement>? lines = null;
        if (body.Element("updatesotransitems") is { } updates)
        {
            // The document's lines in the write shape, then each updatesotransitem replaces its line_num and each sotransitem is added.
            lines = company.LinesOf(company.Definitions["SODOCUMENT"], document).Select(l => new XElement("SODOCUMENTENTRY",
                l.Elements().Where(e => e.Name.LocalName is "ITEMID" or "ITEMDESC" or "QUANTITY" or "UNIT" or "PRICE" or "DISCOUNTPERCENT" or "MEMO" or "LOCATIONID" or "DEPARTMENTID" or "WAREHOUSEID")
                    .Select(e => new XElement(e)))).ToList();
            foreach (var update in updates.Elements())
            {
                var line = SalesLineRecord(update);
                if (update.Name.LocalName == "sotransitem") lines.Add(line);
                else if (update.Name.LocalName == "updatesotransitem" && int.TryParse(update.Attribute("line_num")?.Value, out var lineNo) && lineNo >= 1 && lineNo <= lines.Count)
                    lines[lineNo - 1] = line;
                else throw IntacctErrors.Schema($"updatesotransitems holds sotransitem and updatesotransitem elements with a line_num of an existing line; found {update.Name.LocalName}.");
            }
        }

        company.UpdateSalesDocument(document, changes, lines, could);
        return null;
    }

    private static XElement? DeleteSalesTransaction(IntacctCompany company, XElement body)
    {
        company.DeleteSalesDocument(DocumentByKey(company, body, "Could not delete Document record."), "Could not delete Document record.");
        return null;
    }

    private static XElement CreateInvoice(IntacctCompany company, XElement body)
    {
        const string could = "Could not create Invoice record.";
        Known(body, InvoiceHeader);
        var header = new XElement("ARINVOICE",
            Field("CUSTOMERID", Required(body, "customerid")),
            Field("WHENCREATED", IntacctValues.SplitDate(body.Element("datecreated") ?? throw Missing("datecreated"), "datecreated")),
            Field("WHENPOSTED", IntacctValues.SplitDate(body.Element("dateposted"), "dateposted")),
            Field("WHENDUE", IntacctValues.SplitDate(body.Element("datedue"), "datedue")),
            Field("TERMNAME", Text(body, "termname")),
            Field("RECORDID", Text(body, "invoiceno")),
            Field("DOCNUMBER", Text(body, "ponumber")),
            Field("DESCRIPTION", Text(body, "description")),
            Field("EXTERNALID", Text(body, "externalid")),
            Field("CURRENCY", Text(body, "currency")),
            Field("BASECURR", Text(body, "basecurr")));
        CustomFields(company, "ARINVOICE", body, header, could);
        var lines = (body.Element("invoiceitems") ?? throw Missing("invoiceitems")).Elements("lineitem").Select(l => AmountLineRecord("ARINVOICEITEM", l, could)).ToList();
        var invoice = company.PostInvoice(header, lines, Action(body, could) == "Draft", could);
        return new XElement("key", invoice.Element("RECORDNO")!.Value);
    }

    private static XElement? UpdateInvoice(IntacctCompany company, XElement body)
    {
        const string could = "Could not update Invoice record.";
        Known(body, InvoiceHeader);
        var invoice = ByRecordNo(company, "ARINVOICE", body.Attribute("key")?.Value, could);
        if (invoice.Element("STATE")?.Value is "Paid" or "Partially Paid" or "Reversed")
            throw IntacctFunctionException.Business("Invoice cannot change", $"Invoice {invoice.Element("RECORDID")?.Value} is {invoice.Element("STATE")?.Value}.", null, could);
        if (body.Element("updateinvoiceitems") is not null)
            throw IntacctFunctionException.Business("Not supported", "This simulator does not change invoice lines through update_invoice.", "Reverse the invoice and create a new one.", could);
        foreach (var (element, field) in new[] { ("invoiceno", "RECORDID"), ("ponumber", "DOCNUMBER"), ("description", "DESCRIPTION"), ("termname", "TERMNAME") })
            if (Text(body, element) is { } value) invoice.SetElementValue(field, value);
        if (IntacctValues.SplitDate(body.Element("datedue"), "datedue") is { } due) invoice.SetElementValue("WHENDUE", due);
        if (Action(body, could) == "Submit" && invoice.Element("STATE")?.Value == "Draft")
            throw IntacctFunctionException.Business("Not supported", "This simulator does not post draft invoices through update_invoice.", null, could);
        invoice.SetElementValue("WHENMODIFIED", IntacctValues.FormatDateTime(company.Time.GetUtcNow()));
        return null;
    }

    private static XElement? ReverseInvoice(IntacctCompany company, XElement body) =>
        Reverse(company, body, "ARINVOICE", "Could not reverse Invoice record.", company.ReverseInvoice);

    private static XElement CreatePayment(IntacctCompany company, XElement body)
    {
        const string could = "Could not create AR Payment record.";
        Known(body, PaymentHeader);
        var amount = FieldValidation.Value(new FieldDef("paymentamount", FieldKind.Decimal), Required(body, "paymentamount"), "create_arpayment.paymentamount", could);
        var header = new XElement("ARPYMT",
            Field("CUSTOMERID", Required(body, "customerid")),
            Field("PAYMENTMETHOD", Method(company, Required(body, "paymentmethod"), could)),
            Field("FINANCIALENTITY", Text(body, "bankaccountid")),
            Field("UNDEPOSITEDACCOUNTNO", Text(body, "undepfundsacct")),
            Field("PRBATCH", Text(body, "batchkey")),
            Field("DOCNUMBER", Text(body, "refid")),
            Field("RECEIPTDATE", IntacctValues.SplitDate(body.Element("datereceived") ?? throw Missing("datereceived"), "datereceived")),
            Field("CURRENCY", Text(body, "currency") ?? "USD"),
            Field("BASECURR", Text(body, "basecurr")));
        var details = body.Elements("arpaymentitem").Select(i => PaymentDetail(i, could)).ToList();
        var payment = company.CreatePayment(header, details, draft: false, decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture), company.Time.GetUtcNow());
        return new XElement("key", payment.Element("RECORDNO")!.Value);
    }

    private static XElement ApplyPayment(IntacctCompany company, XElement body)
    {
        const string could = "Could not apply AR Payment record.";
        Known(body, ["arpaymentkey", "paymentdate", "batchkey", "memo", "overpaylocid", "overpaydeptid", "arpaymentitems"]);
        var payment = ByRecordNo(company, "ARPYMT", Required(body, "arpaymentkey"), could);
        var date = IntacctValues.SplitDate(body.Element("paymentdate") ?? throw Missing("paymentdate"), "paymentdate");
        var details = body.Element("arpaymentitems")?.Elements("arpaymentitem").Select(i => PaymentDetail(i, could)).ToList() ?? [];
        return new XElement("key", company.ApplyPayment(payment, details, date!, could).Element("RECORDNO")!.Value);
    }

    private static XElement? ReversePayment(IntacctCompany company, XElement body) =>
        Reverse(company, body, "ARPYMT", "Could not reverse AR Payment record.", company.ReversePayment);

    /// <summary>reverse_invoice and reverse_arpayment: a key attribute and a datereversed split date.</summary>
    private static XElement? Reverse(IntacctCompany company, XElement body, string objectName, string could, Action<XElement, string> reverse)
    {
        IntacctValues.SplitDate(body.Element("datereversed") ?? throw Missing("datereversed"), "datereversed");
        reverse(ByRecordNo(company, objectName, body.Attribute("key")?.Value, could), could);
        return null;
    }

    private static XElement CreateAdjustment(IntacctCompany company, XElement body)
    {
        const string could = "Could not create AR Adjustment record.";
        Known(body, AdjustmentHeader);
        var header = new XElement("ARADJUSTMENT",
            Field("CUSTOMERID", Required(body, "customerid")),
            Field("WHENCREATED", IntacctValues.SplitDate(body.Element("datecreated") ?? throw Missing("datecreated"), "datecreated")),
            Field("WHENPOSTED", IntacctValues.SplitDate(body.Element("dateposted"), "dateposted")),
            Field("RECORDID", Text(body, "adjustmentno")),
            Field("DOCNUMBER", Text(body, "invoiceno")),
            Field("DESCRIPTION", Text(body, "description")),
            Field("CURRENCY", Text(body, "currency")));
        var lines = (body.Element("aradjustmentitems") ?? throw Missing("aradjustmentitems")).Elements("lineitem").Select(l => AmountLineRecord("ARADJUSTMENTITEM", l, could)).ToList();
        var adjustment = company.PostAdjustment(header, lines, could);
        return new XElement("key", adjustment.Element("RECORDNO")!.Value);
    }

    private static XElement? Delete(IntacctCompany company, string objectName, XElement body)
    {
        var definition = company.Definitions[objectName];
        var could = $"Could not delete {definition.Label} record.";
        company.Delete(definition, ByRecordNo(company, objectName, body.Attribute("key")?.Value, could));
        return null;
    }

    private static XElement SalesLineRecord(XElement line)
    {
        const string could = "Could not create Document record.";
        Known(line, SalesLine);
        var quantity = FieldValidation.Value(new FieldDef("QUANTITY", FieldKind.Decimal), Required(line, "quantity"), "sotransitem.quantity", could);
        return new XElement("SODOCUMENTENTRY",
            Field("ITEMID", Required(line, "itemid")),
            Field("ITEMDESC", Text(line, "itemdesc")),
            Field("QUANTITY", quantity),
            Field("UNIT", Text(line, "unit")),
            Field("PRICE", Text(line, "price") is { Length: > 0 } price ? FieldValidation.Value(new FieldDef("PRICE", FieldKind.Decimal), price, "sotransitem.price", could) : null),
            Field("DISCOUNTPERCENT", Text(line, "discountpercent") is { Length: > 0 } discount ? FieldValidation.Value(new FieldDef("DISCOUNTPERCENT", FieldKind.Decimal), discount, "sotransitem.discountpercent", could) : null),
            Field("MEMO", Text(line, "memo")),
            Field("LOCATIONID", Text(line, "locationid")),
            Field("DEPARTMENTID", Text(line, "departmentid")),
            Field("WAREHOUSEID", Text(line, "warehouseid")));
    }

    private static XElement AmountLineRecord(string objectName, XElement line, string could)
    {
        Known(line, AmountLine);
        var amount = FieldValidation.Value(new FieldDef("AMOUNT", FieldKind.Decimal), Required(line, "amount"), "lineitem.amount", could);
        return new XElement(objectName,
            Field("ACCOUNTNO", Text(line, "glaccountno")),
            Field("ACCOUNTLABEL", Text(line, "accountlabel")),
            Field("AMOUNT", amount),
            Field("ENTRYDESCRIPTION", Text(line, "memo")),
            Field("LOCATIONID", Text(line, "locationid")),
            Field("DEPARTMENTID", Text(line, "departmentid")),
            Field("ITEMID", Text(line, "itemid")));
    }

    private static XElement PaymentDetail(XElement item, string could)
    {
        Known(item, ["invoicekey", "amount"]);
        return new XElement("ARPYMTDETAIL",
            Field("RECORDKEY", Required(item, "invoicekey")),
            Field("TRX_PAYMENTAMOUNT", FieldValidation.Value(new FieldDef("amount", FieldKind.Decimal), Required(item, "amount"), "arpaymentitem.amount", could)));
    }

    private static string Method(IntacctCompany company, string method, string could) =>
        company.Definitions["ARPYMT"].Field("PAYMENTMETHOD")!.EnumValues.Contains(method) ? method
            : throw IntacctFunctionException.Business("Invalid payment method", $"'{method}' is not a payment method.",
                $"Use one of: {string.Join(", ", company.Definitions["ARPYMT"].Field("PAYMENTMETHOD")!.EnumValues)}.", could);

    private static string? State(XElement body, string could) => Text(body, "state") switch
    {
        null or "" => null,
        "Draft" or "Pending" or "Closed" => body.Element("state")!.Value.Trim(),
        var other => throw IntacctFunctionException.Business("Invalid state", $"'{other}' is not a state a transaction can be saved in.", "Use Draft, Pending or Closed.", could),
    };

    private static string? Action(XElement body, string could) => Text(body, "action") switch
    {
        null or "" => null,
        "Draft" or "Submit" => body.Element("action")!.Value.Trim(),
        var other => throw IntacctFunctionException.Business("Invalid action", $"'{other}' is not an action.", "Use Draft or Submit.", could),
    };

    /// <summary>customfields/customfield(customfieldname, customfieldvalue): only fields the company defined on the object.</summary>
    private static void CustomFields(IntacctCompany company, string objectName, XElement body, XElement record, string could)
    {
        foreach (var field in body.Element("customfields")?.Elements("customfield") ?? [])
        {
            var name = Required(field, "customfieldname");
            var definition = company.Definitions[objectName].Field(name);
            if (definition is not { IsCustom: true })
                throw IntacctFunctionException.Business("Invalid custom field", $"{objectName} has no custom field {name}.", "Define the custom field in Platform Services, or remove it.", could);
            record.SetElementValue(definition.Name, Text(field, "customfieldvalue") ?? "");
        }
    }

    private static XElement DocumentByKey(IntacctCompany company, XElement body, string could)
    {
        var key = body.Attribute("key")?.Value ?? throw IntacctErrors.Schema($"{body.Name.LocalName} needs a key attribute.");
        var byExternal = body.Attribute("externalkey")?.Value == "true";
        return company.All("SODOCUMENT").FirstOrDefault(d => (byExternal ? d.Element("EXTERNALID") : d.Element("DOCID"))?.Value == key)
            ?? throw IntacctFunctionException.Business("Document not found", $"No Order Entry transaction with key {key} exists.", "Use the document ID, for example Sales Order-SO0001.", could);
    }

    private static XElement ByRecordNo(IntacctCompany company, string objectName, string? key, string could) =>
        company.FindByRecordNo(company.Definitions[objectName], key ?? "")
        ?? throw IntacctFunctionException.Business("Record not found", $"No {company.Definitions[objectName].Label} with key {key} exists.", "Use the RECORDNO.", could);

    private static void Known(XElement element, IReadOnlyCollection<string> names)
    {
        foreach (var child in element.Elements())
            if (!names.Contains(child.Name.LocalName))
                throw IntacctErrors.Schema($"Element {child.Name.LocalName} is not allowed in {element.Name.LocalName}.");
    }

    private static string? Text(XElement element, string name) => element.Element(name)?.Value.Trim();

    private static string Required(XElement element, string name) =>
        Text(element, name) is { Length: > 0 } value ? value : throw Missing(name);

    private static IntacctFunctionException Missing(string name) => IntacctErrors.Schema($"Required element {name} is missing or empty.");

    private static XElement? Field(string name, string? value) => string.IsNullOrEmpty(value) ? null : new XElement(name, value);
}
