using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Interweave.Simulators.Intacct;

internal enum FieldKind
{
    Text,
    Integer,
    Decimal,
    Date,
    DateTime,
    Boolean,
    Enum,
    Group,
}

/// <summary>
/// One field of an object as Intacct reads it. Read-only fields are set by the books (or by a legacy function),
/// never by a generic create or update; fields that are not queryable are refused by the query function.
/// </summary>
internal sealed record FieldDef(string Name, FieldKind Kind)
{
    public bool ReadOnly { get; init; }

    /// <summary>Accepted on write, never returned (ARPYMT's ACTION).</summary>
    public bool WriteOnly { get; init; }

    public bool Required { get; init; }

    public int MaxLength { get; init; }

    public bool Queryable { get; init; } = true;

    public IReadOnlyList<string> EnumValues { get; init; } = [];

    /// <summary>One-letter filter codes that stand for enum values (SODOCUMENT STATE).</summary>
    public IReadOnlyDictionary<string, string> Codes { get; init; } = new Dictionary<string, string>();

    public IReadOnlyList<FieldDef> Children { get; init; } = [];

    public bool IsCustom { get; init; }

    /// <summary>Why we believe a behaviour no public source shows; listed by lookup as the field's description.</summary>
    public string? Assumption { get; init; }
}

/// <summary>An owned line object and how a read of its header nests it (SODOCUMENTENTRIES/sodocumententry).</summary>
internal sealed record LinesDef(string Object, string Element, string LineElement, string ParentKey);

/// <summary>A many-to-one path from this object to another, usable as OBJECT.FIELD in fields, select and filters.</summary>
internal sealed record RelationshipDef(string Path, string Object, string By, string RelatedBy);

internal sealed record ObjectDef(string Name, string Label, string IdField, IReadOnlyList<FieldDef> Fields)
{
    /// <summary>Generic functions Sage documents for this object: create, update, delete.</summary>
    public IReadOnlySet<string> Generic { get; init; } = new HashSet<string>();

    public bool TakesDocParId { get; init; }

    public LinesDef? Lines { get; init; }

    public IReadOnlyList<RelationshipDef> Relationships { get; init; } = [];

    public IReadOnlyList<string> Sources { get; init; } = [];

    public FieldDef? Field(string name) => Fields.FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase));

    public RelationshipDef? Relationship(string path) => Relationships.FirstOrDefault(r => string.Equals(r.Path, path, StringComparison.OrdinalIgnoreCase));

    public bool Allows(string genericFunction) => Generic.Contains(genericFunction);
}

/// <summary>
/// Every object the simulator knows, read from Definitions/*.json (one file per object, with its sources), plus
/// the custom fields a company defined (ours: CUSTOMER.ACCOUNTID, VENDOR.ACCOUNTID, ITEM.PRODUCTID).
/// </summary>
internal sealed class IntacctDefinitions
{
    private const string Folder = ".Intacct.Definitions.";

    private readonly Dictionary<string, ObjectDef> _objects;

    public IntacctDefinitions(IEnumerable<string> customFields)
    {
        var assembly = typeof(IntacctDefinitions).Assembly;
        var groups = Load(assembly, "groups.json")["groups"]!.AsObject();
        _objects = new Dictionary<string, ObjectDef>(StringComparer.OrdinalIgnoreCase);
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.Contains(Folder, StringComparison.Ordinal) && !n.EndsWith("groups.json", StringComparison.Ordinal)))
        {
            var json = Load(assembly, resource[(resource.IndexOf(Folder, StringComparison.Ordinal) + Folder.Length)..]);
            var definition = Object(json, groups);
            _objects[definition.Name] = definition;
        }

        foreach (var custom in customFields)
        {
            var (objectName, fieldName) = custom.Split('.', 2) is [var o, var f] ? (o.Trim(), f.Trim()) : throw new ArgumentException($"custom field '{custom}' must be OBJECT.FIELD");
            if (!_objects.TryGetValue(objectName, out var definition)) throw new ArgumentException($"custom field '{custom}': no object {objectName}");
            _objects[objectName] = definition with
            {
                Fields = [.. definition.Fields.Where(f => f.Name is not ("WHENCREATED" or "WHENMODIFIED")), new FieldDef(fieldName.ToUpperInvariant(), FieldKind.Text) { MaxLength = 80, IsCustom = true },
                    .. definition.Fields.Where(f => f.Name is "WHENCREATED" or "WHENMODIFIED")],
            };
        }
    }

    public IEnumerable<ObjectDef> All => _objects.Values;

    public ObjectDef this[string name] => _objects[name];

    public ObjectDef? Find(string? name) => name is not null && _objects.TryGetValue(name.Trim(), out var definition) ? definition : null;

    private static JsonNode Load(Assembly assembly, string fileName)
    {
        var resource = assembly.GetManifestResourceNames().Single(n => n.EndsWith(Folder + fileName, StringComparison.Ordinal));
        using var stream = assembly.GetManifestResourceStream(resource)!;
        return JsonNode.Parse(stream) ?? throw new InvalidDataException(fileName);
    }

    private static ObjectDef Object(JsonNode json, JsonObject groups)
    {
        var lines = json["lines"] is JsonObject l
            ? new LinesDef((string)l["object"]!, (string)l["element"]!, (string)l["lineElement"]!, (string)l["parentKey"]!)
            : null;
        return new ObjectDef((string)json["object"]!, (string)json["label"]!, (string)json["idField"]!, Fields(json["fields"]!.AsArray(), groups))
        {
            Generic = (json["generic"]?.AsArray().Select(g => (string)g!) ?? []).ToHashSet(StringComparer.Ordinal),
            TakesDocParId = (bool?)json["docparid"] ?? false,
            Lines = lines,
            Relationships = json["relationships"]?.AsArray().Select(r => new RelationshipDef((string)r!["path"]!, (string)r["object"]!, (string)r["by"]!, (string)r["relatedBy"]!)).ToList() ?? [],
            Sources = json["sources"]?.AsArray().Select(s => (string)s!).ToList() ?? [],
        };
    }

    private static List<FieldDef> Fields(JsonArray fields, JsonObject groups) => fields.Select(f =>
    {
        var kind = (string)f!["type"]! switch
        {
            "text" => FieldKind.Text,
            "integer" => FieldKind.Integer,
            "decimal" => FieldKind.Decimal,
            "date" => FieldKind.Date,
            "timestamp" => FieldKind.DateTime,
            "boolean" => FieldKind.Boolean,
            "enum" => FieldKind.Enum,
            "group" => FieldKind.Group,
            var other => throw new InvalidDataException($"unknown field type {other}"),
        };
        var children = f["group"] is { } group ? Fields(groups[(string)group!]!.AsArray(), groups)
            : f["fields"] is JsonArray inline ? Fields(inline, groups)
            : [];
        var readOnly = (bool?)f["readOnly"] ?? false;
        return new FieldDef((string)f["name"]!, kind)
        {
            ReadOnly = readOnly,
            WriteOnly = (bool?)f["writeOnly"] ?? false,
            Required = (bool?)f["required"] ?? false,
            MaxLength = (int?)f["max"] ?? 0,
            Queryable = (bool?)f["queryable"] ?? true,
            EnumValues = f["values"]?.AsArray().Select(v => (string)v!).ToList() ?? [],
            Codes = f["codes"]?.AsObject().ToDictionary(p => p.Key, p => (string)p.Value!) ?? new Dictionary<string, string>(),
            Children = readOnly ? children.Select(c => c with { ReadOnly = true }).ToList() : children,
            Assumption = (string?)f["assumption"],
        };
    }).ToList();

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
}
