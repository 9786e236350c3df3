using System.Text.Json;
using System.Text.Json.Nodes;

namespace Interweave.Simulators.Creatio;

internal enum ColumnKind
{
    Guid,
    Text,
    Integer,
    Decimal,
    Boolean,
    DateTime,
    Date,
    Lookup,
}

/// <summary>A column as OData shows it: a lookup named Account appears as AccountId with navigation Account.</summary>
internal sealed record ColumnDef(string Name, ColumnKind Kind, string? Target = null)
{
    /// <summary>The property name on the wire: AccountId for the lookup Account.</summary>
    public string Property => Kind == ColumnKind.Lookup ? Name + "Id" : Name;
}

internal sealed class EntityDef(string name, string displayColumn)
{
    public string Name { get; } = name;

    public string DisplayColumn { get; set; } = displayColumn;

    public List<ColumnDef> Columns { get; } = [];

    public ColumnDef? ByProperty(string property) => Columns.FirstOrDefault(c => c.Property == property);

    public ColumnDef? Lookup(string navigation) => Columns.FirstOrDefault(c => c.Kind == ColumnKind.Lookup && c.Name == navigation);

    public EntityDef Add(string column, ColumnKind kind, string? target = null)
    {
        Columns.RemoveAll(c => c.Name == column);
        Columns.Add(new ColumnDef(column, kind, target));
        return this;
    }
}

/// <summary>
/// The entity model: Creatio's standard objects an integration touches, with their real column names, plus
/// every column and object the package in creatio-package/ defines, read from its schema files.
/// </summary>
internal sealed class CreatioModel
{
    public static readonly Dictionary<string, string> BaseSchemaUIds = new(StringComparer.OrdinalIgnoreCase)
    {
        ["25d7c1ab-1de0-4501-b402-02e0e5a72d6e"] = "Account",
        ["16be3651-8fe2-4159-8dd0-a803d4683dd3"] = "Contact",
        ["ae46fb87-c02c-4ae8-ad31-a923cdd994cf"] = "Opportunity",
        ["a5657e6b-342d-4104-8ab8-aab37ef29860"] = "OpportunityProductInterest",
        ["4c7a6ead-4eb8-4fc0-863e-98a664569fed"] = "Product",
        ["117d32f9-8275-4534-8411-1c66115ce9cd"] = "Case",
        ["2d36aca6-5b8c-4122-9648-baf3b7f8256d"] = "Currency",
    };

    private const string BaseEntityUId = "1bab9dcf-17d5-49f8-9536-8e0064f1dce0";
    private const string BaseLookupUId = "11ab4bcb-9b23-4b6d-9c86-520fae925d75";

    private static readonly Dictionary<string, ColumnKind> DataValueTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        ["23018567-a13c-4320-8687-fd6f9e3699bd"] = ColumnKind.Guid,
        ["8b3f29bb-ea14-4ce5-a5c5-293a929b6ba2"] = ColumnKind.Text,
        ["325a73b8-0f47-44a0-8412-7606f78003ac"] = ColumnKind.Text,
        ["ddb3a1ee-07e8-4d62-b7a9-d0e618b00fbd"] = ColumnKind.Text,
        ["5ca35f10-a101-4c67-a96a-383da6afacfc"] = ColumnKind.Text,
        ["c0f04627-4620-4bc0-84e5-9419dc8516b1"] = ColumnKind.Text,
        ["3509b9dd-2c90-4540-b82e-8f6ae85d8248"] = ColumnKind.Text,
        ["6b6b74e2-820d-490e-a017-2b73d4ccf2b0"] = ColumnKind.Integer,
        ["5cc8060d-6d10-4773-89fc-8c12d6f659a6"] = ColumnKind.Decimal,
        ["a4aaf398-3531-4a0d-9d75-a587f5b5b59e"] = ColumnKind.Decimal,
        ["969093e2-2b4e-463b-883a-3d3b8c61f0cd"] = ColumnKind.Decimal,
        ["90b65bf8-0ffc-4141-8779-2420877af907"] = ColumnKind.Boolean,
        ["d21e9ef4-c064-4012-b286-fa1a8171da44"] = ColumnKind.DateTime,
        ["603d4960-a1a2-45e9-b232-206a54421b01"] = ColumnKind.Date,
        ["b295071f-7ea9-4e62-8d1a-919bf3732ff2"] = ColumnKind.Lookup,
        ["b039feb0-ee7c-4884-8aa6-d6d45d84316f"] = ColumnKind.Lookup,
    };

    public Dictionary<string, EntityDef> Entities { get; } = new(StringComparer.Ordinal);

    public EntityDef? Find(string name) => Entities.GetValueOrDefault(name);

    public static CreatioModel Standard()
    {
        var model = new CreatioModel();
        EntityDef Entity(string name, string display = "Name")
        {
            var entity = new EntityDef(name, display)
                .Add("Id", ColumnKind.Guid).Add("CreatedOn", ColumnKind.DateTime).Add("CreatedBy", ColumnKind.Lookup, "Contact")
                .Add("ModifiedOn", ColumnKind.DateTime).Add("ModifiedBy", ColumnKind.Lookup, "Contact").Add("ProcessListeners", ColumnKind.Integer);
            model.Entities[name] = entity;
            return entity;
        }

        EntityDef LookupEntity(string name) => Entity(name).Add("Name", ColumnKind.Text).Add("Description", ColumnKind.Text);

        LookupEntity("OpportunityStage").Add("Number", ColumnKind.Integer).Add("End", ColumnKind.Boolean).Add("Successful", ColumnKind.Boolean);
        LookupEntity("CaseStatus").Add("IsFinal", ColumnKind.Boolean).Add("IsResolved", ColumnKind.Boolean);
        LookupEntity("CasePriority").Add("Priority", ColumnKind.Integer);
        LookupEntity("CaseOrigin");
        LookupEntity("CaseCategory");
        LookupEntity("AccountType");
        LookupEntity("Country");
        LookupEntity("City");
        LookupEntity("Unit").Add("ShortName", ColumnKind.Text);
        LookupEntity("OpportunityType");
        Entity("Currency").Add("Name", ColumnKind.Text).Add("Code", ColumnKind.Text).Add("ShortName", ColumnKind.Text).Add("Symbol", ColumnKind.Text)
            .Add("Description", ColumnKind.Text).Add("Division", ColumnKind.Integer);
        Entity("Contact").Add("Name", ColumnKind.Text).Add("Owner", ColumnKind.Lookup, "Contact").Add("Account", ColumnKind.Lookup, "Account")
            .Add("JobTitle", ColumnKind.Text).Add("BirthDate", ColumnKind.Date).Add("Phone", ColumnKind.Text).Add("MobilePhone", ColumnKind.Text)
            .Add("Email", ColumnKind.Text).Add("Address", ColumnKind.Text).Add("City", ColumnKind.Lookup, "City").Add("Zip", ColumnKind.Text)
            .Add("Country", ColumnKind.Lookup, "Country").Add("Surname", ColumnKind.Text).Add("GivenName", ColumnKind.Text)
            .Add("MiddleName", ColumnKind.Text).Add("Confirmed", ColumnKind.Boolean).Add("Notes", ColumnKind.Text);
        Entity("Account").Add("Name", ColumnKind.Text).Add("Code", ColumnKind.Text).Add("Owner", ColumnKind.Lookup, "Contact")
            .Add("Type", ColumnKind.Lookup, "AccountType").Add("PrimaryContact", ColumnKind.Lookup, "Contact").Add("Parent", ColumnKind.Lookup, "Account")
            .Add("Phone", ColumnKind.Text).Add("Web", ColumnKind.Text).Add("Address", ColumnKind.Text).Add("City", ColumnKind.Lookup, "City")
            .Add("Zip", ColumnKind.Text).Add("Country", ColumnKind.Lookup, "Country").Add("Notes", ColumnKind.Text).Add("AlternativeName", ColumnKind.Text);
        Entity("Product").Add("Name", ColumnKind.Text).Add("Code", ColumnKind.Text).Add("Unit", ColumnKind.Lookup, "Unit")
            .Add("Currency", ColumnKind.Lookup, "Currency").Add("Price", ColumnKind.Decimal).Add("URL", ColumnKind.Text).Add("Active", ColumnKind.Boolean)
            .Add("Owner", ColumnKind.Lookup, "Contact").Add("Description", ColumnKind.Text).Add("IsArchive", ColumnKind.Boolean)
            .Add("ShortDescription", ColumnKind.Text).Add("Notes", ColumnKind.Text);
        Entity("Opportunity", "Title").Add("Title", ColumnKind.Text).Add("Type", ColumnKind.Lookup, "OpportunityType")
            .Add("Stage", ColumnKind.Lookup, "OpportunityStage").Add("DueDate", ColumnKind.Date).Add("Owner", ColumnKind.Lookup, "Contact")
            .Add("Account", ColumnKind.Lookup, "Account").Add("Contact", ColumnKind.Lookup, "Contact").Add("Budget", ColumnKind.Decimal)
            .Add("Probability", ColumnKind.Integer).Add("Amount", ColumnKind.Decimal).Add("Description", ColumnKind.Text).Add("IsPrimary", ColumnKind.Boolean)
            .Add("Currency", ColumnKind.Lookup, "Currency");
        Entity("OpportunityProductInterest", "Comment").Add("Opportunity", ColumnKind.Lookup, "Opportunity").Add("Product", ColumnKind.Lookup, "Product")
            .Add("Quantity", ColumnKind.Decimal).Add("Price", ColumnKind.Decimal).Add("Amount", ColumnKind.Decimal).Add("OfferDate", ColumnKind.Date)
            .Add("Comment", ColumnKind.Text).Add("Unit", ColumnKind.Lookup, "Unit").Add("DiscountPercent", ColumnKind.Decimal);
        Entity("Case", "Number").Add("Number", ColumnKind.Text).Add("RegisteredOn", ColumnKind.DateTime).Add("Subject", ColumnKind.Text)
            .Add("Symptoms", ColumnKind.Text).Add("Owner", ColumnKind.Lookup, "Contact").Add("Status", ColumnKind.Lookup, "CaseStatus")
            .Add("Priority", ColumnKind.Lookup, "CasePriority").Add("Origin", ColumnKind.Lookup, "CaseOrigin").Add("Category", ColumnKind.Lookup, "CaseCategory")
            .Add("Account", ColumnKind.Lookup, "Account").Add("Contact", ColumnKind.Lookup, "Contact").Add("Solution", ColumnKind.Text).Add("Notes", ColumnKind.Text);
        return model;
    }

    /// <summary>
    /// Adds what a package's entity schemas define: replacing schemas add columns to the object they extend,
    /// new schemas (parent BaseEntity or BaseLookup) become objects of their own.
    /// </summary>
    public void LoadPackage(string packageFolder)
    {
        var schemas = new List<(string Name, string UId, string ParentUId, bool Extends, List<JsonObject> Columns, string? DisplayUId)>();
        foreach (var folder in Directory.GetDirectories(Path.Combine(packageFolder, "Schemas")).Order(StringComparer.Ordinal))
        {
            var descriptorPath = Path.Combine(folder, "descriptor.json");
            var metadataPath = Path.Combine(folder, "metadata.json");
            if (!File.Exists(descriptorPath) || !File.Exists(metadataPath)) continue;
            var descriptor = JsonNode.Parse(File.ReadAllText(descriptorPath).TrimStart('\uFEFF'))!["Descriptor"]!;
            if ((string?)descriptor["ManagerName"] != "EntitySchemaManager") continue;
            var (columns, display) = ReadDiffColumns(File.ReadAllText(metadataPath).TrimStart('\uFEFF'));
            schemas.Add(((string)descriptor["Name"]!, (string)descriptor["UId"]!, (string?)descriptor["Parent"]?["UId"] ?? BaseEntityUId,
                (bool?)descriptor["ExtendParent"] ?? false, columns, display));
        }

        var names = new Dictionary<string, string>(BaseSchemaUIds, StringComparer.OrdinalIgnoreCase);
        foreach (var schema in schemas.Where(s => !s.Extends)) names[schema.UId] = schema.Name;

        foreach (var schema in schemas)
        {
            EntityDef entity;
            if (schema.Extends)
            {
                entity = Find(schema.Name) ?? throw new InvalidOperationException($"{schema.Name} extends an object the simulator does not model.");
            }
            else
            {
                entity = new EntityDef(schema.Name, "Name")
                    .Add("Id", ColumnKind.Guid).Add("CreatedOn", ColumnKind.DateTime).Add("CreatedBy", ColumnKind.Lookup, "Contact")
                    .Add("ModifiedOn", ColumnKind.DateTime).Add("ModifiedBy", ColumnKind.Lookup, "Contact").Add("ProcessListeners", ColumnKind.Integer);
                if (string.Equals(schema.ParentUId, BaseLookupUId, StringComparison.OrdinalIgnoreCase))
                    entity.Add("Name", ColumnKind.Text).Add("Description", ColumnKind.Text);
                Entities[schema.Name] = entity;
            }

            foreach (var column in schema.Columns)
            {
                var name = (string)column["A2"]!;
                var kind = DataValueTypes.TryGetValue((string?)column["S2"] ?? "", out var k) ? k : ColumnKind.Text;
                string? target = null;
                if (kind == ColumnKind.Lookup)
                    target = names.GetValueOrDefault((string?)column["S4"] ?? "") ?? throw new InvalidOperationException($"{schema.Name}.{name} refers to a schema the simulator does not know ({column["S4"]}).");
                entity.Add(name, kind, target);
                if (schema.DisplayUId is not null && string.Equals((string?)column["UId"], schema.DisplayUId, StringComparison.OrdinalIgnoreCase))
                    entity.DisplayColumn = name;
            }
        }
    }

    /// <summary>Reads the column blocks (+ MetaData.Schema.D2 {…}) and the display column (D4) of a diff-format metadata file.</summary>
    internal static (List<JsonObject> Columns, string? DisplayUId) ReadDiffColumns(string metadata)
    {
        var columns = new List<JsonObject>();
        string? display = null;
        var lines = metadata.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (line.StartsWith("= MetaData.Schema.D4 ", StringComparison.Ordinal))
                display = JsonSerializer.Deserialize<string>(line["= MetaData.Schema.D4 ".Length..]);
            if (!line.StartsWith("+ MetaData.Schema.D2 {", StringComparison.Ordinal)) continue;
            var json = new System.Text.StringBuilder(line["+ MetaData.Schema.D2 ".Length..]);
            var depth = Depth(json.ToString());
            while (depth > 0 && ++i < lines.Length)
            {
                json.Append('\n').Append(lines[i]);
                depth += Depth(lines[i]);
            }

            columns.Add(JsonNode.Parse(json.ToString())!.AsObject());
        }

        return (columns, display);
    }

    private static int Depth(string text) => text.Count(c => c == '{') - text.Count(c => c == '}');

    /// <summary>creatio-package/&lt;Package&gt; found by walking up from the program, so the simulator and the package never drift.</summary>
    public static string? FindPackageFolder()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var packages = Path.Combine(directory.FullName, "creatio-package");
            if (Directory.Exists(packages))
                return Directory.GetDirectories(packages).FirstOrDefault(d => File.Exists(Path.Combine(d, "descriptor.json")));
        }

        return null;
    }
}
