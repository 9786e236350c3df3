using System.Text.Json;
using System.Text.Json.Serialization;

namespace Interweave.Sidecar.Flows.Engine;

/// <summary>
/// A flow as data: where records come from, where they go, how fields map, which records qualify and when it
/// runs. Standard flows ship as templates (Flows/Templates/*.json); an admin edits the stored copy.
/// </summary>
public sealed record FlowDefinition
{
    public required string Id { get; init; }
    public required int Version { get; init; }
    public required string Name { get; init; }
    public string Description { get; init; } = "";
    public required FlowKind Kind { get; init; }

    /// <summary>
    /// For flows between records that stay paired (account and customer, product and item): the binding kind that
    /// pairs them. The target is found through the binding, then through the key field the other side holds
    /// (ACCOUNTID, PRODUCTID), and only then created; the pair is recorded both ways.
    /// </summary>
    public string? Binding { get; init; }
    public required FlowEndpoint Source { get; init; }
    public required FlowEndpoint Target { get; init; }
    public IReadOnlyList<FieldMap> Mapping { get; init; } = [];
    public IReadOnlyList<FlowFilter> Filter { get; init; } = [];
    /// <summary>A named step run after the records are written, e.g. "opportunity-invoice-totals".</summary>
    public string? RollUp { get; init; }
    public FlowTrigger Trigger { get; init; } = new();
    /// <summary>Flow-specific options with their defaults, e.g. the document type Send to Intacct creates.</summary>
    public IReadOnlyDictionary<string, string> Settings { get; init; } = new Dictionary<string, string>();

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        WriteIndented = false,
    };
}

public sealed record FlowEndpoint
{
    public required string System { get; init; }
    public required string Object { get; init; }
    /// <summary>The source field that identifies a record (Intacct RECORDNO, a Creatio Id).</summary>
    public string? Key { get; init; }
    /// <summary>A field shown to people for the record (an invoice number, a name).</summary>
    public string? Label { get; init; }
    public string? ModifiedField { get; init; }
    /// <summary>
    /// Owned lines the source's records carry (a payment's details): read with a query on the line object by its header
    /// key, because readByQuery answers a record's own fields only, and nested in the record under <see cref="FlowLines.Element"/>
    /// with lower-case members, as a read of the key nests them, so mappings name them as ARPYMTDETAILS/arpymtdetail/RECORDKEY.
    /// </summary>
    public FlowLines? Lines { get; init; }
}

/// <summary>An owned line object (ARPYMTDETAIL), the field naming its header's key (PAYMENTKEY) and the element the lines nest in.</summary>
public sealed record FlowLines(string Object, string ParentKey, string Element);

public sealed record FlowTrigger
{
    public bool Enabled { get; init; }
    /// <summary>A Quartz cron expression (seconds first), or null for manual runs only.</summary>
    public string? Schedule { get; init; }
}

/// <summary>Only records whose field equals (or does not equal) the value qualify.</summary>
public sealed record FlowFilter(string Field, FilterOperator Op, string Value);

/// <summary>
/// One target field. Exactly one way of producing it: <see cref="Source"/> (direct), <see cref="Constant"/>,
/// <see cref="Sources"/> with <see cref="Format"/> (format/concatenation), optionally through
/// <see cref="ValueMap"/> or <see cref="Lookup"/>; <see cref="Type"/> converts the text.
/// </summary>
public sealed record FieldMap
{
    public required string Target { get; init; }
    public string? Source { get; init; }
    public IReadOnlyList<string>? Sources { get; init; }
    /// <summary>A .NET composite format over <see cref="Sources"/>, e.g. "{0} {1}".</summary>
    public string? Format { get; init; }
    public string? Constant { get; init; }
    public IReadOnlyDictionary<string, string>? ValueMap { get; init; }
    /// <summary>The value when a value map has no entry; without it an unmapped value is an error.</summary>
    public string? Default { get; init; }
    public FieldLookup? Lookup { get; init; }
    public FieldType Type { get; init; } = FieldType.Text;
    /// <summary>"intacct" or "creatio": a field whose system of record is the target is written on create only.</summary>
    public string? SystemOfRecord { get; init; }
    /// <summary>When true an empty result is an error for the record (a lookup that must resolve).</summary>
    public bool Required { get; init; }
    /// <summary>
    /// The admin vouches for fields the systems do not list (yet): a custom field the integration user cannot see.
    /// Without it, a new or changed entry naming a field its system does not list is refused (<see cref="MappingFields"/>).
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool Unlisted { get; init; }
}

/// <summary>
/// Finds the target id for a source value: through the bindings table (<see cref="Binding"/> kind, Intacct id to
/// Creatio id), through what another flow wrote (<see cref="Flow"/>: its source key to its target record), or
/// through a Creatio lookup object (<see cref="Entity"/> whose <see cref="By"/> column holds the value, e.g.
/// Currency by Code).
/// </summary>
public sealed record FieldLookup
{
    public string? Binding { get; init; }
    public string? Flow { get; init; }
    public string? Entity { get; init; }
    public string? By { get; init; }
}
