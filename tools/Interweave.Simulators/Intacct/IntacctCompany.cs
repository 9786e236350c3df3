using System.Globalization;
using System.Xml.Linq;

namespace Interweave.Simulators.Intacct;

/// <summary>
/// One company's books: records per object (line objects stored beside their headers), numbering, and the
/// business rules the integration meets (ids that must be unique, references that must exist, payments that
/// change invoices and can be reversed). Not thread-safe: the gateway serialises access per company.
/// </summary>
internal sealed partial class IntacctCompany
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
    /// Order Entry transaction definitions, each also a SODOCUMENTPARAMS record (Order Entry Transaction Definitions
    /// page). Real ones are company-defined: every company starts with the three names Sage's pages and SDK fixtures use,
    /// and <see cref="AddTransactionDefinition"/> adds a company's own, as an administrator does in the UI. Numbering
    /// (SO0001) follows the DOCID shape "Sales Order-SO0023" seen in recorded traffic.
    /// </summary>
    public IReadOnlyList<TransactionDefinition> TransactionDefinitions => _transactionDefinitions;

    private readonly List<TransactionDefinition> _transactionDefinitions = [];

    public void AddTransactionDefinition(TransactionDefinition definition, string docClass, bool active = true)
    {
        _transactionDefinitions.Add(definition);
        AddSetupRecord("SODOCUMENTPARAMS", new XElement("SODOCUMENTPARAMS", new XElement("DOCID", definition.Name), new XElement("DESCRIPTION", definition.Name),
            new XElement("DOCCLASS", docClass), new XElement("STATUS", active ? "active" : "inactive")));
    }

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

    public XElement? FindByRecordNo(ObjectDef definition, string recordNo) => Indexed(definition.Name, "RECORDNO", recordNo.Trim());

    public XElement? FindById(ObjectDef definition, string id) => Indexed(definition.Name, definition.IdField, id.Trim());

    /// <summary>
    /// Records by key field, built on first use and kept as records come and go. Keys never change once a record is
    /// added (RECORDNO is given by <see cref="Add"/>; an update refuses a new id), so the index stays true. Without it
    /// a company of 100,000 customers answered each lookup by scanning them all.
    /// </summary>
    private readonly Dictionary<(string Object, string Field), Dictionary<string, XElement>> _indexes = new();

    private XElement? Indexed(string objectName, string field, string value)
    {
        if (!_indexes.TryGetValue((objectName, field), out var index))
        {
            index = new Dictionary<string, XElement>(StringComparer.Ordinal);
            foreach (var record in All(objectName))
                if (record.Element(field)?.Value is { } key) index.TryAdd(key, record);
            _indexes[(objectName, field)] = index;
        }

        return index.GetValueOrDefault(value);
    }

    private void Indexing(string objectName, XElement record, bool added)
    {
        foreach (var ((indexed, field), index) in _indexes)
        {
            if (!string.Equals(indexed, objectName, StringComparison.OrdinalIgnoreCase) || record.Element(field)?.Value is not { } key) continue;
            if (added) index.TryAdd(key, record);
            else if (index.TryGetValue(key, out var present) && present == record) index.Remove(key);
        }
    }

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

    /// <summary>A record of an object no API function writes (ARTERM), as an administrator sets it up in the UI.</summary>
    public XElement AddSetupRecord(string objectName, XElement record) => Add(Definitions[objectName], record, Time.GetUtcNow());

    public int Next(string counter) => _counters[counter] = _counters.GetValueOrDefault(counter) + 1;

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
        Indexing(definition.Name, record, added: true);
        _undo?.Add(() =>
        {
            list.Remove(record);
            Indexing(definition.Name, record, added: false);
        });
        // Changing is raised for the record and every element under it, before the change: the moment to keep its copy.
        record.Changing += (_, _) => Keep(record);
        return record;
    }

    private void Remove(ObjectDef definition, XElement record)
    {
        var list = _records[definition.Name];
        var index = list.IndexOf(record);
        list.RemoveAt(index);
        Indexing(definition.Name, record, added: false);
        _undo?.Add(() =>
        {
            list.Insert(index, record);
            Indexing(definition.Name, record, added: true);
        });
    }
}
