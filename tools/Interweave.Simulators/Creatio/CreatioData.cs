using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Interweave.Simulators.Creatio;

/// <summary>Rows per entity, and the rules of writing them: typed values, server defaults, foreign keys.</summary>
internal sealed class CreatioData(CreatioModel model, TimeProvider time)
{
    public static readonly Guid SupervisorId = Guid.Parse("410006e1-ca4e-4502-a9ec-e54d922d2c00");

    private readonly Dictionary<string, List<Dictionary<string, object?>>> _rows = new(StringComparer.Ordinal);
    private readonly object _lock = new();

    public CreatioModel Model => model;

    public object Lock => _lock;

    public List<Dictionary<string, object?>> Rows(string entity)
    {
        if (!_rows.TryGetValue(entity, out var list)) _rows[entity] = list = [];
        return list;
    }

    /// <summary>
    /// Rows by Id, indexed per entity so that 100,000 accounts do not cost a scan per read. The index is rebuilt
    /// whenever the row count no longer matches it (a test that added or removed rows in the list itself).
    /// </summary>
    private readonly Dictionary<string, Dictionary<Guid, Dictionary<string, object?>>> _byId = new(StringComparer.Ordinal);

    public Dictionary<string, object?>? Find(string entity, Guid id)
    {
        var rows = Rows(entity);
        if (!_byId.TryGetValue(entity, out var index) || index.Count != rows.Count)
        {
            index = new Dictionary<Guid, Dictionary<string, object?>>();
            foreach (var row in rows)
                if (row["Id"] is Guid key) index.TryAdd(key, row);
            _byId[entity] = index;
        }

        return index.TryGetValue(id, out var found) && found["Id"] is Guid current && current == id ? found : null;
    }

    public Dictionary<string, object?> Insert(EntityDef entity, JsonObject body, Guid userId)
    {
        var row = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var column in entity.Columns) row[column.Name] = Default(column);
        Apply(entity, row, body, isInsert: true);
        var id = row["Id"] is Guid g && g != Guid.Empty ? g : Guid.NewGuid();
        if (Find(entity.Name, id) is not null)
            throw CreatioODataException.Generic($"23505: duplicate key value violates unique constraint \"PK{entity.Name}Id\"");
        var now = time.GetUtcNow();
        row["Id"] = id;
        row["CreatedOn"] = now;
        row["ModifiedOn"] = now;
        row["CreatedBy"] = userId;
        row["ModifiedBy"] = userId;
        if (entity.Lookup("Owner") is not null && row["Owner"] is Guid owner && owner == Guid.Empty) row["Owner"] = userId;
        if (entity.Name == "Contact") SplitName(row);
        if (entity.Name == "Case" && row["Number"] is "") row["Number"] = $"SR{Rows("Case").Count + 1:00000}";
        if (entity.Name == "Case" && row["RegisteredOn"] is DateTimeOffset registered && registered == DateTimeOffset.MinValue) row["RegisteredOn"] = now;
        Rows(entity.Name).Add(row);
        if (_byId.TryGetValue(entity.Name, out var index)) index.TryAdd(id, row);
        return row;
    }

    public void Update(EntityDef entity, Dictionary<string, object?> row, JsonObject body, Guid userId)
    {
        var copy = new Dictionary<string, object?>(row);
        Apply(entity, copy, body, isInsert: false);
        foreach (var (key, value) in copy) row[key] = value;
        row["ModifiedOn"] = time.GetUtcNow();
        row["ModifiedBy"] = userId;
    }

    public void Delete(EntityDef entity, Dictionary<string, object?> row)
    {
        var id = (Guid)row["Id"]!;
        foreach (var other in model.Entities.Values)
            foreach (var column in other.Columns.Where(c => c.Kind == ColumnKind.Lookup && c.Target == entity.Name && c.Name is not ("CreatedBy" or "ModifiedBy")))
                if (Rows(other.Name).Any(r => r[column.Name] is Guid g && g == id))
                    throw CreatioODataException.Generic($"23503: update or delete on table \"{entity.Name}\" violates foreign key constraint \"FK{other.Name}{column.Name}\" on table \"{other.Name}\"");
        Rows(entity.Name).Remove(row);
        if (_byId.TryGetValue(entity.Name, out var index)) index.Remove(id);
    }

    private void Apply(EntityDef entity, Dictionary<string, object?> row, JsonObject body, bool isInsert)
    {
        foreach (var (property, node) in body)
        {
            if (property.StartsWith("@odata", StringComparison.Ordinal) || property.Contains("@odata.", StringComparison.Ordinal)) continue;
            // A navigation name in a write body is ignored, as Creatio ignores it (the lookup stays as it was).
            if (entity.Lookup(property) is not null) continue;
            var column = entity.ByProperty(property)
                ?? throw CreatioODataException.Error(400,
                    $"The property '{property}' does not exist on type 'Terrasoft.Configuration.OData.{entity.Name}'. Make sure to only use property names that are defined by the type or mark the type as open type.",
                    type: "Microsoft.OData.ODataException");
            if (column.Name is "CreatedOn" or "ModifiedOn" or "CreatedBy" or "ModifiedBy") continue;
            if (column.Name == "Id" && !isInsert) continue;
            var value = Read(column, node, entity.Name);
            if (column.Kind == ColumnKind.Lookup && value is Guid target && target != Guid.Empty && Find(column.Target!, target) is null)
                throw CreatioODataException.Generic($"23503: insert or update on table \"{entity.Name}\" violates foreign key constraint \"FK{entity.Name}{column.Name}\"");
            row[column.Name] = value;
        }
    }

    private static object? Read(ColumnDef column, JsonNode? node, string entity)
    {
        try
        {
            if (node is null) return Default(column);
            // Nodes built in code hold CLR values, parsed ones hold JsonElements: read both the same way.
            var element = JsonSerializer.SerializeToElement(node);
            return column.Kind switch
            {
                ColumnKind.Guid or ColumnKind.Lookup => Guid.Parse(element.GetString()!),
                ColumnKind.Text => element.GetString() ?? "",
                ColumnKind.Integer => element.ValueKind == JsonValueKind.String ? long.Parse(element.GetString()!, CultureInfo.InvariantCulture) : element.GetInt64(),
                // IEEE754Compatible clients send decimals as strings; both forms are accepted.
                ColumnKind.Decimal => element.ValueKind == JsonValueKind.String ? decimal.Parse(element.GetString()!, CultureInfo.InvariantCulture) : element.GetDecimal(),
                ColumnKind.Boolean => element.GetBoolean(),
                _ => DateTimeOffset.Parse(element.GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal),
            };
        }
        catch (Exception ex) when (ex is FormatException or InvalidOperationException or ArgumentNullException or OverflowException)
        {
            throw CreatioODataException.Error(400, $"Cannot convert the literal '{node?.ToJsonString()}' to the expected type of '{column.Property}' on 'Terrasoft.Configuration.OData.{entity}'.", type: "Microsoft.OData.ODataException");
        }
    }

    public static object? Default(ColumnDef column) => column.Kind switch
    {
        ColumnKind.Guid or ColumnKind.Lookup => Guid.Empty,
        ColumnKind.Text => "",
        ColumnKind.Integer => 0L,
        ColumnKind.Decimal => 0m,
        ColumnKind.Boolean => false,
        _ => DateTimeOffset.MinValue,
    };

    private static void SplitName(Dictionary<string, object?> row)
    {
        if (row["Name"] is not string { Length: > 0 } name || row["Surname"] is not "" || row["GivenName"] is not "") return;
        var parts = name.Split(' ', 2);
        row["GivenName"] = parts[0];
        row["Surname"] = parts.Length > 1 ? parts[1] : "";
    }

    /// <summary>A row as Creatio's OData writes it: every column (or the selected ones), zero GUIDs, "", 0001-01-01.</summary>
    public JsonObject Serialize(EntityDef entity, IReadOnlyDictionary<string, object?> row, IReadOnlyList<string>? select, IReadOnlyList<string> expand)
    {
        var json = new JsonObject();
        foreach (var column in entity.Columns)
        {
            if (select is not null && !select.Contains(column.Property) && !select.Contains(column.Name)) continue;
            json[column.Property] = Value(row.GetValueOrDefault(column.Name) ?? Default(column));
        }

        foreach (var navigation in expand)
        {
            var lookup = entity.Lookup(navigation)!;
            var target = model.Find(lookup.Target!)!;
            json[navigation] = row.GetValueOrDefault(lookup.Name) is Guid id && Find(target.Name, id) is { } related
                ? Serialize(target, related, null, [])
                : null;
        }

        return json;
    }

    private static JsonNode? Value(object? value) => value switch
    {
        Guid g => JsonValue.Create(g.ToString("D")),
        string s => JsonValue.Create(s),
        long l => JsonValue.Create(l),
        decimal d => JsonValue.Create(d),
        bool b => JsonValue.Create(b),
        DateTimeOffset t => JsonValue.Create(t == DateTimeOffset.MinValue ? "0001-01-01T00:00:00Z" : t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture)),
        _ => null,
    };
}
