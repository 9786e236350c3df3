using System.Xml;

namespace Interweave.Sidecar.Intacct;

/// <summary>
/// A record to write: fields in order, values as text, groups (DISPLAYCONTACT) and line lists nested.
/// Values are written by XmlWriter, so every character is escaped; nothing is pasted into XML by hand.
/// </summary>
public sealed class IntacctRecord
{
    private readonly List<(string Name, object Value)> _fields = [];

    public IntacctRecord(string objectName)
    {
        ObjectName = objectName;
    }

    public string ObjectName { get; }

    public IReadOnlyList<(string Name, object Value)> Fields => _fields;

    /// <summary>The text of a plain field set on this record, or null.</summary>
    public string? Value(string name) => _fields.FirstOrDefault(f => f.Name == name).Value as string;

    /// <summary>
    /// Adds a field; null values are left out (Intacct keeps what it has). Characters XML cannot carry (control
    /// characters such as U+0001 pasted into a CRM field) are dropped: they cannot reach Intacct in any form, and one of
    /// them must not stop the record, or the run it is in.
    /// </summary>
    public IntacctRecord Set(string name, string? value)
    {
        if (value is not null) _fields.Add((name, XmlText(value)));
        return this;
    }

    internal static string XmlText(string value)
    {
        var text = new System.Text.StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            if (char.IsHighSurrogate(value[i]) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
                text.Append(value[i]).Append(value[++i]); // emoji and other characters beyond U+FFFF are fine
            else if (XmlConvert.IsXmlChar(value[i])) text.Append(value[i]);
        }

        return text.Length == value.Length ? value : text.ToString();
    }

    public IntacctRecord Set(string name, decimal? value) =>
        value is null ? this : Set(name, value.Value.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public IntacctRecord Set(string name, DateOnly? value) =>
        value is null ? this : Set(name, IntacctDates.Format(value.Value));

    /// <summary>
    /// A record from field paths such as NAME and DISPLAYCONTACT/MAILADDRESS/ZIP: one element per first step, in
    /// the order first seen, groups nested as Intacct nests them.
    /// </summary>
    public static IntacctRecord FromPaths(string objectName, IEnumerable<KeyValuePair<string, string>> values)
    {
        var record = new IntacctRecord(objectName);
        foreach (var step in values.GroupBy(v => v.Key.Split('/')[0], StringComparer.Ordinal))
        {
            if (step.All(v => v.Key == step.Key))
            {
                foreach (var value in step) record.Set(step.Key, value.Value);
                continue;
            }

            record.Group(step.Key, FromPaths(step.Key, step.Where(v => v.Key != step.Key).Select(v => KeyValuePair.Create(v.Key[(step.Key.Length + 1)..], v.Value))));
        }

        return record;
    }

    public IntacctRecord Group(string name, IntacctRecord group)
    {
        _fields.Add((name, group));
        return this;
    }

    public IntacctRecord Lines(string name, string lineElement, IEnumerable<IntacctRecord> lines)
    {
        _fields.Add((name, new LineList(lineElement, lines.ToList())));
        return this;
    }

    internal sealed record LineList(string Element, IReadOnlyList<IntacctRecord> Lines);

    internal void WriteFields(XmlWriter xml)
    {
        foreach (var (name, value) in _fields)
        {
            xml.WriteStartElement(name);
            switch (value)
            {
                case string text: xml.WriteString(text); break;
                case IntacctRecord group: group.WriteFields(xml); break;
                case LineList list:
                    foreach (var line in list.Lines)
                    {
                        xml.WriteStartElement(list.Element);
                        line.WriteFields(xml);
                        xml.WriteEndElement();
                    }

                    break;
            }

            xml.WriteEndElement();
        }
    }
}

/// <summary>One function of a request. Writes, unlike reads, change the books: they are never re-sent blindly.</summary>
public abstract record IntacctFunction
{
    public string ControlId { get; init; } = Guid.NewGuid().ToString("n");

    public abstract bool IsWrite { get; }

    /// <summary>
    /// Whether sending it again after a lost answer does no harm. Reads are, except readMore: the gateway moved its
    /// result set on when it answered, so a resend would be answered with the page after the lost one.
    /// </summary>
    public virtual bool Replayable => !IsWrite;

    internal void Write(XmlWriter xml)
    {
        xml.WriteStartElement("function");
        xml.WriteAttributeString("controlid", ControlId);
        WriteBody(xml);
        xml.WriteEndElement();
    }

    protected abstract void WriteBody(XmlWriter xml);

    protected static void Element(XmlWriter xml, string name, string? value)
    {
        if (value is not null) xml.WriteElementString(name, value);
    }
}

/// <summary>
/// A legacy (2.1-style) function such as create_sotransaction or create_invoice: its body is written as given, in
/// lower-case element names, dates split into year, month and day. Sage documents these as the only way to create
/// Order Entry transactions and AR invoices; a successful create answers with a key instead of data.
/// </summary>
public sealed record LegacyFunction(IntacctRecord Body, IReadOnlyList<(string Name, string Value)>? Attributes = null) : IntacctFunction
{
    public override bool IsWrite => true;

    protected override void WriteBody(XmlWriter xml)
    {
        xml.WriteStartElement(Body.ObjectName);
        foreach (var (name, value) in Attributes ?? []) xml.WriteAttributeString(name, value);
        Body.WriteFields(xml);
        xml.WriteEndElement();
    }

    /// <summary>A legacy date: year, month and day elements.</summary>
    public static IntacctRecord Date(DateOnly date) => new IntacctRecord("date")
        .Set("year", date.Year.ToString("0000", System.Globalization.CultureInfo.InvariantCulture))
        .Set("month", date.Month.ToString("00", System.Globalization.CultureInfo.InvariantCulture))
        .Set("day", date.Day.ToString("00", System.Globalization.CultureInfo.InvariantCulture));
}

public sealed record GetApiSession(string? EntityId = null) : IntacctFunction
{
    public override bool IsWrite => false;

    protected override void WriteBody(XmlWriter xml)
    {
        xml.WriteStartElement("getAPISession");
        Element(xml, "locationid", EntityId);
        xml.WriteEndElement();
    }
}

public sealed record CreateRecords(IReadOnlyList<IntacctRecord> Records) : IntacctFunction
{
    public CreateRecords(IntacctRecord record)
        : this([record])
    {
    }

    public override bool IsWrite => true;

    protected override void WriteBody(XmlWriter xml)
    {
        xml.WriteStartElement("create");
        foreach (var record in Records)
        {
            xml.WriteStartElement(record.ObjectName);
            record.WriteFields(xml);
            xml.WriteEndElement();
        }

        xml.WriteEndElement();
    }
}

/// <summary>Update: the record must carry RECORDNO or the object's id field.</summary>
public sealed record UpdateRecord(IntacctRecord Record) : IntacctFunction
{
    public override bool IsWrite => true;

    protected override void WriteBody(XmlWriter xml)
    {
        xml.WriteStartElement("update");
        xml.WriteStartElement(Record.ObjectName);
        Record.WriteFields(xml);
        xml.WriteEndElement();
        xml.WriteEndElement();
    }
}

public sealed record DeleteRecords(string ObjectName, IReadOnlyList<string> RecordNos) : IntacctFunction
{
    public override bool IsWrite => true;

    protected override void WriteBody(XmlWriter xml)
    {
        xml.WriteStartElement("delete");
        xml.WriteElementString("object", ObjectName);
        xml.WriteElementString("keys", string.Join(",", RecordNos));
        xml.WriteEndElement();
    }
}

public sealed record ReadRecords(string ObjectName, IReadOnlyList<string> Keys, bool ByName = false, string Fields = "*") : IntacctFunction
{
    public override bool IsWrite => false;

    protected override void WriteBody(XmlWriter xml)
    {
        xml.WriteStartElement(ByName ? "readByName" : "read");
        xml.WriteElementString("object", ObjectName);
        xml.WriteElementString("keys", string.Join(",", Keys));
        xml.WriteElementString("fields", Fields);
        xml.WriteElementString("returnFormat", "xml");
        xml.WriteEndElement();
    }
}

public sealed record ReadByQuery(string ObjectName, ReadByQueryCondition? Query, int PageSize = 1000, string Fields = "*") : IntacctFunction
{
    public override bool IsWrite => false;

    protected override void WriteBody(XmlWriter xml)
    {
        xml.WriteStartElement("readByQuery");
        xml.WriteElementString("object", ObjectName);
        xml.WriteElementString("fields", Fields);
        xml.WriteElementString("query", Query?.ToString() ?? "");
        xml.WriteElementString("pagesize", PageSize.ToString(System.Globalization.CultureInfo.InvariantCulture));
        xml.WriteElementString("returnFormat", "xml");
        xml.WriteEndElement();
    }
}

public sealed record ReadMore(string ResultId) : IntacctFunction
{
    public override bool IsWrite => false;

    public override bool Replayable => false;

    protected override void WriteBody(XmlWriter xml)
    {
        xml.WriteStartElement("readMore");
        xml.WriteElementString("resultId", ResultId);
        xml.WriteEndElement();
    }
}

public sealed record OrderBy(string Field, bool Descending = false);

/// <summary>The query function: values travel as XML text inside the filter, so no quoting can go wrong.</summary>
public sealed record QueryRecords(string ObjectName, IReadOnlyList<string> Select, QueryFilter? Filter = null, IReadOnlyList<OrderBy>? Order = null, int PageSize = 1000, int Offset = 0) : IntacctFunction
{
    public override bool IsWrite => false;

    protected override void WriteBody(XmlWriter xml)
    {
        xml.WriteStartElement("query");
        xml.WriteStartElement("select");
        foreach (var field in Select) xml.WriteElementString("field", field);
        xml.WriteEndElement();
        xml.WriteElementString("object", ObjectName);
        if (Filter is not null)
        {
            xml.WriteStartElement("filter");
            Filter.Write(xml);
            xml.WriteEndElement();
        }

        if (Order is { Count: > 0 })
        {
            xml.WriteStartElement("orderby");
            foreach (var order in Order)
            {
                xml.WriteStartElement("order");
                xml.WriteElementString("field", order.Field);
                xml.WriteElementString(order.Descending ? "descending" : "ascending", "");
                xml.WriteEndElement();
            }

            xml.WriteEndElement();
        }

        xml.WriteElementString("pagesize", PageSize.ToString(System.Globalization.CultureInfo.InvariantCulture));
        xml.WriteElementString("offset", Offset.ToString(System.Globalization.CultureInfo.InvariantCulture));
        xml.WriteEndElement();
    }
}

/// <summary>Filters of the query function, built from values.</summary>
public abstract record QueryFilter
{
    public static QueryFilter EqualTo(string field, string value) => new Comparison("equalto", field, [value]);
    public static QueryFilter NotEqualTo(string field, string value) => new Comparison("notequalto", field, [value]);
    public static QueryFilter GreaterThanOrEqualTo(string field, string value) => new Comparison("greaterthanorequalto", field, [value]);
    public static QueryFilter LessThan(string field, string value) => new Comparison("lessthan", field, [value]);
    public static QueryFilter LessThanOrEqualTo(string field, string value) => new Comparison("lessthanorequalto", field, [value]);
    public static QueryFilter Like(string field, string pattern) => new Comparison("like", field, [pattern]);
    public static QueryFilter In(string field, IEnumerable<string> values) => new Comparison("in", field, values.ToList());
    public static QueryFilter IsNull(string field) => new Comparison("isnull", field, []);
    public static QueryFilter And(params QueryFilter[] filters) => filters.Length == 1 ? filters[0] : new Group("and", filters);
    public static QueryFilter Or(params QueryFilter[] filters) => filters.Length == 1 ? filters[0] : new Group("or", filters);

    internal abstract void Write(XmlWriter xml);

    private sealed record Comparison(string Operator, string Field, IReadOnlyList<string> Values) : QueryFilter
    {
        internal override void Write(XmlWriter xml)
        {
            xml.WriteStartElement(Operator);
            xml.WriteElementString("field", Field);
            foreach (var value in Values) xml.WriteElementString("value", value);
            xml.WriteEndElement();
        }
    }

    private sealed record Group(string Operator, IReadOnlyList<QueryFilter> Filters) : QueryFilter
    {
        internal override void Write(XmlWriter xml)
        {
            xml.WriteStartElement(Operator);
            foreach (var filter in Filters) filter.Write(xml);
            xml.WriteEndElement();
        }
    }
}

/// <summary>
/// readByQuery's SQL-like condition, built from values: string literals are quoted with every quote
/// escaped (as \', the form the official SDKs send), so a name like O'Brien cannot break out of its literal.
/// Groups are parenthesised and negation is a NOT prefix, as the SDKs' AndCondition, OrCondition and negate write them.
/// </summary>
public sealed record ReadByQueryCondition
{
    private readonly string _text;

    private ReadByQueryCondition(string text)
    {
        _text = text;
    }

    public static ReadByQueryCondition Equal(string field, string value) => new($"{Field(field)} = {Literal(value)}");

    /// <summary>The field holds one of the values ("in" is among readByQuery's documented operators).</summary>
    public static ReadByQueryCondition In(string field, IEnumerable<string> values) => new($"{Field(field)} IN ({string.Join(", ", values.Select(Literal))})");

    /// <summary>readByQuery documents no not-equal operator; the official SDKs write NOT FIELD = 'value'.</summary>
    public static ReadByQueryCondition NotEqual(string field, string value) => new($"NOT {Field(field)} = {Literal(value)}");

    public static ReadByQueryCondition Like(string field, string pattern) => new($"{Field(field)} LIKE {Literal(pattern)}");

    /// <summary>A date field within a period, both ends included.</summary>
    public static ReadByQueryCondition Between(string field, DateOnly from, DateOnly to) =>
        new($"{Field(field)} >= {Literal(IntacctDates.Format(from))} AND {Field(field)} <= {Literal(IntacctDates.Format(to))}");

    public static ReadByQueryCondition ModifiedSince(DateTimeOffset since) =>
        new($"WHENMODIFIED >= {Literal(IntacctDates.Format(since))}");

    public ReadByQueryCondition And(ReadByQueryCondition other) => new($"({_text}) AND ({other._text})");

    public ReadByQueryCondition Or(ReadByQueryCondition other) => new($"({_text}) OR ({other._text})");

    public override string ToString() => _text;

    internal static string Literal(string value) => "'" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal) + "'";

    /// <summary>Field names come from our code, never from data; refuse anything that is not one.</summary>
    private static string Field(string field) =>
        field.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.') ? field : throw new ArgumentException($"'{field}' is not a field name.", nameof(field));
}

/// <summary>lookup: an object's fields, custom fields included (developer.intacct.com object pages; SDK Lookup.ts).</summary>
public sealed record LookupObject(string ObjectName) : IntacctFunction
{
    public override bool IsWrite => false;

    protected override void WriteBody(XmlWriter xml)
    {
        xml.WriteStartElement("lookup");
        xml.WriteElementString("object", ObjectName);
        xml.WriteEndElement();
    }
}
