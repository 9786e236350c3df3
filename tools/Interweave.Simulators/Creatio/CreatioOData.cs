using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.WebUtilities;

namespace Interweave.Simulators.Creatio;

/// <summary>One OData request against the data: entity sets, keys, and the query options Creatio supports.</summary>
internal sealed partial class CreatioOData(CreatioData data, CreatioSimulatorOptions options, string root)
{
    public CreatioSimulator.ODataResult Execute(string method, string path, string queryString, JsonObject? body, Guid userId, ConcurrentDictionary<string, int> calls)
    {
        var match = EntityPath().Match(path.Trim('/'));
        if (path.Trim('/').Length == 0)
        {
            var sets = new JsonArray(data.Model.Entities.Keys.Order(StringComparer.Ordinal).Select(n => (JsonNode)new JsonObject { ["name"] = n, ["kind"] = "EntitySet", ["url"] = n }).ToArray());
            return new(200, new JsonObject { ["@odata.context"] = root + "$metadata", ["value"] = sets });
        }

        if (!match.Success) throw CreatioODataException.NoEntitySet(root + path, path);
        var name = match.Groups["entity"].Value;
        var entity = data.Model.Find(name) ?? throw CreatioODataException.NoEntitySet(root + path, name);
        Guid? key = null;
        if (match.Groups["key"].Success)
        {
            if (!Guid.TryParse(match.Groups["key"].Value, out var parsed))
                throw CreatioODataException.BadQuery($"The key value '{match.Groups["key"].Value}' is not a valid Edm.Guid; write keys unquoted.");
            key = parsed;
        }

        calls.AddOrUpdate($"{method} {name}", 1, (_, n) => n + 1);
        if (options.DeniedEntities.Contains(name))
            throw CreatioODataException.Error(403, $"Insufficient permissions to access object \"{name}\".", type: "System.Security.SecurityException");
        var query = QueryHelpers.ParseQuery(queryString);
        var select = query.TryGetValue("$select", out var s) ? s.ToString().Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) : null;
        if (select is not null)
            foreach (var property in select)
                if (entity.ByProperty(property) is null) throw CreatioODataException.UnknownProperty(property, entity.Name);
        var expand = query.TryGetValue("$expand", out var e) ? e.ToString().Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) : [];
        foreach (var navigation in expand)
            if (entity.Lookup(navigation) is null) throw CreatioODataException.UnknownProperty(navigation, entity.Name);
        var context = root + "$metadata#" + entity.Name + (select is null ? "" : $"({string.Join(',', select)})");

        switch (method)
        {
            case "GET" when key is null:
                return new(200, Collection(entity, query, select, expand, context));
            case "GET":
                var row = data.Find(entity.Name, key.Value) ?? throw NotFound(entity, key.Value);
                var single = data.Serialize(entity, row, select, expand);
                single.Insert(0, "@odata.context", context + "/$entity");
                return new(200, single);
            case "POST" when key is null:
                var created = data.Insert(entity, body ?? throw CreatioODataException.Error(400, "A request body is required."), userId);
                var json = data.Serialize(entity, created, null, []);
                json.Insert(0, "@odata.context", context + "/$entity");
                return new(201, json);
            case "PATCH" when key is not null:
                data.Update(entity, data.Find(entity.Name, key.Value) ?? throw NotFound(entity, key.Value), body ?? [], userId);
                return new(204, null);
            case "DELETE" when key is not null:
                data.Delete(entity, data.Find(entity.Name, key.Value) ?? throw NotFound(entity, key.Value));
                return new(204, null);
            default:
                throw CreatioODataException.Error(405, $"The HTTP method '{method}' is not allowed on this resource.");
        }
    }

    private JsonObject Collection(EntityDef entity, Dictionary<string, Microsoft.Extensions.Primitives.StringValues> query, IReadOnlyList<string>? select, IReadOnlyList<string> expand, string context)
    {
        var predicate = ODataFilterParser.Parse(entity, query.TryGetValue("$filter", out var f) ? f.ToString() : null, (target, id) => data.Find(target, id));
        IEnumerable<Dictionary<string, object?>> rows = data.Rows(entity.Name).Where(r => predicate(r));
        if (query.TryGetValue("$orderby", out var orderBy))
        {
            IOrderedEnumerable<Dictionary<string, object?>>? ordered = null;
            foreach (var clause in orderBy.ToString().Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                var parts = clause.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                var column = entity.ByProperty(parts[0]) ?? throw CreatioODataException.UnknownProperty(parts[0], entity.Name);
                var descending = parts.Length > 1 && parts[1].Equals("desc", StringComparison.OrdinalIgnoreCase);
                var comparer = Comparer<object?>.Create((a, b) => ODataFilterParser.Compare(a, b) ?? 0);
                object? Key(Dictionary<string, object?> r) => r.GetValueOrDefault(column.Name);
                ordered = ordered is null
                    ? (descending ? rows.OrderByDescending(Key, comparer) : rows.OrderBy(Key, comparer))
                    : (descending ? ordered.ThenByDescending(Key, comparer) : ordered.ThenBy(Key, comparer));
            }

            rows = ordered ?? rows;
        }

        var all = rows.ToList();
        var skip = Number(query, "$skip") ?? 0;
        var top = Number(query, "$top");
        if (top > options.MaxPageSize) throw CreatioODataException.BadQuery($"The limit of '{options.MaxPageSize}' for Top query has been exceeded.");
        var page = all.Skip(skip).Take(Math.Min(top ?? options.MaxPageSize, options.MaxPageSize)).ToList();
        var result = new JsonObject { ["@odata.context"] = context };
        if (query.TryGetValue("$count", out var count) && count == "true") result["@odata.count"] = all.Count;
        result["value"] = new JsonArray(page.Select(r => (JsonNode)data.Serialize(entity, r, select, expand)).ToArray());
        return result;
    }

    private static int? Number(Dictionary<string, Microsoft.Extensions.Primitives.StringValues> query, string name) =>
        !query.TryGetValue(name, out var value) ? null
        : int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) ? number
        : throw CreatioODataException.BadQuery($"Invalid value '{value}' for {name} query option found.");

    private static CreatioODataException NotFound(EntityDef entity, Guid id) =>
        CreatioODataException.Error(404, $"Entity '{entity.Name}' with Id '{id}' was not found.");

    [GeneratedRegex(@"^(?<entity>[A-Za-z_][A-Za-z0-9_]*)(\((?<key>[^)]*)\))?$")]
    private static partial Regex EntityPath();
}
