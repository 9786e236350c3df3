using System.Globalization;
using System.Xml.Linq;

namespace Interweave.Simulators.Intacct;

/// <summary>
/// One company's books: records per object, numbering, and the business rules the integration meets
/// (duplicate ids, references that must exist, payments that change invoices). Not thread-safe: the
/// gateway serialises access per company.
/// </summary>
internal sealed class IntacctCompany
{
    private Dictionary<string, List<XElement>> _records = new(StringComparer.OrdinalIgnoreCase);
    private Dictionary<string, int> _counters = new(StringComparer.OrdinalIgnoreCase);

    public IntacctCompany(string companyId, TimeProvider time)
    {
        CompanyId = companyId;
        Time = time;
    }

    public string CompanyId { get; }

    public TimeProvider Time { get; }

    /// <summary>Entities of a multi-entity company (login locationid).</summary>
    public HashSet<string> Entities { get; } = new(StringComparer.OrdinalIgnoreCase) { "US01", "UK01" };

    /// <summary>Objects the web services user's role may not touch (permission errors).</summary>
    public HashSet<string> DeniedObjects { get; } = new(StringComparer.OrdinalIgnoreCase);

    public IReadOnlyList<XElement> All(string objectName) =>
        _records.TryGetValue(objectName, out var list) ? list : [];

    /// <summary>A copy to restore when a transaction="true" operation fails part-way.</summary>
    public (Dictionary<string, List<XElement>>, Dictionary<string, int>) Snapshot() =>
        (_records.ToDictionary(p => p.Key, p => p.Value.Select(r => new XElement(r)).ToList(), StringComparer.OrdinalIgnoreCase),
         new Dictionary<string, int>(_counters, StringComparer.OrdinalIgnoreCase));

    public void Restore((Dictionary<string, List<XElement>> Records, Dictionary<string, int> Counters) snapshot)
    {
        _records = snapshot.Records;
        _counters = snapshot.Counters;
    }

    public void EnsureAllowed(ObjectDef definition, string action)
    {
        if (DeniedObjects.Contains(definition.Name))
            throw new IntacctFunctionException(new IntacctError("BL01001973", $"You do not have permission to {action} {definition.DisplayName} records.",
                $"The role of this Web Services user lacks the {definition.DisplayName} permission.",
                "Grant the permission to the user's role under Company > Admin > Roles."));
    }

    public XElement? FindByRecordNo(ObjectDef definition, string recordNo) =>
        All(definition.Name).FirstOrDefault(r => r.Element("RECORDNO")?.Value == recordNo.Trim());

    public XElement? FindById(ObjectDef definition, string id) =>
        All(definition.Name).FirstOrDefault(r => r.Element(definition.IdField)?.Value == id.Trim());

    public XElement Create(ObjectDef definition, XElement input)
    {
        EnsureAllowed(definition, "add");
        var record = FieldValidation.Normalize(definition, input, isCreate: true);
        var now = Time.GetUtcNow();

        switch (definition.Name)
        {
            case "SODOCUMENT": PrepareSalesDocument(record); break;
            case "ARINVOICE": PrepareInvoice(record, null); break;
            case "ARPYMT": ApplyPayment(record, now); break;
            case "ARADJUSTMENT": PrepareAdjustment(record); break;
            default:
                var id = record.Element(definition.IdField)?.Value;
                if (string.IsNullOrEmpty(id))
                    throw IntacctFunctionException.Business($"{definition.IdField} is required.", $"Provide a {definition.IdField}.", $"Could not create {definition.DisplayName} record!");
                if (FindById(definition, id) is not null)
                    throw IntacctFunctionException.Business(
                        $"Another {definition.DisplayName} with the given value(s) {id} already exists",
                        $"Use a unique value for {definition.IdField}.", $"Could not create {definition.DisplayName} record!");
                record.SetElementValue("STATUS", record.Element("STATUS")?.Value is { Length: > 0 } s ? s : "active");
                break;
        }

        Stamp(definition, record, now, created: true);
        Add(definition, record);

        if (definition.Name == "SODOCUMENT" && record.Element("TRANSACTIONTYPE")!.Value == "Sales Invoice")
            CreateInvoiceFromSalesDocument(record, now);
        return record;
    }

    public XElement Update(ObjectDef definition, XElement input)
    {
        EnsureAllowed(definition, "edit");
        var recordNo = input.Element("RECORDNO")?.Value;
        var id = input.Element(definition.IdField)?.Value;
        var record = (recordNo is { Length: > 0 } ? FindByRecordNo(definition, recordNo) : null)
            ?? (id is { Length: > 0 } && definition.IdField != "RECORDNO" ? FindById(definition, id) : null);
        if (record is null)
        {
            if (string.IsNullOrEmpty(recordNo) && string.IsNullOrEmpty(id))
                throw IntacctFunctionException.Business($"Provide RECORDNO or {definition.IdField} to say which record to update.", null, $"Could not update {definition.DisplayName} record!");
            throw IntacctFunctionException.Business($"No {definition.DisplayName} with key {recordNo ?? id} exists.", "Check the key.", $"Could not update {definition.DisplayName} record!");
        }

        if (definition.IdAssignedByServer)
            throw IntacctFunctionException.Business($"Posted {definition.DisplayName} records cannot be changed through update in this simulator.", null, $"Could not update {definition.DisplayName} record!");

        var changes = new XElement(input);
        changes.Element("RECORDNO")?.Remove();
        if (recordNo is { Length: > 0 } && id is { Length: > 0 } && id != record.Element(definition.IdField)?.Value)
            throw IntacctFunctionException.Business($"{definition.IdField} cannot be changed.", null, $"Could not update {definition.DisplayName} record!");
        changes.Element(definition.IdField)?.Remove();
        var normalized = FieldValidation.Normalize(definition, changes, isCreate: false);
        foreach (var field in normalized.Elements())
        {
            var existing = record.Element(field.Name);
            if (existing is null) record.Add(new XElement(field));
            else if (field.HasElements && existing.HasElements)
                foreach (var child in field.Elements()) MergeInto(existing, child);
            else existing.ReplaceWith(new XElement(field));
        }

        Stamp(definition, record, Time.GetUtcNow(), created: false);
        return record;
    }

    public void Delete(ObjectDef definition, XElement record)
    {
        EnsureAllowed(definition, "delete");
        var id = record.Element(definition.IdField)?.Value;
        if (definition.Name is "CUSTOMER" && id is not null && new[] { "SODOCUMENT", "ARINVOICE", "ARPYMT", "ARADJUSTMENT" }.Any(o => All(o).Any(r => r.Element("CUSTOMERID")?.Value == id)))
            throw IntacctFunctionException.Business($"Customer {id} has transactions and cannot be deleted.", "Make the customer inactive instead.", "Could not delete Customer record!");
        if (definition.Name is "ITEM" && id is not null && All("SODOCUMENT").Any(d => d.Descendants("ITEMID").Any(i => i.Value == id)))
            throw IntacctFunctionException.Business($"Item {id} is used on transactions and cannot be deleted.", "Make the item inactive instead.", "Could not delete Item record!");
        _records[definition.Name].Remove(record);
    }

    public int Next(string counter) => _counters[counter] = _counters.GetValueOrDefault(counter) + 1;

    private static void MergeInto(XElement target, XElement change)
    {
        var existing = target.Element(change.Name);
        if (existing is not null && change.HasElements && existing.HasElements)
            foreach (var child in change.Elements()) MergeInto(existing, child);
        else if (existing is not null) existing.ReplaceWith(new XElement(change));
        else target.Add(new XElement(change));
    }

    private void Add(ObjectDef definition, XElement record)
    {
        if (!_records.TryGetValue(definition.Name, out var list)) _records[definition.Name] = list = [];
        list.Add(record);
    }

    private void Stamp(ObjectDef definition, XElement record, DateTimeOffset now, bool created)
    {
        if (created)
        {
            record.AddFirst(new XElement("RECORDNO", Next("RECORDNO:" + definition.Name).ToString(CultureInfo.InvariantCulture)));
            if (definition.Field("WHENCREATED") is { Kind: FieldKind.DateTime }) record.SetElementValue("WHENCREATED", IntacctValues.FormatDateTime(now));
        }

        record.SetElementValue("WHENMODIFIED", IntacctValues.FormatDateTime(now));
    }

    private XElement ActiveCustomer(XElement record, string documentName)
    {
        var customerId = record.Element("CUSTOMERID")?.Value ?? "";
        var customer = FindById(IntacctSchema.Customer, customerId)
            ?? throw IntacctFunctionException.Business($"Invalid Customer '{customerId}' specified.", "Create the customer first, or use an existing CUSTOMERID.", $"Could not create {documentName} record!");
        if (customer.Element("STATUS")?.Value == "inactive")
            throw IntacctFunctionException.Business($"Customer '{customerId}' is inactive.", "Make the customer active before recording transactions for it.", $"Could not create {documentName} record!");
        return customer;
    }

    private void PrepareSalesDocument(XElement record)
    {
        ActiveCustomer(record, "Sales transaction");
        var lines = record.Element("SOTRANSITEMS")?.Elements().ToList() ?? [];
        if (lines.Count == 0)
            throw IntacctFunctionException.Business("A sales transaction needs at least one line.", "Add sotransitem lines.", "Could not create Sales transaction record!");
        var total = 0m;
        foreach (var line in lines)
        {
            var itemId = line.Element("ITEMID")?.Value ?? "";
            var item = FindById(IntacctSchema.Item, itemId)
                ?? throw IntacctFunctionException.Business($"Invalid Item '{itemId}' specified.", "Create the item first, or use an existing ITEMID.", "Could not create Sales transaction record!");
            if (item.Element("STATUS")?.Value == "inactive")
                throw IntacctFunctionException.Business($"Item '{itemId}' is inactive.", "Make the item active.", "Could not create Sales transaction record!");
            if (line.Element("PRICE") is null) line.Add(new XElement("PRICE", item.Element("BASEPRICE")?.Value ?? "0"));
            var amount = IntacctValues.DecimalOf(line, "QUANTITY") * IntacctValues.DecimalOf(line, "PRICE") * (1 - (IntacctValues.DecimalOf(line, "DISCOUNTPERCENT") / 100m));
            line.SetElementValue("TOTAL", IntacctValues.FormatDecimal(Math.Round(amount, 2)));
            total += Math.Round(amount, 2);
        }

        var type = record.Element("TRANSACTIONTYPE")!.Value;
        var prefix = type switch { "Sales Order" => "SO", "Sales Invoice" => "INV", _ => "QT" };
        var docNo = $"{prefix}-{Next("DOC:" + type):0000}";
        record.SetElementValue("DOCNO", docNo);
        record.SetElementValue("DOCID", $"{type}-{docNo}");
        record.SetElementValue("TOTAL", IntacctValues.FormatDecimal(total));
        if (record.Element("STATE") is null) record.Add(new XElement("STATE", type == "Sales Invoice" ? "Closed" : "Pending"));
        if (record.Element("CURRENCY") is null) record.Add(new XElement("CURRENCY", "USD"));
    }

    private void CreateInvoiceFromSalesDocument(XElement document, DateTimeOffset now)
    {
        var invoice = new XElement("ARINVOICE",
            new XElement("RECORDID", document.Element("DOCNO")!.Value),
            new XElement("CUSTOMERID", document.Element("CUSTOMERID")!.Value),
            new XElement("WHENCREATED", document.Element("WHENCREATED")!.Value),
            new XElement("WHENDUE", document.Element("WHENDUE")?.Value ?? document.Element("WHENCREATED")!.Value),
            new XElement("DOCNUMBER", document.Element("PONUMBER")?.Value ?? ""),
            new XElement("CURRENCY", document.Element("CURRENCY")!.Value),
            new XElement("ARINVOICEITEMS", document.Element("SOTRANSITEMS")!.Elements().Select(line =>
                new XElement("lineitem", new XElement("ITEMID", line.Element("ITEMID")!.Value), new XElement("AMOUNT", line.Element("TOTAL")!.Value)))));
        PrepareInvoice(invoice, document.Element("DOCNO")!.Value);
        Stamp(IntacctSchema.ArInvoice, invoice, now, created: true);
        Add(IntacctSchema.ArInvoice, invoice);
    }

    private void PrepareInvoice(XElement record, string? number)
    {
        var customer = ActiveCustomer(record, "AR invoice");
        var lines = record.Element("ARINVOICEITEMS")?.Elements().ToList() ?? [];
        if (lines.Count == 0)
            throw IntacctFunctionException.Business("An invoice needs at least one line.", "Add lineitem lines.", "Could not create AR invoice record!");
        var total = lines.Sum(l => IntacctValues.DecimalOf(l, "AMOUNT"));
        if (record.Element("RECORDID")?.Value is not { Length: > 0 }) record.SetElementValue("RECORDID", number ?? $"ARINV-{Next("ARINVOICE"):0000}");
        if (All("ARINVOICE").Any(i => i.Element("RECORDID")?.Value == record.Element("RECORDID")!.Value))
            throw IntacctFunctionException.Business($"An invoice with number {record.Element("RECORDID")!.Value} already exists.", "Use a unique invoice number.", "Could not create AR invoice record!");
        if (record.Element("WHENDUE") is null) record.Add(new XElement("WHENDUE", record.Element("WHENCREATED")!.Value));
        if (record.Element("CURRENCY") is null) record.Add(new XElement("CURRENCY", "USD"));
        record.SetElementValue("STATE", "Posted");
        record.SetElementValue("TOTALENTERED", IntacctValues.FormatDecimal(total));
        record.SetElementValue("TOTALDUE", IntacctValues.FormatDecimal(total));
        record.SetElementValue("TOTALPAID", IntacctValues.FormatDecimal(0));
        AdjustCustomerDue(customer, total);
    }

    private void ApplyPayment(XElement record, DateTimeOffset now)
    {
        var customer = ActiveCustomer(record, "AR payment");
        var details = record.Element("ARPYMTDETAILS")?.Elements().ToList() ?? [];
        if (details.Count == 0)
            throw IntacctFunctionException.Business("A payment must be applied to at least one invoice.", "Add arpymtdetail lines with RECORDKEY and TRX_PAYMENTAMOUNT.", "Could not create AR payment record!");
        var total = 0m;
        foreach (var detail in details)
        {
            var key = detail.Element("RECORDKEY")!.Value;
            var invoice = FindByRecordNo(IntacctSchema.ArInvoice, key);
            if (invoice is null || invoice.Element("CUSTOMERID")?.Value != customer.Element("CUSTOMERID")?.Value)
                throw IntacctFunctionException.Business($"Invoice {key} does not exist for customer {customer.Element("CUSTOMERID")?.Value}.", "Apply the payment to one of the customer's open invoices.", "Could not create AR payment record!");
            var amount = IntacctValues.DecimalOf(detail, "TRX_PAYMENTAMOUNT");
            var due = IntacctValues.DecimalOf(invoice, "TOTALDUE");
            if (amount <= 0 || amount > due)
                throw IntacctFunctionException.Business($"The amount {IntacctValues.FormatDecimal(amount)} is more than the {IntacctValues.FormatDecimal(due)} due on invoice {invoice.Element("RECORDID")?.Value}.", "Apply at most the amount due.", "Could not create AR payment record!");
            var paid = IntacctValues.DecimalOf(invoice, "TOTALPAID") + amount;
            invoice.SetElementValue("TOTALPAID", IntacctValues.FormatDecimal(paid));
            invoice.SetElementValue("TOTALDUE", IntacctValues.FormatDecimal(due - amount));
            invoice.SetElementValue("STATE", due - amount == 0 ? "Paid" : "Partially Paid");
            if (due - amount == 0) invoice.SetElementValue("WHENPAID", record.Element("RECEIPTDATE")!.Value);
            invoice.SetElementValue("WHENMODIFIED", IntacctValues.FormatDateTime(now));
            total += amount;
        }

        record.SetElementValue("STATE", "Complete");
        record.SetElementValue("TOTALENTERED", IntacctValues.FormatDecimal(total));
        record.SetElementValue("TOTALPAID", IntacctValues.FormatDecimal(total));
        if (record.Element("CURRENCY") is null) record.Add(new XElement("CURRENCY", "USD"));
        AdjustCustomerDue(customer, -total);
    }

    private void PrepareAdjustment(XElement record)
    {
        var customer = ActiveCustomer(record, "AR adjustment");
        var total = record.Element("ARADJUSTMENTITEMS")?.Elements().Sum(l => IntacctValues.DecimalOf(l, "AMOUNT")) ?? 0m;
        record.SetElementValue("STATE", "Posted");
        record.SetElementValue("TOTALENTERED", IntacctValues.FormatDecimal(total));
        if (record.Element("RECORDID")?.Value is not { Length: > 0 }) record.SetElementValue("RECORDID", $"ADJ-{Next("ARADJUSTMENT"):0000}");
        AdjustCustomerDue(customer, total);
    }

    private void AdjustCustomerDue(XElement customer, decimal delta)
    {
        customer.SetElementValue("TOTALDUE", IntacctValues.FormatDecimal(IntacctValues.DecimalOf(customer, "TOTALDUE") + delta));
    }
}

/// <summary>Checks an incoming record against the object's fields and returns it in canonical form.</summary>
internal static class FieldValidation
{
    public static XElement Normalize(ObjectDef definition, XElement input, bool isCreate)
    {
        var record = new XElement(definition.Name);
        foreach (var element in input.Elements())
            record.Add(NormalizeField(definition, definition.Fields, element, definition.Name));

        if (isCreate)
        {
            foreach (var field in definition.Fields.Where(f => f.Required && !f.ReadOnly))
                if (record.Element(field.Name) is not { } value || (!value.HasElements && value.Value.Length == 0))
                    throw IntacctFunctionException.Business($"Required field {field.Name} is missing.", $"Provide a value for {field.Name}.", $"Could not create {definition.DisplayName} record!");
        }

        return record;
    }

    private static XElement NormalizeField(ObjectDef definition, IReadOnlyList<FieldDef> fields, XElement element, string path)
    {
        var name = element.Name.LocalName;
        var field = fields.FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase))
            ?? throw IntacctFunctionException.Business($"{path}: unknown field '{name}'.", $"Remove {name} or use a field {definition.Name} has.", $"Could not process {definition.DisplayName} record!");
        var fullPath = $"{path}.{field.Name}";
        if (field.ReadOnly && field.Name != "RECORDNO")
            throw IntacctFunctionException.Business($"{fullPath} is read-only.", $"Do not send {field.Name}.", $"Could not process {definition.DisplayName} record!");
        if (field.ReadOnly)
            throw IntacctFunctionException.Business($"{fullPath} is assigned by Intacct.", "Do not send RECORDNO when creating.", $"Could not process {definition.DisplayName} record!");

        switch (field.Kind)
        {
            case FieldKind.Group:
                return new XElement(field.Name, element.Elements().Select(child => NormalizeField(definition, field.Children, child, fullPath)));
            case FieldKind.Lines:
                return new XElement(field.Name, element.Elements().Select(line =>
                {
                    if (!string.Equals(line.Name.LocalName, field.LineElement, StringComparison.OrdinalIgnoreCase))
                        throw IntacctFunctionException.Business($"{fullPath}: expected <{field.LineElement}> lines, found <{line.Name.LocalName}>.", null, $"Could not process {definition.DisplayName} record!");
                    var normalized = new XElement(field.LineElement, line.Elements().Select(child => NormalizeField(definition, field.Children, child, fullPath)));
                    foreach (var required in field.Children.Where(c => c.Required))
                        if (normalized.Element(required.Name) is null)
                            throw IntacctFunctionException.Business($"{fullPath}: a line is missing {required.Name}.", $"Provide {required.Name} on every line.", $"Could not process {definition.DisplayName} record!");
                    return normalized;
                }));
        }

        var value = element.Value.Trim();
        if (value.Length > 0 && !IsValid(field, value, out var problem))
            throw IntacctFunctionException.Business($"{fullPath}: '{value}' {problem}", $"Correct the value of {field.Name}.", $"Could not process {definition.DisplayName} record!");
        return new XElement(field.Name, field.Kind == FieldKind.Decimal && value.Length > 0 && IntacctValues.TryParseDecimal(value, out var d) ? IntacctValues.FormatDecimal(d) : value);
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
