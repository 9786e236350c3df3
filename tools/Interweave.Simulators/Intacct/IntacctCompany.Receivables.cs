using System.Globalization;
using System.Xml.Linq;

namespace Interweave.Simulators.Intacct;

/// <summary>Accounts Receivable: invoices, payments and adjustments, and the rules that tie them to customers, GL accounts and terms.</summary>
internal sealed partial class IntacctCompany
{
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
        header.SetElementValue("RECORDTYPE", "ri"); // Sage's data-share views select AR invoices WHERE RECORDTYPE = 'ri'
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
    /// A payment and what it pays, with its record type (RECORDTYPE "rp" payment, "rr" advance, "ro" applied
    /// overpayment: the AR payments page's readByQuery field table; Sage's data-share views select AR payments as
    /// RECORDTYPE in ('rp', 'rr', 'ro')). A draft applies nothing until it is submitted. What is received and not
    /// applied stays on the payment as TOTALDUE: the overpayment of a payment, or all of an advance, which
    /// create_arpayment makes when it applies to nothing ("Open Item ... creates the payment as an AR Advance, leaving
    /// it unapplied", AR payments page). Details that name an OVERPAYMENTKEY or an ADVANCEKEY apply that credit instead
    /// of cash ("Create a payment that applies an overpayment", same page) and make an applied overpayment.
    /// </summary>
    public XElement CreatePayment(XElement header, IReadOnlyList<XElement> details, bool draft, decimal? amount, DateTimeOffset now)
    {
        EnsureAllowed(Definitions["ARPYMT"], "add");
        const string could = "Could not create AR Payment record.";
        var customer = ActiveCustomer(header.Element("CUSTOMERID")?.Value, could);
        var credits = details.Count(IsCredit);
        if (credits > 0 && credits < details.Count)
            throw IntacctFunctionException.Business("Mixed payment details", "Apply either received cash or an overpayment or advance in one payment, not both.",
                "Send the cash and the credit as two payments.", could);
        if (credits == 0 && !new[] { "FINANCIALENTITY", "PRBATCH", "UNDEPOSITEDACCOUNTNO" }.Any(f => header.Element(f)?.Value is { Length: > 0 }))
            throw IntacctFunctionException.Business("Required field missing", "One of FINANCIALENTITY, PRBATCH or UNDEPOSITEDACCOUNTNO is required.",
                "Name the bank account, the summary, or the undeposited funds account the payment goes to.", could);
        header.Element("ACTION")?.Remove();
        header.SetElementValue("CUSTOMERNAME", customer.Element("NAME")!.Value);
        var applied = details.Sum(AmountOf);
        var entered = amount ?? applied;
        if (applied > entered)
            throw IntacctFunctionException.Business("Amount too large", $"The amounts applied ({IntacctValues.FormatDecimal(applied)}) are more than the payment ({IntacctValues.FormatDecimal(entered)}).", "Apply at most the payment amount.", could);
        header.SetElementValue("RECORDTYPE", credits > 0 ? "ro" : details.Count == 0 && amount is not null ? "rr" : "rp");
        header.SetElementValue("STATE", "D");
        header.SetElementValue("TOTALENTERED", IntacctValues.FormatDecimal(entered));
        header.SetElementValue("TOTALPAID", "0");
        header.SetElementValue("TRX_TOTALPAID", "0");
        header.SetElementValue("TOTALDUE", IntacctValues.FormatDecimal(entered));
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
        foreach (var detail in DetailsOf(payment).Where(d => d.Element("STATE")?.Value == "D").ToList())
            ApplyDetail(payment, detail, could);
        payment.SetElementValue("STATE", "C");
        payment.SetElementValue("WHENPAID", payment.Element("RECEIPTDATE")?.Value);
    }

    /// <summary>
    /// apply_arpayment: what a completed payment left unapplied (an overpayment, or an advance) applied to invoices.
    /// "To apply an overpayment or an advance, use the RECORDNO" of the payment (AR payments page). The application is
    /// a record of its own, an applied overpayment ("ro"), whose details name the credit they use (Workato's Apply AR
    /// payment action answers "the newly created AR payment application record"). Answers that record.
    /// </summary>
    public XElement ApplyPayment(XElement payment, IReadOnlyList<XElement> details, string date, string could)
    {
        EnsureAllowed(Definitions["ARPYMT"], "edit");
        if (payment.Element("STATE")?.Value != "C" || payment.Element("RECORDTYPE")?.Value is not ("rp" or "rr"))
            throw IntacctFunctionException.Business("Nothing to apply", $"Payment {payment.Element("RECORDNO")!.Value} has no overpayment or advance to apply.", null, could);
        var advance = payment.Element("RECORDTYPE")!.Value == "rr";
        var credits = details.Select(d => new XElement("ARPYMTDETAIL", new XElement(d.Element("RECORDKEY")!),
            new XElement(advance ? "ADVANCEKEY" : "OVERPAYMENTKEY", payment.Element("RECORDNO")!.Value),
            new XElement(advance ? "TRX_POSTEDADVANCEAMOUNT" : "TRX_POSTEDOVERPAYMENTAMOUNT", d.Element("TRX_PAYMENTAMOUNT")?.Value))).ToList();
        var header = new XElement("ARPYMT", new[] { "CUSTOMERID", "PAYMENTMETHOD", "FINANCIALENTITY", "UNDEPOSITEDACCOUNTNO", "PRBATCH", "DOCNUMBER", "CURRENCY", "BASECURR" }
            .Select(f => payment.Element(f)).OfType<XElement>().Select(e => new XElement(e)), new XElement("RECEIPTDATE", date));
        return CreatePayment(header, credits, draft: false, amount: null, Time.GetUtcNow());
    }

    /// <summary>
    /// reverse_arpayment: every invoice the payment paid owes that amount again, and so does every invoice its
    /// overpayment or advance paid through an applied overpayment (reversed with it).
    /// </summary>
    public void ReversePayment(XElement payment, string could)
    {
        EnsureAllowed(Definitions["ARPYMT"], "edit");
        if (payment.Element("STATE")?.Value != "C")
            throw IntacctFunctionException.Business("Payment not complete", "Only a completed payment can be reversed.", "Delete a draft payment instead.", could);
        var recordNo = payment.Element("RECORDNO")!.Value;
        foreach (var application in All("ARPYMT").Where(p => p.Element("STATE")?.Value == "C" && DetailsOf(p).Any(d => CreditKeyOf(d) == recordNo)).ToList())
            ReversePayment(application, could);
        var now = IntacctValues.FormatDateTime(Time.GetUtcNow());
        foreach (var detail in DetailsOf(payment).Where(d => d.Element("STATE")?.Value == "C"))
        {
            var amount = DecimalOf(detail, "PAYMENTAMOUNT");
            if (FindByRecordNo(Definitions["ARINVOICE"], detail.Element("RECORDKEY")!.Value) is { } invoice) ChangePaid(invoice, -amount, null);
            AdjustCustomerDue(payment.Element("CUSTOMERID")!.Value, amount);
            if (CreditKeyOf(detail) is { } source && FindByRecordNo(Definitions["ARPYMT"], source) is { } credit)
                credit.SetElementValue("TOTALDUE", IntacctValues.FormatDecimal(DecimalOf(credit, "TOTALDUE") + amount));
            detail.SetElementValue("STATE", "V");
            detail.SetElementValue("WHENMODIFIED", now);
        }

        payment.SetElementValue("STATE", "V");
        payment.SetElementValue("TOTALPAID", "0");
        payment.SetElementValue("TRX_TOTALPAID", "0");
        payment.SetElementValue("TOTALDUE", "0");
        payment.SetElementValue("WHENMODIFIED", now);
    }

    private IEnumerable<XElement> DetailsOf(XElement payment) => LinesOf(Definitions["ARPYMT"], payment);

    /// <summary>A detail that applies an overpayment or an advance rather than received cash.</summary>
    private static bool IsCredit(XElement detail) => CreditKeyOf(detail) is not null;

    private static string? CreditKeyOf(XElement detail) =>
        detail.Element("OVERPAYMENTKEY")?.Value is { Length: > 0 } overpayment ? overpayment : detail.Element("ADVANCEKEY")?.Value is { Length: > 0 } advance ? advance : null;

    /// <summary>What a detail applies: cash (TRX_PAYMENTAMOUNT) or the credit it names (TRX_POSTEDOVERPAYMENTAMOUNT, TRX_POSTEDADVANCEAMOUNT).</summary>
    private static decimal AmountOf(XElement detail) =>
        DecimalOf(detail, "TRX_PAYMENTAMOUNT") + DecimalOf(detail, "TRX_POSTEDOVERPAYMENTAMOUNT") + DecimalOf(detail, "TRX_POSTEDADVANCEAMOUNT");

    /// <summary>A credit memo (negative lines) lowers what the customer owes; a debit memo raises it.</summary>
    public XElement PostAdjustment(XElement header, IReadOnlyList<XElement> lines, string could)
    {
        var (customer, total) = CheckAmountDocument("ARADJUSTMENT", header, lines, "An adjustment", "ADJ", could);
        header.SetElementValue("CUSTOMERNAME", customer.Element("NAME")!.Value);
        // "ra" whatever the sign: a public integration finds credit memos as "AR adjustments with RECORDTYPE = 'ra' and
        // negative amounts"; create_aradjustment takes "a negative number to create a credit memo" (AR adjustments page).
        header.SetElementValue("RECORDTYPE", "ra");
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
        var amount = AmountOf(detail);
        if (!IsCredit(detail) && detail.Element("TRX_PAYMENTAMOUNT") is null)
        {
            amount = DecimalOf(invoice, "TOTALDUE"); // TRX_PAYMENTAMOUNT is optional: the whole amount due
            detail.SetElementValue("TRX_PAYMENTAMOUNT", IntacctValues.FormatDecimal(amount));
        }

        var due = DecimalOf(invoice, "TOTALDUE");
        if (amount <= 0 || amount > due)
            throw IntacctFunctionException.Business("Amount too large", $"The amount {IntacctValues.FormatDecimal(amount)} is more than the {IntacctValues.FormatDecimal(due)} due on invoice {invoice.Element("RECORDID")?.Value}.",
                "Apply at most the amount due.", could);
        if (CreditKeyOf(detail) is { } source) UseCredit(source, customerId, amount, could);

        var date = payment.Element("PAYMENTDATE")?.Value is { Length: > 0 } d ? d : payment.Element("RECEIPTDATE")!.Value;
        ChangePaid(invoice, amount, date);
        AdjustCustomerDue(customerId!, -amount);
        detail.SetElementValue("PAYMENTAMOUNT", IntacctValues.FormatDecimal(amount));
        detail.SetElementValue("PAYMENTDATE", date);
        detail.SetElementValue("STATE", "C");
        foreach (var field in new[] { "TOTALPAID", "TRX_TOTALPAID" })
            payment.SetElementValue(field, IntacctValues.FormatDecimal(DecimalOf(payment, field) + amount));
        payment.SetElementValue("TOTALDUE", IntacctValues.FormatDecimal(DecimalOf(payment, "TOTALDUE") - amount));
        payment.SetElementValue("WHENMODIFIED", IntacctValues.FormatDateTime(Time.GetUtcNow()));
    }

    /// <summary>Takes an applied amount from what an overpayment or advance of the customer left unapplied.</summary>
    private void UseCredit(string source, string? customerId, decimal amount, string could)
    {
        var credit = FindByRecordNo(Definitions["ARPYMT"], source);
        if (credit is null || credit.Element("CUSTOMERID")?.Value != customerId || credit.Element("STATE")?.Value != "C" || credit.Element("RECORDTYPE")?.Value is not ("rp" or "rr"))
            throw IntacctFunctionException.Business("Invalid credit", $"Payment {source} is not an overpayment or advance of customer {customerId}.", "Apply an overpayment or advance the customer has.", could);
        if (amount > DecimalOf(credit, "TOTALDUE"))
            throw IntacctFunctionException.Business("Amount too large", $"Only {IntacctValues.FormatDecimal(DecimalOf(credit, "TOTALDUE"))} of payment {source} is not yet applied.",
                "Apply at most the unapplied amount.", could);
        credit.SetElementValue("TOTALDUE", IntacctValues.FormatDecimal(DecimalOf(credit, "TOTALDUE") - amount));
        credit.SetElementValue("WHENMODIFIED", IntacctValues.FormatDateTime(Time.GetUtcNow()));
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
}
