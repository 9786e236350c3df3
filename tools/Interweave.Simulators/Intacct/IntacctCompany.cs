using System.Globalization;
using System.Xml.Linq;

namespace Interweave.Simulators.Intacct;

/// <summary>A transaction definition of Order Entry: its name (DOCPARID), numbering prefix, and whether it posts an AR invoice.</summary>
internal sealed record TransactionDefinition(string Name, string Prefix, bool PostsArInvoice, string DefaultState);

/// <summary>
/// One company's books: records per object (line objects stored beside their headers), numbering, and the
/// business rules the integration meets (ids that must be unique, references that must exist, payments that
/// change invoices and can be reversed). Not thread-safe: the gateway serialises access per company.
/// </summary>
internal sealed class IntacctCompany
{
    private readonly Dictionary<string, List<XElement>> _records = new(StringComparer.OrdinalIgnoreCase);
    private Dictionary<string, int> _counters = new(StringComparer.OrdinalIgnoreCase);
    private List<Action>? _undo;
    private HashSet<XElement>? _kept;

    public IntacctCompany(string companyId, IntacctDefinitions definitions, TimeProvider time)
    {
        CompanyId = companyId;
        Definitions = definitions;
        Time = time;
    }

    public string CompanyId { get; }

    public IntacctDefinitions Definitions { get; }

    public TimeProvider Time { get; }

    /// <summary>
    /// Order Entry transaction definitions. Real ones are company-defined; these three are the names Sage's pages and
    /// SDK fixtures use. Numbering (SO0001) follows the DOCID shape "Sales Order-SO0023" seen in recorded traffic.
    /// </summary>
    public IReadOnlyList<TransactionDefinition> TransactionDefinitions { get; } =
    [
        new("Sales Quote", "QT", false, "Pending"),
        new("Sales Order", "SO", false, "Pending"),
        new("Sales Invoice", "INV", true, "Closed"),
    ];

    /// <summary>Objects the web services user's role may not touch (permission errors).</summary>
    public HashSet<string> DeniedObjects { get; } = new(StringComparer.OrdinalIgnoreCase);

    public IEnumerable<string> Entities => All("LOCATION").Where(l => l.Element("ENTITY")?.Value == "true").Select(l => l.Element("LOCATIONID")!.Value);

    public IReadOnlyList<XElement> All(string objectName) =>
        _records.TryGetValue(objectName, out var list) ? list : [];

    /// <summary>
    /// Starts a unit of work that <see cref="RollBackWork"/> undoes: a failed function, or a transaction="true" operation
    /// with a failed function, leaves nothing behind. Changes are journalled as they happen (a record's first change saves
    /// its copy), so the cost follows what the work touched, not the size of the books.
    /// </summary>
    /// <returns>False when a unit of work is already open (a function inside a transaction): that one covers it.</returns>
    public bool BeginWork()
    {
        if (_undo is not null) return false;
        _undo = [];
        _kept = new HashSet<XElement>(ReferenceEqualityComparer.Instance);
        var counters = new Dictionary<string, int>(_counters, StringComparer.OrdinalIgnoreCase);
        _undo.Add(() => _counters = counters);
        return true;
    }

    public void CommitWork()
    {
        _undo = null;
        _kept = null;
    }

    public void RollBackWork()
    {
        var undo = _undo ?? [];
        CommitWork();
        for (var i = undo.Count - 1; i >= 0; i--) undo[i]();
    }

    /// <summary>Saves a stored record's content before its first change in the current unit of work.</summary>
    private void Keep(XElement record)
    {
        if (_undo is null || !_kept!.Add(record)) return;
        var saved = new XElement(record);
        _undo.Add(() => record.ReplaceAll(saved.Nodes()));
    }

    public void EnsureAllowed(ObjectDef definition, string action)
    {
        if (DeniedObjects.Contains(definition.Name))
            throw new IntacctFunctionException(new IntacctError("BL01001973", "Permission denied",
                $"You do not have permission to {action} {definition.Label} records. {IntacctErrors.SupportId()}",
                "Grant the permission to the Web Services user's role under Company > Admin > Roles."));
    }

    public XElement? FindByRecordNo(ObjectDef definition, string recordNo) =>
        All(definition.Name).FirstOrDefault(r => r.Element("RECORDNO")?.Value == recordNo.Trim());

    public XElement? FindById(ObjectDef definition, string id) =>
        All(definition.Name).FirstOrDefault(r => r.Element(definition.IdField)?.Value == id.Trim());

    /// <summary>The line records of a header, in line order.</summary>
    public IEnumerable<XElement> LinesOf(ObjectDef definition, XElement header) => definition.Lines is { } lines
        ? All(lines.Object).Where(l => l.Element(lines.ParentKey)?.Value == header.Element("RECORDNO")?.Value)
        : [];

    // ---- Generic create, update, delete (the objects whose definition allows them) ----

    public XElement Create(ObjectDef definition, XElement input)
    {
        EnsureAllowed(definition, "add");
        var could = $"Could not create {definition.Label} record.";
        var lines = definition.Lines is { } l ? input.Elements().FirstOrDefault(e => string.Equals(e.Name.LocalName, l.Element, StringComparison.OrdinalIgnoreCase)) : null;
        var header = new XElement(input);
        header.Elements().Where(e => e.Name.LocalName.Equals(definition.Lines?.Element, StringComparison.OrdinalIgnoreCase)).Remove();
        var record = FieldValidation.Normalize(definition, header, isCreate: true, could);
        var now = Time.GetUtcNow();

        if (definition.Name == "ARPYMT")
        {
            var details = (lines?.Elements() ?? []).Select(d => FieldValidation.Normalize(Definitions["ARPYMTDETAIL"], d, isCreate: true, could)).ToList();
            return CreatePayment(record, details, record.Element("ACTION")?.Value == "Draft", amount: null, now);
        }

        var id = record.Element(definition.IdField)?.Value;
        if (string.IsNullOrEmpty(id))
            throw IntacctFunctionException.Business("Required field missing", $"{definition.IdField} is required.", $"Provide a {definition.IdField}.", could);
        if (FindById(definition, id) is not null)
            throw IntacctFunctionException.Business($"Duplicate {definition.Label} ID",
                $"Another {definition.Label} with the given value(s) {id} already exists", $"Use a unique value for {definition.IdField}.", could);
        if (definition.Field("STATUS") is not null && record.Element("STATUS")?.Value is not { Length: > 0 }) record.SetElementValue("STATUS", "active");
        if (definition.Name is "CUSTOMER" or "VENDOR" && record.Element("TOTALDUE") is null) record.Add(new XElement("TOTALDUE", "0"));
        return Add(definition, record, now);
    }

    public XElement Update(ObjectDef definition, XElement input)
    {
        EnsureAllowed(definition, "edit");
        var could = $"Could not update {definition.Label} record.";
        var recordNo = input.Element("RECORDNO")?.Value;
        var id = definition.IdField != "RECORDNO" ? input.Element(definition.IdField)?.Value : null;
        var record = (recordNo is { Length: > 0 } ? FindByRecordNo(definition, recordNo) : null)
            ?? (id is { Length: > 0 } ? FindById(definition, id) : null);
        if (record is null)
        {
            if (string.IsNullOrEmpty(recordNo) && string.IsNullOrEmpty(id))
                throw IntacctFunctionException.Business("Missing key", $"Provide RECORDNO or {definition.IdField} to say which record to update.", null, could);
            throw IntacctFunctionException.Business("Record not found", $"No {definition.Label} with key {recordNo ?? id} exists.", "Check the key.", could);
        }

        if (definition.Name == "ARPYMT" && record.Element("STATE")?.Value != "D")
            throw IntacctFunctionException.Business("Payment is not a draft", "Only payments in draft state can be updated.", "Reverse the payment instead.", could);
        if (recordNo is { Length: > 0 } && id is { Length: > 0 } && id != record.Element(definition.IdField)?.Value)
            throw IntacctFunctionException.Business("Key cannot change", $"{definition.IdField} cannot be changed.", null, could);

        var changes = new XElement(input);
        changes.Element("RECORDNO")?.Remove();
        if (definition.IdField != "RECORDNO") changes.Element(definition.IdField)?.Remove();
        var normalized = FieldValidation.Normalize(definition, changes, isCreate: false, could);
        var submit = normalized.Element("ACTION")?.Value == "Submit";
        normalized.Element("ACTION")?.Remove();
        foreach (var field in normalized.Elements()) MergeInto(record, field);
        record.SetElementValue("WHENMODIFIED", IntacctValues.FormatDateTime(Time.GetUtcNow()));
        if (definition.Name == "ARPYMT" && submit) SubmitPayment(record);
        return record;
    }

    public void Delete(ObjectDef definition, XElement record)
    {
        EnsureAllowed(definition, "delete");
        var could = $"Could not delete {definition.Label} record.";
        var id = record.Element(definition.IdField)?.Value;
        switch (definition.Name)
        {
            case "CUSTOMER" when id is not null && (All("SODOCUMENT").Any(d => d.Element("CUSTVENDID")?.Value == id)
                                                   || new[] { "ARINVOICE", "ARPYMT", "ARADJUSTMENT" }.Any(o => All(o).Any(r => r.Element("CUSTOMERID")?.Value == id))):
                throw IntacctFunctionException.Business("Customer in use", $"Customer {id} has transactions and cannot be deleted.", "Make the customer inactive instead.", could);
            case "ITEM" when id is not null && All("SODOCUMENTENTRY").Any(l => l.Element("ITEMID")?.Value == id):
                throw IntacctFunctionException.Business("Item in use", $"Item {id} is used on transactions and cannot be deleted.", "Make the item inactive instead.", could);
            case "ARPYMT" when record.Element("STATE")?.Value != "D":
                throw IntacctFunctionException.Business("Payment is not a draft", "You can only delete payments that are in draft state.", "Reverse the payment instead.", could);
            case "ARINVOICE" or "ARADJUSTMENT" when DecimalOf(record, "TOTALPAID") != 0:
                throw IntacctFunctionException.Business("Payments applied", $"{definition.Label} {record.Element("RECORDID")?.Value} has payments applied and cannot be deleted.", "Reverse the payments first.", could);
            case "ARINVOICE" when All("SODOCUMENT").Any(d => d.Element("PRRECORDKEY")?.Value == record.Element("RECORDNO")!.Value):
                throw IntacctFunctionException.Business("Invoice from Order Entry", "This invoice was posted from Order Entry.", "Delete the Order Entry transaction instead.", could);
        }

        if (definition.Name is "ARINVOICE" or "ARADJUSTMENT" && record.Element("STATE")?.Value != "Reversed")
            AdjustCustomerDue(record.Element("CUSTOMERID")!.Value, -DecimalOf(record, "TOTALDUE"));
        Remove(definition, record);
    }

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

    // ---- Accounts Receivable ----

    /// <summary>A new AR invoice (or a draft) with its lines; the customer owes its total once posted.</summary>
    public XElement PostInvoice(XElement header, IReadOnlyList<XElement> lines, bool draft, string could, DateTimeOffset? at = null)
    {
        var (customer, total) = CheckAmountDocument("ARINVOICE", header, lines, "An invoice", "ARINV", could);
        if (All("ARINVOICE").Any(i => i.Element("RECORDID")?.Value == header.Element("RECORDID")!.Value))
            throw IntacctFunctionException.Business("Duplicate invoice number", $"An invoice with number {header.Element("RECORDID")!.Value} already exists.", "Use a unique invoice number.", could);
        DueDate(header, header.Element("TERMNAME")?.Value, "WHENDUE", could);
        header.SetElementValue("CUSTOMERNAME", customer.Element("NAME")!.Value);
        if (header.Element("CURRENCY")?.Value is not { Length: > 0 }) header.SetElementValue("CURRENCY", customer.Element("CURRENCY")?.Value is { Length: > 0 } c ? c : "USD");
        if (header.Element("BASECURR")?.Value is not { Length: > 0 }) header.SetElementValue("BASECURR", "USD");
        if (header.Element("MODULEKEY") is null) header.Add(new XElement("MODULEKEY", "4.AR"));
        header.SetElementValue("STATE", draft ? "Draft" : "Posted");
        foreach (var (field, value) in new[] { ("TOTALENTERED", total), ("TOTALDUE", total), ("TOTALPAID", 0m), ("TRX_TOTALENTERED", total), ("TRX_TOTALDUE", total), ("TRX_TOTALPAID", 0m) })
            header.SetElementValue(field, IntacctValues.FormatDecimal(value));

        var now = at ?? Time.GetUtcNow();
        var invoice = Add(Definitions["ARINVOICE"], header, now);
        AddAmountLines(Definitions["ARINVOICE"], invoice, lines, now);

        if (!draft) AdjustCustomerDue(customer.Element("CUSTOMERID")!.Value, total);
        return invoice;
    }

    /// <summary>reverse_invoice: nothing is owed any more; refused while payments are applied.</summary>
    public void ReverseInvoice(XElement invoice, string could)
    {
        EnsureAllowed(Definitions["ARINVOICE"], "edit");
        if (DecimalOf(invoice, "TOTALPAID") != 0)
            throw IntacctFunctionException.Business("Payments applied", $"Invoice {invoice.Element("RECORDID")?.Value} has payments applied.", "Reverse the payments first.", could);
        if (invoice.Element("STATE")?.Value == "Reversed")
            throw IntacctFunctionException.Business("Already reversed", $"Invoice {invoice.Element("RECORDID")?.Value} is already reversed.", null, could);
        if (invoice.Element("STATE")?.Value != "Draft") AdjustCustomerDue(invoice.Element("CUSTOMERID")!.Value, -DecimalOf(invoice, "TOTALDUE"));
        invoice.SetElementValue("STATE", "Reversed");
        invoice.SetElementValue("TOTALDUE", "0");
        invoice.SetElementValue("TRX_TOTALDUE", "0");
        invoice.SetElementValue("WHENMODIFIED", IntacctValues.FormatDateTime(Time.GetUtcNow()));
    }

    /// <summary>
    /// A payment and what it pays. A draft applies nothing until it is submitted; an amount larger than what is applied
    /// leaves the rest to apply later (apply_arpayment).
    /// </summary>
    public XElement CreatePayment(XElement header, IReadOnlyList<XElement> details, bool draft, decimal? amount, DateTimeOffset now)
    {
        EnsureAllowed(Definitions["ARPYMT"], "add");
        const string could = "Could not create AR Payment record.";
        var customer = ActiveCustomer(header.Element("CUSTOMERID")?.Value, could);
        if (!new[] { "FINANCIALENTITY", "PRBATCH", "UNDEPOSITEDACCOUNTNO" }.Any(f => header.Element(f)?.Value is { Length: > 0 }))
            throw IntacctFunctionException.Business("Required field missing", "One of FINANCIALENTITY, PRBATCH or UNDEPOSITEDACCOUNTNO is required.",
                "Name the bank account, the summary, or the undeposited funds account the payment goes to.", could);
        header.Element("ACTION")?.Remove();
        header.SetElementValue("CUSTOMERNAME", customer.Element("NAME")!.Value);
        var applied = details.Sum(d => DecimalOf(d, "TRX_PAYMENTAMOUNT"));
        var entered = amount ?? applied;
        if (applied > entered)
            throw IntacctFunctionException.Business("Amount too large", $"The amounts applied ({IntacctValues.FormatDecimal(applied)}) are more than the payment ({IntacctValues.FormatDecimal(entered)}).", "Apply at most the payment amount.", could);
        header.SetElementValue("STATE", "D");
        header.SetElementValue("TOTALENTERED", IntacctValues.FormatDecimal(entered));
        header.SetElementValue("TOTALPAID", "0");
        header.SetElementValue("TRX_TOTALPAID", "0");
        var payment = Add(Definitions["ARPYMT"], header, now);
        foreach (var detail in details)
        {
            detail.AddFirst(new XElement("PAYMENTKEY", payment.Element("RECORDNO")!.Value));
            detail.SetElementValue("STATE", "D");
            Add(Definitions["ARPYMTDETAIL"], detail, now);
        }

        if (!draft) SubmitPayment(payment);
        return payment;
    }

    /// <summary>Applies a payment's draft details to their invoices and marks it complete.</summary>
    public void SubmitPayment(XElement payment)
    {
        const string could = "Could not create AR Payment record.";
        foreach (var detail in All("ARPYMTDETAIL").Where(d => d.Element("PAYMENTKEY")?.Value == payment.Element("RECORDNO")!.Value && d.Element("STATE")?.Value == "D").ToList())
            ApplyDetail(payment, detail, could);
        payment.SetElementValue("STATE", "C");
        payment.SetElementValue("WHENPAID", payment.Element("RECEIPTDATE")?.Value);
    }

    /// <summary>apply_arpayment: more of a completed payment's amount applied to invoices.</summary>
    public void ApplyPayment(XElement payment, IReadOnlyList<XElement> details, string could)
    {
        EnsureAllowed(Definitions["ARPYMT"], "edit");
        if (payment.Element("STATE")?.Value == "V")
            throw IntacctFunctionException.Business("Payment reversed", "A reversed payment cannot be applied.", null, could);
        var unapplied = DecimalOf(payment, "TOTALENTERED") - DecimalOf(payment, "TOTALPAID");
        if (details.Sum(d => DecimalOf(d, "TRX_PAYMENTAMOUNT")) > unapplied)
            throw IntacctFunctionException.Business("Amount too large", $"Only {IntacctValues.FormatDecimal(unapplied)} of this payment is not yet applied.", "Apply at most the unapplied amount.", could);
        foreach (var detail in details)
        {
            detail.AddFirst(new XElement("PAYMENTKEY", payment.Element("RECORDNO")!.Value));
            detail.SetElementValue("STATE", "D");
            Add(Definitions["ARPYMTDETAIL"], detail, Time.GetUtcNow());
            ApplyDetail(payment, detail, could);
        }

        payment.SetElementValue("STATE", "C");
    }

    /// <summary>reverse_arpayment: every invoice the payment paid owes that amount again.</summary>
    public void ReversePayment(XElement payment, string could)
    {
        EnsureAllowed(Definitions["ARPYMT"], "edit");
        if (payment.Element("STATE")?.Value != "C")
            throw IntacctFunctionException.Business("Payment not complete", "Only a completed payment can be reversed.", "Delete a draft payment instead.", could);
        var now = IntacctValues.FormatDateTime(Time.GetUtcNow());
        foreach (var detail in All("ARPYMTDETAIL").Where(d => d.Element("PAYMENTKEY")?.Value == payment.Element("RECORDNO")!.Value && d.Element("STATE")?.Value == "C"))
        {
            var amount = DecimalOf(detail, "TRX_PAYMENTAMOUNT");
            if (FindByRecordNo(Definitions["ARINVOICE"], detail.Element("RECORDKEY")!.Value) is { } invoice) ChangePaid(invoice, -amount, null);
            AdjustCustomerDue(payment.Element("CUSTOMERID")!.Value, amount);
            detail.SetElementValue("STATE", "V");
            detail.SetElementValue("WHENMODIFIED", now);
        }

        payment.SetElementValue("STATE", "V");
        payment.SetElementValue("TOTALPAID", "0");
        payment.SetElementValue("TRX_TOTALPAID", "0");
        payment.SetElementValue("WHENMODIFIED", now);
    }

    /// <summary>A credit memo (negative lines) lowers what the customer owes; a debit memo raises it.</summary>
    public XElement PostAdjustment(XElement header, IReadOnlyList<XElement> lines, string could)
    {
        var (customer, total) = CheckAmountDocument("ARADJUSTMENT", header, lines, "An adjustment", "ADJ", could);
        header.SetElementValue("CUSTOMERNAME", customer.Element("NAME")!.Value);
        header.SetElementValue("RECORDTYPE", total < 0 ? "Credit" : "Debit");
        header.SetElementValue("STATE", "Posted");
        header.SetElementValue("TOTALENTERED", IntacctValues.FormatDecimal(total));
        header.SetElementValue("TOTALDUE", IntacctValues.FormatDecimal(total));
        if (header.Element("CURRENCY")?.Value is not { Length: > 0 }) header.SetElementValue("CURRENCY", "USD");
        var now = Time.GetUtcNow();
        var adjustment = Add(Definitions["ARADJUSTMENT"], header, now);
        AddAmountLines(Definitions["ARADJUSTMENT"], adjustment, lines, now);

        AdjustCustomerDue(customer.Element("CUSTOMERID")!.Value, total);
        return adjustment;
    }

    /// <summary>
    /// What an AR invoice and an AR adjustment check alike before they post: the function is allowed, the customer is
    /// active, there are lines and each names a GL account. Numbers the document when it came without one.
    /// </summary>
    private (XElement Customer, decimal Total) CheckAmountDocument(string objectName, XElement header, IReadOnlyList<XElement> lines, string noun, string numberPrefix, string could)
    {
        EnsureAllowed(Definitions[objectName], "add");
        var customer = ActiveCustomer(header.Element("CUSTOMERID")?.Value, could);
        if (lines.Count == 0)
            throw IntacctFunctionException.Business("No lines", $"{noun} needs at least one line.", "Add lineitem lines.", could);
        foreach (var line in lines) EnsureAccount(line, could);
        if (header.Element("RECORDID")?.Value is not { Length: > 0 }) header.SetElementValue("RECORDID", $"{numberPrefix}-{Next(objectName):0000}");
        return (customer, lines.Sum(l => DecimalOf(l, "AMOUNT")));
    }

    /// <summary>A record of an object no API function writes (ARTERM), as an administrator sets it up in the UI.</summary>
    public XElement AddSetupRecord(string objectName, XElement record) => Add(Definitions[objectName], record, Time.GetUtcNow());

    public int Next(string counter) => _counters[counter] = _counters.GetValueOrDefault(counter) + 1;

    /// <summary>An AR invoice's or adjustment's lines, numbered, keyed to their header by RECORDKEY.</summary>
    private void AddAmountLines(ObjectDef header, XElement record, IReadOnlyList<XElement> lines, DateTimeOffset now)
    {
        var lineNo = 0;
        foreach (var line in lines)
        {
            line.AddFirst(new XElement(header.Lines!.ParentKey, record.Element("RECORDNO")!.Value), new XElement("LINE_NO", (++lineNo).ToString(CultureInfo.InvariantCulture)));
            line.SetElementValue("TRX_AMOUNT", line.Element("AMOUNT")!.Value);
            Add(Definitions[header.Lines.Object], line, now);
        }
    }

    private void ApplyDetail(XElement payment, XElement detail, string could)
    {
        var key = detail.Element("RECORDKEY")?.Value ?? "";
        var customerId = payment.Element("CUSTOMERID")?.Value;
        var invoice = FindByRecordNo(Definitions["ARINVOICE"], key);
        if (invoice is null || invoice.Element("CUSTOMERID")?.Value != customerId)
            throw IntacctFunctionException.Business("Invalid invoice", $"Invoice {key} does not exist for customer {customerId}.", "Apply the payment to one of the customer's open invoices.", could);
        if (invoice.Element("STATE")?.Value is "Draft" or "Reversed")
            throw IntacctFunctionException.Business("Invoice not open", $"Invoice {invoice.Element("RECORDID")?.Value} is {invoice.Element("STATE")?.Value} and cannot be paid.", null, could);
        var amount = DecimalOf(detail, "TRX_PAYMENTAMOUNT");
        if (detail.Element("TRX_PAYMENTAMOUNT") is null)
        {
            amount = DecimalOf(invoice, "TOTALDUE"); // TRX_PAYMENTAMOUNT is optional: the whole amount due
            detail.SetElementValue("TRX_PAYMENTAMOUNT", IntacctValues.FormatDecimal(amount));
        }

        var due = DecimalOf(invoice, "TOTALDUE");
        if (amount <= 0 || amount > due)
            throw IntacctFunctionException.Business("Amount too large", $"The amount {IntacctValues.FormatDecimal(amount)} is more than the {IntacctValues.FormatDecimal(due)} due on invoice {invoice.Element("RECORDID")?.Value}.",
                "Apply at most the amount due.", could);
        var date = payment.Element("PAYMENTDATE")?.Value is { Length: > 0 } d ? d : payment.Element("RECEIPTDATE")!.Value;
        ChangePaid(invoice, amount, date);
        AdjustCustomerDue(customerId!, -amount);
        detail.SetElementValue("PAYMENTAMOUNT", IntacctValues.FormatDecimal(amount));
        detail.SetElementValue("PAYMENTDATE", date);
        detail.SetElementValue("STATE", "C");
        foreach (var field in new[] { "TOTALPAID", "TRX_TOTALPAID" })
            payment.SetElementValue(field, IntacctValues.FormatDecimal(DecimalOf(payment, field) + amount));
        payment.SetElementValue("WHENMODIFIED", IntacctValues.FormatDateTime(Time.GetUtcNow()));
    }

    /// <summary>Moves an invoice's paid and due amounts (and those of the Order Entry document that posted it).</summary>
    private void ChangePaid(XElement invoice, decimal amount, string? date)
    {
        var paid = DecimalOf(invoice, "TOTALPAID") + amount;
        var due = DecimalOf(invoice, "TOTALDUE") - amount;
        foreach (var (field, value) in new[] { ("TOTALPAID", paid), ("TRX_TOTALPAID", paid), ("TOTALDUE", due), ("TRX_TOTALDUE", due) })
            invoice.SetElementValue(field, IntacctValues.FormatDecimal(value));
        invoice.SetElementValue("STATE", due == 0 ? "Paid" : paid == 0 ? "Posted" : "Partially Paid");
        if (due == 0 && date is not null) invoice.SetElementValue("WHENPAID", date);
        else invoice.Element("WHENPAID")?.Remove();
        invoice.SetElementValue("WHENMODIFIED", IntacctValues.FormatDateTime(Time.GetUtcNow()));
        foreach (var document in All("SODOCUMENT").Where(d => d.Element("PRRECORDKEY")?.Value == invoice.Element("RECORDNO")!.Value))
        {
            document.SetElementValue("TOTALPAID", IntacctValues.FormatDecimal(paid));
            document.SetElementValue("TOTALDUE", IntacctValues.FormatDecimal(due));
        }
    }

    private void RemoveInvoice(XElement invoice)
    {
        if (invoice.Element("STATE")?.Value is not ("Draft" or "Reversed")) AdjustCustomerDue(invoice.Element("CUSTOMERID")!.Value, -DecimalOf(invoice, "TOTALDUE"));
        foreach (var line in LinesOf(Definitions["ARINVOICE"], invoice).ToList()) Remove(Definitions["ARINVOICEITEM"], line);
        Remove(Definitions["ARINVOICE"], invoice);
    }

    private void EnsureAccount(XElement line, string could)
    {
        var account = line.Element("ACCOUNTNO")?.Value;
        if (account is null && line.Element("ACCOUNTLABEL")?.Value is { Length: > 0 }) return; // labels map to accounts in company setup
        if (string.IsNullOrEmpty(account))
            throw IntacctFunctionException.Business("Required field missing", "Each line needs glaccountno or accountlabel.", "Name the GL account the line posts to.", could);
        if (FindById(Definitions["GLACCOUNT"], account) is null)
            throw IntacctFunctionException.Business("Invalid GL account", $"Invalid GL Account {account} specified.", "Use an account number from the chart of accounts.", could);
    }

    /// <summary>Sets the due date from the term when none was given; a term that does not exist is refused.</summary>
    private void DueDate(XElement record, string? termName, string dueField, string could)
    {
        XElement? term = null;
        if (!string.IsNullOrEmpty(termName))
            term = FindById(Definitions["ARTERM"], termName)
                ?? throw IntacctFunctionException.Business("Invalid term", $"Invalid Term '{termName}' specified.", "Use a term from Accounts Receivable > Setup > Terms.", could);
        if (record.Element(dueField)?.Value is { Length: > 0 }) return;
        if (term is null)
            throw IntacctFunctionException.Business("Required field missing", "Provide termname or datedue.", "A transaction needs a payment term or a due date.", could);
        IntacctValues.TryParseDate(record.Element("WHENCREATED")!.Value, out var created);
        var days = int.TryParse(term.Element("DUEDATE")?.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var d) ? d : 0;
        record.SetElementValue(dueField, IntacctValues.FormatDate(DateOnly.FromDateTime(created).AddDays(days)));
    }

    private XElement ActiveCustomer(string? customerId, string could)
    {
        var customer = FindById(Definitions["CUSTOMER"], customerId ?? "")
            ?? throw IntacctFunctionException.Business("Invalid customer", $"Invalid Customer '{customerId}' specified.", "Create the customer first, or use an existing customer ID.", could);
        if (customer.Element("STATUS")?.Value == "inactive")
            throw IntacctFunctionException.Business("Inactive customer", $"Customer '{customerId}' is inactive.", "Make the customer active before recording transactions for it.", could);
        return customer;
    }

    private void AdjustCustomerDue(string customerId, decimal delta)
    {
        if (FindById(Definitions["CUSTOMER"], customerId) is { } customer)
            customer.SetElementValue("TOTALDUE", IntacctValues.FormatDecimal(DecimalOf(customer, "TOTALDUE") + delta));
    }

    private static decimal DecimalOf(XElement record, string field) => IntacctValues.DecimalOf(record, field);

    private static void MergeInto(XElement target, XElement change)
    {
        var existing = target.Element(change.Name);
        if (existing is not null && change.HasElements && existing.HasElements)
            foreach (var child in change.Elements()) MergeInto(existing, child);
        else if (existing is not null) existing.ReplaceWith(new XElement(change));
        else target.Add(new XElement(change));
    }

    private XElement Add(ObjectDef definition, XElement record, DateTimeOffset now)
    {
        record.Name = definition.Name;
        record.Element("RECORDNO")?.Remove();
        record.AddFirst(new XElement("RECORDNO", Next("RECORDNO:" + definition.Name).ToString(CultureInfo.InvariantCulture)));
        if (definition.Field("WHENCREATED") is { Kind: FieldKind.DateTime }) record.SetElementValue("WHENCREATED", IntacctValues.FormatDateTime(now));
        if (definition.Field("WHENMODIFIED") is not null) record.SetElementValue("WHENMODIFIED", IntacctValues.FormatDateTime(now));
        if (!_records.TryGetValue(definition.Name, out var list)) _records[definition.Name] = list = [];
        list.Add(record);
        _undo?.Add(() => list.Remove(record));
        // Changing is raised for the record and every element under it, before the change: the moment to keep its copy.
        record.Changing += (_, _) => Keep(record);
        return record;
    }

    private void Remove(ObjectDef definition, XElement record)
    {
        var list = _records[definition.Name];
        var index = list.IndexOf(record);
        list.RemoveAt(index);
        _undo?.Add(() => list.Insert(index, record));
    }
}

/// <summary>Checks an incoming generic record against the object's fields and returns it in canonical form.</summary>
internal static class FieldValidation
{
    public static XElement Normalize(ObjectDef definition, XElement input, bool isCreate, string could)
    {
        var record = new XElement(definition.Name);
        foreach (var element in input.Elements())
            record.Add(NormalizeField(definition.Fields, element, definition.Name, could));

        if (isCreate)
        {
            foreach (var field in definition.Fields.Where(f => f.Required && !f.ReadOnly))
                if (record.Element(field.Name) is not { } value || (!value.HasElements && value.Value.Length == 0))
                    throw IntacctFunctionException.Business("Required field missing", $"Required field {field.Name} is missing.", $"Provide a value for {field.Name}.", could);
        }

        return record;
    }

    /// <summary>A value checked against its field's type (used by the legacy functions for what they map to read fields).</summary>
    public static string Value(FieldDef field, string value, string path, string could)
    {
        value = value.Trim();
        if (value.Length > 0 && !IsValid(field, value, out var problem))
            throw IntacctFunctionException.Business("Invalid value", $"{path}: '{value}' {problem}", $"Correct the value of {field.Name}.", could);
        return field.Kind == FieldKind.Decimal && value.Length > 0 && IntacctValues.TryParseDecimal(value, out var d) ? IntacctValues.FormatDecimal(d) : value;
    }

    private static XElement NormalizeField(IReadOnlyList<FieldDef> fields, XElement element, string path, string could)
    {
        var name = element.Name.LocalName;
        var field = fields.FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase))
            ?? throw IntacctFunctionException.Business("Invalid field", $"{path}: unknown field {name}.", $"Remove {name}, or use a field lookup lists for the object.", could);
        var fullPath = $"{path}.{field.Name}";
        if (field.ReadOnly)
            throw IntacctFunctionException.Business("Read-only field", $"{fullPath} is set by Intacct.", $"Do not send {field.Name}.", could);
        if (field.Kind == FieldKind.Group)
            return new XElement(field.Name, element.Elements().Select(child => NormalizeField(field.Children, child, fullPath, could)));
        return new XElement(field.Name, Value(field, element.Value, fullPath, could));
    }

    private static bool IsValid(FieldDef field, string value, out string problem)
    {
        problem = "";
        switch (field.Kind)
        {
            case FieldKind.Text when field.MaxLength > 0 && value.Length > field.MaxLength:
                problem = $"is longer than {field.MaxLength} characters.";
                return false;
            case FieldKind.Integer when !long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out _):
                problem = "is not a whole number.";
                return false;
            case FieldKind.Decimal when !IntacctValues.TryParseDecimal(value, out _):
                problem = "is not a number.";
                return false;
            case FieldKind.Date when !DateTime.TryParseExact(value, IntacctValues.DateFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out _):
                problem = "is not a date in MM/DD/YYYY form.";
                return false;
            case FieldKind.Boolean when value is not ("true" or "false"):
                problem = "must be true or false.";
                return false;
            case FieldKind.Enum when !field.EnumValues.Contains(value):
                problem = $"is not one of: {string.Join(", ", field.EnumValues)}.";
                return false;
            default:
                return true;
        }
    }
}
