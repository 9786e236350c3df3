using System.Text.Json.Nodes;

namespace Interweave.Simulators.Creatio;

/// <summary>
/// Installs a package's data bindings (Data/&lt;Binding&gt;/descriptor.json, data.json, Localization/data.en-US.json)
/// the way Creatio does on a first install, for the objects the simulator models. Bindings on objects it does not
/// model (system settings, sections) are left out: they configure Creatio's UI, not the data the sidecar reads.
/// </summary>
internal static class CreatioPackageData
{
    private const string LookupType = "b295071f-7ea9-4e62-8d1a-919bf3732ff2";
    private const string GuidType = "23018567-a13c-4320-8687-fd6f9e3699bd";

    public static void Install(CreatioData data, string packageFolder)
    {
        var bindings = Path.Combine(packageFolder, "Data");
        if (!Directory.Exists(bindings)) return;
        EnsureReferencesResolve(packageFolder);
        foreach (var folder in Directory.GetDirectories(bindings).Order(StringComparer.Ordinal))
        {
            var descriptor = Read(Path.Combine(folder, "descriptor.json"))?["Descriptor"];
            if (descriptor is null || data.Model.Find((string?)descriptor["Schema"]?["Name"] ?? "") is not { } entity) continue;
            var columnNames = descriptor["Columns"]!.AsArray()
                .ToDictionary(c => (string)c!["ColumnUId"]!, c => (string)c!["ColumnName"]!, StringComparer.OrdinalIgnoreCase);

            var rows = Rows(Read(Path.Combine(folder, "data.json")), columnNames);
            var localized = Rows(Read(Path.Combine(folder, "Localization", "data.en-US.json")), columnNames)
                .Where(r => r.ContainsKey("Id")).ToDictionary(r => (string)r["Id"]!, StringComparer.OrdinalIgnoreCase);
            foreach (var row in rows)
            {
                if (row["Id"] is { } id && localized.TryGetValue((string)id!, out var texts))
                    foreach (var (name, value) in texts) row[name] = value?.DeepClone();
                data.Insert(entity, row, CreatioData.SupervisorId);
            }
        }
    }

    /// <summary>
    /// Refuses, as the installer would with a foreign-key failure, a binding whose lookup or Guid value points at a row
    /// neither the package ships (a row of any of its bindings, or one of its schemas) nor every Creatio has
    /// (Definitions/standard-rows.json, each with its source).
    /// </summary>
    public static void EnsureReferencesResolve(string packageFolder)
    {
        var folders = Directory.GetDirectories(Path.Combine(packageFolder, "Data")).Order(StringComparer.Ordinal).ToList();
        var known = new HashSet<string>(StandardRows(), StringComparer.OrdinalIgnoreCase);
        foreach (var schema in Directory.Exists(Path.Combine(packageFolder, "Schemas")) ? Directory.GetDirectories(Path.Combine(packageFolder, "Schemas")) : [])
            if ((string?)Read(Path.Combine(schema, "descriptor.json"))?["Descriptor"]?["UId"] is { } schemaUId) known.Add(schemaUId);
        var cells = new List<(string Binding, string Column, string Value)>();
        foreach (var folder in folders)
        {
            var descriptor = Read(Path.Combine(folder, "descriptor.json"))?["Descriptor"];
            if (descriptor is null) continue;
            var columns = descriptor["Columns"]!.AsArray().ToDictionary(c => (string)c!["ColumnUId"]!, c => ((string)c!["ColumnName"]!, (string)c["DataTypeValueUId"]!), StringComparer.OrdinalIgnoreCase);
            foreach (var row in Read(Path.Combine(folder, "data.json"))?["PackageData"]?.AsArray() ?? [])
                foreach (var cell in row!["Row"]!.AsArray())
                {
                    var (name, type) = columns[(string)cell!["SchemaColumnUId"]!];
                    if (cell["Value"] is not JsonValue value || !value.TryGetValue<string>(out var text) || text == "null") continue;
                    if (name == "Id") known.Add(text);
                    else if (type is LookupType or GuidType) cells.Add((Path.GetFileName(folder), name, text));
                }
        }

        var unresolved = cells.Where(c => !known.Contains(c.Value)).ToList();
        if (unresolved.Count > 0)
            throw new InvalidDataException("The package's data cannot be installed: " + string.Join("; ",
                unresolved.Select(c => $"{c.Binding}.{c.Column} points at {c.Value}, which neither the package nor a standard Creatio has")));
    }

    private static IEnumerable<string> StandardRows()
    {
        using var stream = typeof(CreatioPackageData).Assembly.GetManifestResourceStream(
            typeof(CreatioPackageData).Assembly.GetManifestResourceNames().Single(n => n.EndsWith("standard-rows.json", StringComparison.Ordinal)))!;
        return JsonNode.Parse(stream)!["rows"]!.AsArray().Select(r => (string)r!["id"]!).ToList();
    }

    private static List<JsonObject> Rows(JsonNode? binding, Dictionary<string, string> columnNames) =>
        binding?["PackageData"]?.AsArray().Select(r =>
        {
            var row = new JsonObject();
            foreach (var cell in r!["Row"]!.AsArray())
            {
                var name = columnNames[(string)cell!["SchemaColumnUId"]!];
                var value = cell["Value"];
                // Bindings write an empty lookup or Guid as the string "null".
                row[name] = value is JsonValue v && v.TryGetValue<string>(out var text) && text == "null" ? null : value?.DeepClone();
            }

            return row;
        }).ToList() ?? [];

    private static JsonNode? Read(string path) =>
        File.Exists(path) && new FileInfo(path).Length > 0 ? JsonNode.Parse(File.ReadAllText(path).TrimStart('\uFEFF')) : null;
}
