using System.Globalization;
using System.Xml.Linq;

namespace Interweave.Simulators.Intacct;

/// <summary>Order Entry: sales documents by transaction definition, their lines, and the AR invoice a Sales Invoice posts.</summary>
internal sealed partial class IntacctCompany
{
    // ---- Order Entry ----

    public TransactionDefinition TransactionDefinition(string? name, string could) =>
        TransactionDefinitions.FirstOrDefault(d => d.Name == name)
        ?? throw IntacctFunctionException.Business("Invalid transaction definition", $"The transaction definition '{name}' does not exist.",
            $"Use one of: {string.Join(", ", TransactionDefinitions.Select(d => d.Name))}.", could);

    /// <summary>A new Order Entry document with its lines; a definition that posts to AR also makes the AR invoice (PRRECORDKEY).</summary>
    public XElement CreateSalesDocument(TransactionDefinition type, XElement header, IReadOnlyList<XElement> lines, string could)
    {
        EnsureAllowed(Definitions["SODOCUMENT"], "add");
        var customer = ActiveCustomer(header.Element("CUSTVENDID")?.Value, could);
        header.SetElementValue("CUSTVENDNAME", customer.Element("NAME")!.Value);
        var docNo = header.Element("DOCNO")?.Value is { Length: > 0 } given ? given : $"{type.Prefix}{Next("DOC:" + type.Name):0000}";
        if (All("SODOCUMENT").Any(d => d.Element("DOCPARID")?.Value == type.Name && d.Element("DOCNO")?.Value == docNo))
            throw IntacctFunctionException.Business("Duplicate document number", $"A {type.Name} with document number {docNo} already exists.", "Use another document number, or leave it blank.", could);
        header.SetElementValue("DOCNO", docNo);
        header.SetElementValue("DOCID", $"{type.Name}-{docNo}");
        header.SetElementValue("DOCPARID", type.Name);
        if (header.Element("STATE")?.Value is not { Length: > 0 }) header.SetElementValue("STATE", type.DefaultState);
        if (header.Element("CURRENCY")?.Value is not { Length: > 0 }) header.SetElementValue("CURRENCY", customer.Element("CURRENCY")?.Value is { Length: > 0 } c ? c : "USD");
        if (header.Element("BASECURR")?.Value is not { Length: > 0 }) header.SetElementValue("BASECURR", "USD");
        DueDate(header, header.Element("TERM")?.Element("NAME")?.Value, "WHENDUE", could);

        var now = Time.GetUtcNow();
        var document = Add(Definitions["SODOCUMENT"], header, now);
        SetSalesLines(type, document, lines, could, now);
        if (type.PostsArInvoice) PostInvoiceFromDocument(document, now);
        return document;
    }

    /// <summary>Replaces header values and, when given, the lines; an AR invoice posted from the document is deleted and made anew.</summary>
    public XElement UpdateSalesDocument(XElement document, XElement changes, IReadOnlyList<XElement>? lines, string could)
    {
        EnsureAllowed(Definitions["SODOCUMENT"], "edit");
        var type = TransactionDefinition(document.Element("DOCPARID")?.Value, could);
        if (document.Element("STATE")?.Value is "Converted" or "Partially Converted")
            throw IntacctFunctionException.Business("Document converted", $"{document.Element("DOCID")?.Value} has been converted and cannot be changed.", null, could);
        foreach (var field in changes.Elements()) MergeInto(document, field);
        if (changes.Element("TERM") is not null && changes.Element("WHENDUE") is null) document.Element("WHENDUE")?.Remove();
        DueDate(document, document.Element("TERM")?.Element("NAME")?.Value, "WHENDUE", could);
        var now = Time.GetUtcNow();
        if (lines is not null)
        {
            foreach (var line in LinesOf(Definitions["SODOCUMENT"], document).ToList()) Remove(Definitions["SODOCUMENTENTRY"], line);
            SetSalesLines(type, document, lines, could, now);
        }
        else
        {
            document.SetElementValue("WHENMODIFIED", IntacctValues.FormatDateTime(now));
        }

        // "When a transaction is updated in Order Entry, the related AR transaction is deleted and recreated" (OE page).
        if (document.Element("PRRECORDKEY")?.Value is { Length: > 0 } invoiceKey && FindByRecordNo(Definitions["ARINVOICE"], invoiceKey) is { } invoice)
        {
            if (DecimalOf(invoice, "TOTALPAID") != 0)
                throw IntacctFunctionException.Business("Payments applied", "The invoice posted from this document has payments applied.", "Reverse the payments first.", could);
            RemoveInvoice(invoice);
            PostInvoiceFromDocument(document, now);
        }

        return document;
    }

    public void DeleteSalesDocument(XElement document, string could)
    {
        EnsureAllowed(Definitions["SODOCUMENT"], "delete");
        if (document.Element("PRRECORDKEY")?.Value is { Length: > 0 } invoiceKey && FindByRecordNo(Definitions["ARINVOICE"], invoiceKey) is { } invoice)
        {
            if (DecimalOf(invoice, "TOTALPAID") != 0)
                throw IntacctFunctionException.Business("Payments applied", "The invoice posted from this document has payments applied.", "Reverse the payments first.", could);
            RemoveInvoice(invoice);
        }

        foreach (var line in LinesOf(Definitions["SODOCUMENT"], document).ToList()) Remove(Definitions["SODOCUMENTENTRY"], line);
        Remove(Definitions["SODOCUMENT"], document);
    }

    private void SetSalesLines(TransactionDefinition type, XElement document, IReadOnlyList<XElement> lines, string could, DateTimeOffset now)
    {
        if (lines.Count == 0)
            throw IntacctFunctionException.Business("No lines", "A transaction needs at least one line.", "Add sotransitem lines.", could);
        var total = 0m;
        var lineNo = 0;
        foreach (var line in lines)
        {
            var itemId = line.Element("ITEMID")?.Value ?? "";
            var item = FindById(Definitions["ITEM"], itemId)
                ?? throw IntacctFunctionException.Business("Invalid item", $"Invalid Item '{itemId}' specified.", "Create the item first, or use an existing ITEMID.", could);
            if (item.Element("STATUS")?.Value == "inactive")
                throw IntacctFunctionException.Business("Inactive item", $"Item '{itemId}' is inactive.", "Make the item active.", could);
            if (line.Element("PRICE")?.Value is not { Length: > 0 }) line.SetElementValue("PRICE", item.Element("BASEPRICE")?.Value ?? "0");
            var amount = Math.Round(DecimalOf(line, "QUANTITY") * DecimalOf(line, "PRICE") * (1 - (DecimalOf(line, "DISCOUNTPERCENT") / 100m)), 2);
            line.SetElementValue("TOTAL", IntacctValues.FormatDecimal(amount));
            line.AddFirst(new XElement("DOCHDRNO", document.Element("RECORDNO")!.Value), new XElement("DOCHDRID", document.Element("DOCID")!.Value),
                new XElement("DOCPARID", type.Name), new XElement("LINE_NO", (++lineNo).ToString(CultureInfo.InvariantCulture)));
            line.SetElementValue("ITEMNAME", item.Element("NAME")?.Value);
            Add(Definitions["SODOCUMENTENTRY"], line, now);
            total += amount;
        }

        foreach (var field in new[] { "SUBTOTAL", "TOTAL", "TRX_SUBTOTAL", "TRX_TOTAL", "TOTALDUE" })
            document.SetElementValue(field, IntacctValues.FormatDecimal(total));
        document.SetElementValue("TOTALPAID", "0");
    }

    private void PostInvoiceFromDocument(XElement document, DateTimeOffset now)
    {
        var definition = Definitions["SODOCUMENT"];
        var header = new XElement("ARINVOICE",
            new XElement("RECORDID", document.Element("DOCNO")!.Value),
            new XElement("CUSTOMERID", document.Element("CUSTVENDID")!.Value),
            new XElement("WHENCREATED", document.Element("WHENCREATED")!.Value),
            new XElement("WHENDUE", document.Element("WHENDUE")?.Value ?? document.Element("WHENCREATED")!.Value),
            new XElement("TERMNAME", document.Element("TERM")?.Element("NAME")?.Value ?? ""),
            // Which AR field an OE reference number lands in is not documented; DOCNUMBER is our assumption.
            new XElement("DOCNUMBER", document.Element("PONUMBER")?.Value ?? ""),
            new XElement("DESCRIPTION", document.Element("MESSAGE")?.Value ?? ""),
            new XElement("CURRENCY", document.Element("CURRENCY")!.Value),
            new XElement("MODULEKEY", "8.SO"));
        var lines = LinesOf(definition, document).Select(l => new XElement("ARINVOICEITEM",
            new XElement("ACCOUNTNO", "4000"), new XElement("AMOUNT", l.Element("TOTAL")!.Value), new XElement("ITEMID", l.Element("ITEMID")!.Value),
            new XElement("ENTRYDESCRIPTION", l.Element("MEMO")?.Value ?? ""))).ToList();
        var invoice = PostInvoice(header, lines, draft: false, "Could not create Invoice record.", now);
        document.SetElementValue("PRRECORDKEY", invoice.Element("RECORDNO")!.Value);
    }
}
