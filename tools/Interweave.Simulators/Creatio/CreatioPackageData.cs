using System.Text.Json.Nodes;

namespace Interweave.Simulators.Creatio;

/// <summary>
/// Installs a package's data bindings (Data/&lt;Binding&gt;/descriptor.json, data.json, Localization/data.en-US.json)
/// the way Creatio does on a first install, for the objects the simulator models. Bindings on objects it does not
/// model (system settings, sections) are left out: they configure Creatio's UI, not the data the sidecar reads.
/// </summary>
internal static class CreatioPackageData
{
    public static void Install(CreatioData data, string packageFolder)
    {
        var bindings = Path.Combine(packageFolder, "Data");
        if (!Directory.Exists(bindings)) return;
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
