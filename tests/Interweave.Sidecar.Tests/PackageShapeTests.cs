using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Interweave.Sidecar.Tests.Infrastructure;
using Interweave.Simulators.Creatio;

namespace Interweave.Sidecar.Tests;

/// <summary>
/// The package held to the shapes real Creatio exports use. Each rule names where it was seen: S1 is
/// shiva01chh/CreatioDemoProject on GitHub, a Creatio 8.1.0.6704 install with 298 base packages and two made in Creatio's
/// designer; the counts were taken over its files.
/// </summary>
public sealed class PackageShapeTests
{
    private static readonly string Package = PackageUnderTest.Folder;

    private static IEnumerable<string> SchemaFolders => Directory.GetDirectories(Path.Combine(Package, "Schemas")).Order(StringComparer.Ordinal);

    private static JsonNode Json(string path) => JsonNode.Parse(File.ReadAllText(path).TrimStart('\uFEFF'))!;

    private static JsonNode Descriptor(string schemaFolder) => Json(Path.Combine(schemaFolder, "descriptor.json"))["Descriptor"]!;

    private static JsonNode PagePart(string schemaFolder, string part) => CreatioPages.Part(schemaFolder, part);

    [Fact]
    public void B7_equals_ExtendParent_in_every_diff_metadata()
    {
        // S1: in about 2,000 schema files with a B7 line, B7 always equals the descriptor's ExtendParent (e.g. Pkg/GuidedDev/Schemas/Account).
        var checkedFiles = 0;
        foreach (var folder in SchemaFolders)
        {
            var metadata = File.ReadAllText(Path.Combine(folder, "metadata.json")).TrimStart('\uFEFF');
            if (metadata.StartsWith('{')) continue; // full-JSON metadata (addons, source code) carry no B7
            var extends = (bool?)Descriptor(folder)["ExtendParent"] ?? false;
            var b7 = Regex.Match(metadata, @"^\+ MetaData\.Schema\.B7 (true|false)$", RegexOptions.Multiline);
            Assert.True(b7.Success, $"{Path.GetFileName(folder)}: no B7 line");
            Assert.True(b7.Groups[1].Value == (extends ? "true" : "false"), $"{Path.GetFileName(folder)}: B7 {b7.Groups[1].Value} but ExtendParent {extends}");
            if (extends) Assert.DoesNotMatch(@"(?m)^= MetaData\.Schema\.A2 ", metadata); // no real replacing schema restates its name
            checkedFiles++;
        }

        Assert.True(checkedFiles >= 12);
    }

    [Fact]
    public void Every_list_page_defines_its_data_source_and_binds_its_items_to_it()
    {
        // S1: all 18 ListFreedomTemplate children and Pkg/UsrRealtyFreedomUI/Schemas/UsrRealtyFreedomUI_ListPage define a
        // crt.EntityDataSource and bind attributes.Items.modelConfig.path to it; the template itself has modelConfig {}.
        var listPages = SchemaFolders.Where(f => (string?)Descriptor(f)["Parent"]?["Name"] == "ListFreedomTemplate").ToList();
        Assert.Equal(2, listPages.Count);
        foreach (var page in listPages)
        {
            var model = PagePart(page, "MODEL_CONFIG_DIFF").AsArray();
            var dataSources = Assert.Single(model, m => (string?)m!["operation"] == "merge" && m!["path"]!.AsArray().Count == 0)!["values"]!["dataSources"]!;
            var pds = dataSources["PDS"]!;
            Assert.Equal("crt.EntityDataSource", (string?)pds["type"]);
            var entity = (string)pds["config"]!["entitySchemaName"]!;
            Assert.True(Directory.Exists(Path.Combine(Package, "Schemas", entity)), $"{entity} is not an entity of the package");

            var viewModel = PagePart(page, "VIEW_MODEL_CONFIG_DIFF").AsArray();
            var items = Assert.Single(viewModel, m => m!["path"]!.AsArray().Select(p => (string?)p).SequenceEqual(["attributes", "Items"]))!;
            Assert.Equal("PDS", (string?)items["values"]!["modelConfig"]!["path"]);
            var bound = viewModel.Single(m => m!["path"]!.AsArray().Count == 4)!["values"]!.AsObject();
            var attributes = pds["config"]!["attributes"]!.AsObject();
            // Id, the primary column, is loaded without being named (S1's realty list page binds PDS_Id to PDS.Id and lists no Id).
            foreach (var (name, binding) in bound.Where(b => (string?)b.Value!["modelConfig"]!["path"] != "PDS.Id"))
                Assert.True(attributes.ContainsKey(((string)binding!["modelConfig"]!["path"]!)["PDS.".Length..]), $"{name} binds a column the data source does not load");

            var table = Assert.Single(PagePart(page, "VIEW_CONFIG_DIFF").AsArray(), v => (string?)v!["name"] == "DataTable")!["values"]!;
            Assert.Equal("PDS_Id", (string?)table["primaryColumnName"]);
        }
    }

    [Fact]
    public void Every_list_page_declares_the_item_attribute_its_grid_names_as_primary_column()
    {
        // S1: 16 of 16 base list pages whose grid says primaryColumnName "PDS_Id" declare that item attribute as
        // {"modelConfig": {"path": "PDS.Id"}} (Pkg/UsrRealtyFreedomUI/Schemas/UsrRealtyFreedomUI_ListPage, Invoices_ListPage in
        // CrtInvoice); the templates do not supply it (BaseGridSectionTemplate's Items has no attributes). Without it a row has
        // no record id, and the row's open action ("recordId": "$Items.PDS_Id" in the real pages) has nothing to open.
        var checkedPages = 0;
        foreach (var page in SchemaFolders.Where(f => File.Exists(Path.Combine(f, Path.GetFileName(f) + ".js"))))
        {
            var name = Path.GetFileName(page);
            foreach (var grid in PagePart(page, "VIEW_CONFIG_DIFF").AsArray().Where(v => v!["values"]?["primaryColumnName"] is not null))
            {
                var primary = (string)grid!["values"]!["primaryColumnName"]!;
                var items = (string?)grid["values"]!["items"] ?? "$Items"; // the template binds DataTable.items to $Items
                var collection = items.TrimStart('$');
                // A list page merges into the template's Items (path attributes/Items/viewModelConfig/attributes); a detail
                // grid declares its collection whole under attributes.
                var declared = PagePart(page, "VIEW_MODEL_CONFIG_DIFF").AsArray()
                    .Select(m => m!["path"]!.AsArray().Select(p => (string?)p).ToList() switch
                    {
                        ["attributes", var c, "viewModelConfig", "attributes"] when c == collection => m!["values"]?[primary],
                        ["attributes"] => m!["values"]?[collection]?["viewModelConfig"]?["attributes"]?[primary],
                        _ => null,
                    })
                    .SingleOrDefault(a => a is not null);
                Assert.True(declared is not null, $"{name}: the grid's primaryColumnName {primary} is not an attribute of {collection}'s items");
                var path = (string?)declared!["modelConfig"]?["path"];
                var source = primary.Split('_', 2)[0];
                Assert.True(path == $"{source}.Id", $"{name}: {primary} reads {path ?? "nothing"}, not the record id {source}.Id");
                checkedPages++;
            }
        }

        Assert.True(checkedPages >= 6, $"only {checkedPages} grids checked"); // two list pages, two detail grids on each of two form pages
    }

    [Fact]
    public void Every_string_a_page_shows_is_localizable_and_every_control_binds_a_declared_attribute()
    {
        // The designer writes a page's own captions as LocalizableStrings in its resource file and as B2 entries in its
        // metadata, and each field's control names an attribute of the view model (S1's Freedom UI pages).
        var pages = SchemaFolders.Where(f => File.Exists(Path.Combine(f, Path.GetFileName(f) + ".js"))).ToList();
        Assert.NotEmpty(pages);
        foreach (var page in pages)
        {
            var name = Path.GetFileName(page);
            var js = File.ReadAllText(Path.Combine(page, name + ".js"));
            var resources = File.ReadAllText(Path.Combine(Package, "Resources", name + ".ClientUnit", "resource.en-US.xml"));
            var metadata = File.ReadAllText(Path.Combine(page, "metadata.json"));
            var strings = Regex.Matches(js, @"\$Resources\.Strings\.(\w+)|#ResourceString\((\w+)\)#").Select(m => m.Groups[1].Success ? m.Groups[1].Value : m.Groups[2].Value)
                .Distinct();
            foreach (var text in strings)
            {
                Assert.True(resources.Contains($"\"LocalizableStrings.{text}.Value\"", StringComparison.Ordinal), $"{name}: {text} has no caption in its resources");
                Assert.True(metadata.Contains($"\"A2\": \"{text}\"", StringComparison.Ordinal), $"{name}: {text} is not declared in its metadata");
            }

            var viewModel = PagePart(page, "VIEW_MODEL_CONFIG_DIFF").ToJsonString();
            foreach (var control in Regex.Matches(js, "\"control\": \"\\$(\\w+)\"").Select(m => m.Groups[1].Value).Distinct())
                Assert.True(viewModel.Contains($"\"{control}\":", StringComparison.Ordinal), $"{name}: the control ${control} binds no attribute of the view model");
        }
    }

    [Fact]
    public void A_form_field_bound_to_a_lookup_column_uses_the_lookup_control()
    {
        // S1: lookups on Freedom UI form pages are crt.ComboBox (5 of 5 on Pkg/UsrRealtyFreedomUI's form page); a crt.Input
        // over a lookup shows the object, not its name.
        var lookups = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entity in new[] { "UsrIntacctInvoice", "UsrIntacctPayment" })
            foreach (Match column in Regex.Matches(File.ReadAllText(Path.Combine(Package, "Schemas", entity, "metadata.json")), @"""A2"": ""(\w+)"",[^}]*""S2"": ""b295071f-7ea9-4e62-8d1a-919bf3732ff2"""))
                lookups.Add($"{entity}.{column.Groups[1].Value}");
        var checkedFields = 0;
        foreach (var entity in new[] { "UsrIntacctInvoice", "UsrIntacctPayment" })
        {
            var page = Path.Combine(Package, "Schemas", entity + "_FormPage");
            foreach (var field in PagePart(page, "VIEW_CONFIG_DIFF").AsArray().Where(v => (string?)v!["values"]?["control"] is ['$', 'P', 'D', 'S', '_', ..]))
            {
                var column = ((string)field!["values"]!["control"]!)["$PDS_".Length..];
                if (!lookups.Contains($"{entity}.{column}")) continue;
                Assert.True((string?)field["values"]!["type"] == "crt.ComboBox", $"{entity}_FormPage: lookup {column} shown by {field["values"]!["type"]}");
                checkedFields++;
            }
        }

        Assert.True(checkedFields >= 4, $"only {checkedFields} lookup fields checked");
    }

    [Fact]
    public void Grid_columns_are_typed_as_their_entity_columns()
    {
        // S1 real grids: Date 8, DateTime 7, Money 6, Decimal 32, text 1 (or the exact text size), lookups 10 with referenceSchemaName.
        var dataValueTypes = new Dictionary<string, int[]>
        {
            ["325a73b8-0f47-44a0-8412-7606f78003ac"] = [1, 27],
            ["ddb3a1ee-07e8-4d62-b7a9-d0e618b00fbd"] = [1, 28],
            ["c0f04627-4620-4bc0-84e5-9419dc8516b1"] = [1, 29],
            ["969093e2-2b4e-463b-883a-3d3b8c61f0cd"] = [6],
            ["5cc8060d-6d10-4773-89fc-8c12d6f659a6"] = [32],
            ["603d4960-a1a2-45e9-b232-206a54421b01"] = [8],
            ["d21e9ef4-c064-4ab3-afb9-e82eb2e6f5d7"] = [7],
            ["b295071f-7ea9-4e62-8d1a-919bf3732ff2"] = [10],
        };
        var schemaNames = SchemaFolders.ToDictionary(f => (string)Descriptor(f)["UId"]!, Path.GetFileName);
        schemaNames["25d7c1ab-1de0-4501-b402-02e0e5a72d6e"] = "Account";
        schemaNames["ae46fb87-c02c-4ae8-ad31-a923cdd994cf"] = "Opportunity";
        schemaNames["2d36aca6-5b8c-4122-9648-baf3b7f8256d"] = "Currency";
        var columns = new Dictionary<(string Entity, string Column), (string Type, string? Reference)>();
        foreach (var entity in new[] { "UsrIntacctInvoice", "UsrIntacctPayment" })
            foreach (Match block in Regex.Matches(File.ReadAllText(Path.Combine(Package, "Schemas", entity, "metadata.json")), @"\+ MetaData\.Schema\.D2 (\{.*?\n\})", RegexOptions.Singleline))
            {
                var column = JsonNode.Parse(block.Groups[1].Value)!;
                columns[(entity, (string)column["A2"]!)] = ((string)column["S2"]!, column["S4"] is { } s4 ? schemaNames[(string)s4!] : null);
            }

        var checkedColumns = 0;
        foreach (var page in SchemaFolders.Where(f => File.Exists(Path.Combine(f, Path.GetFileName(f) + ".js"))))
        {
            // Data sources come as merge [] {dataSources: {...}} (new pages) or merge ["dataSources"] {...} (replacing pages).
            var sources = PagePart(page, "MODEL_CONFIG_DIFF").AsArray()
                .Select(m => m!["path"]!.AsArray().Select(p => (string?)p).ToList() switch
                {
                    [] => m!["values"]?["dataSources"] as JsonObject,
                    ["dataSources"] => m!["values"] as JsonObject,
                    _ => null,
                })
                .SelectMany(o => o ?? [])
                .Where(p => (string?)p.Value?["config"]?["entitySchemaName"] is not null)
                .ToDictionary(p => p.Key, p => (string)p.Value!["config"]!["entitySchemaName"]!);
            foreach (var grid in PagePart(page, "VIEW_CONFIG_DIFF").AsArray().Where(v => v!["values"]?["columns"] is JsonArray))
                foreach (var column in grid!["values"]!["columns"]!.AsArray().OfType<JsonObject>()) // a GridContainer's columns are plain sizes
                {
                    var code = ((string)column!["code"]!).Split('_', 2);
                    if (!sources.TryGetValue(code[0], out var entity) || !columns.TryGetValue((entity, code[1]), out var type)) continue;
                    Assert.Contains((int)column["dataValueType"]!, dataValueTypes[type.Type]);
                    Assert.Equal(type.Reference, (string?)column["referenceSchemaName"]);
                    Assert.Equal(code[1], (string?)column["path"]);
                    checkedColumns++;
                }
        }

        Assert.True(checkedColumns >= 30, $"only {checkedColumns} grid columns checked");
    }

    [Fact]
    public void New_entities_name_their_display_column_with_plus_and_restate_the_column_order()
    {
        // S1: 95 of 95 BaseEntity children write "+ MetaData.Schema.D4"; every file that adds columns has a "~ D2" order line,
        // BaseEntity's six columns first (Pkg/UsrRealtyFreedomUI/Schemas/UsrRealtyFreedomUI/metadata.json).
        string[] baseEntity = ["ae0e45ca-c495-4fe7-a39d-3ab7278e1617", "e80190a5-03b2-4095-90f7-a193a960adee", "ebf6bb93-8aa6-4a01-900d-c6ea67affe21",
            "9928edec-4272-425a-93bb-48743fee4b04", "3015559e-cbc6-406a-88af-07f7930be832", "3fabd836-6a53-4d8d-9069-6df88d9dae1e"];
        foreach (var entity in new[] { "UsrIntacctInvoice", "UsrIntacctPayment" })
        {
            var metadata = File.ReadAllText(Path.Combine(Package, "Schemas", entity, "metadata.json"));
            Assert.Matches(@"(?m)^\+ MetaData\.Schema\.D4 ""[0-9a-f-]{36}""$", metadata);
            var own = Regex.Matches(metadata, @"\+ MetaData\.Schema\.D2 \{\n  ""UId"": ""([0-9a-f-]{36})""").Select(m => m.Groups[1].Value);
            var order = Regex.Match(metadata, @"(?m)^~ MetaData\.Schema\.D2 (\[.*\])$");
            Assert.True(order.Success, $"{entity}: no order line");
            Assert.Equal(baseEntity.Concat(own), JsonNode.Parse(order.Groups[1].Value)!.AsArray().Select(u => (string)u!));
            Assert.DoesNotContain("\"ExtendParent\": false", File.ReadAllText(Path.Combine(Package, "Schemas", entity, "descriptor.json"))); // never seen in S1
        }
    }

    [Fact]
    public void Every_addon_names_its_addon_and_target_in_its_properties()
    {
        // S1: 67 of 67 AddonSchemaManager schemas (e.g. Pkg/UsrRealtyFreedomUI/Schemas/UsrRealtyFreedomUIRelatedPage/properties.json).
        var addons = SchemaFolders.Where(f => (string?)Descriptor(f)["ManagerName"] == "AddonSchemaManager").ToList();
        Assert.Equal(2, addons.Count);
        foreach (var addon in addons)
        {
            var properties = Json(Path.Combine(addon, "properties.json"))["Properties"]!;
            var metadata = Json(Path.Combine(addon, "metadata.json"))["MetaData"]!["Schema"]!;
            Assert.Equal((string?)metadata["AD3"], (string?)properties["AddonName"]);
            Assert.Equal((string?)metadata["AD2"], (string?)properties["TargetSchemaManagerName"]);
            Assert.Equal((string?)metadata["AD1"], (string?)properties["TargetSchemaUId"]);
            Assert.True(File.Exists(Path.Combine(Package, "Resources", Path.GetFileName(addon) + ".Addon", "resource.en-US.xml")));
        }
    }

    [Fact]
    public void Every_referenced_row_is_shipped_or_standard_and_the_sections_reach_every_employee()
    {
        // The Creatio simulator refuses a package as the installer would: a reference to a row nobody ships.
        CreatioPackageData.EnsureReferencesResolve(Package);

        var grants = Directory.GetDirectories(Path.Combine(Package, "Data")).Single(d => Path.GetFileName(d).StartsWith("SysAdminUnitInWorkplace_", StringComparison.Ordinal));
        var text = File.ReadAllText(Path.Combine(grants, "data.json"));
        Assert.Contains("a29a3ba5-4b0d-de11-9a51-005056c00008", text); // All employees: sales and finance users see the sections
    }

    [Fact]
    public void A_binding_pointing_at_an_unshipped_workplace_is_refused()
    {
        var copy = Directory.CreateTempSubdirectory("interweave-package-").FullName;
        try
        {
            foreach (var file in Directory.GetFiles(Package, "*", SearchOption.AllDirectories))
            {
                var target = Path.Combine(copy, Path.GetRelativePath(Package, file));
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Copy(file, target);
            }

            // What the package shipped before: the sections in "My applications", a workplace only App Hub creates.
            Directory.Delete(Path.Combine(copy, "Data", "SysWorkplace_Intacct"), recursive: true);
            var error = Assert.Throws<InvalidDataException>(() => CreatioPackageData.EnsureReferencesResolve(copy));
            Assert.Contains("SysModuleInWorkplace_Interweave.SysWorkplace", error.Message);
        }
        finally
        {
            Directory.Delete(copy, recursive: true);
        }
    }

    [Fact]
    public void Lookup_values_carry_a_display_value_and_dependencies_the_base_version()
    {
        // S1: 8,281 of 8,281 lookup values in base data.json files have a DisplayValue; 844 of 844 DependsOn entries say 7.8.0.
        foreach (var binding in Directory.GetDirectories(Path.Combine(Package, "Data")))
        {
            var lookups = Json(Path.Combine(binding, "descriptor.json"))["Descriptor"]!["Columns"]!.AsArray()
                .Where(c => (string?)c!["DataTypeValueUId"] == "b295071f-7ea9-4e62-8d1a-919bf3732ff2").Select(c => (string)c!["ColumnUId"]!).ToHashSet();
            foreach (var row in Json(Path.Combine(binding, "data.json"))["PackageData"]!.AsArray())
                foreach (var cell in row!["Row"]!.AsArray().Where(c => lookups.Contains((string)c!["SchemaColumnUId"]!)))
                    Assert.True(cell!["DisplayValue"] is not null, $"{Path.GetFileName(binding)}: a lookup value without DisplayValue");
        }

        Assert.All(Json(Path.Combine(Package, "descriptor.json"))["Descriptor"]!["DependsOn"]!.AsArray(), d => Assert.Equal("7.8.0", (string?)d!["PackageVersion"]));
    }

    [Fact]
    public void The_package_descriptor_carries_only_keys_real_packages_carry()
    {
        // S1: 234 base descriptors have no Type key; the rest say "Type": 1 with "ProjectPath": "Files/<Name>.csproj"
        // (an assembly package). No real descriptor has "Type": 0 or an empty ProjectPath.
        var descriptor = Json(Path.Combine(Package, "descriptor.json"))["Descriptor"]!.AsObject();
        if (descriptor["Type"] is { } type)
        {
            Assert.Equal(1, (int)type);
            Assert.Matches(@"^Files/\w+\.csproj$", (string?)descriptor["ProjectPath"]);
        }
        else
        {
            Assert.False(descriptor.ContainsKey("ProjectPath"), "ProjectPath without an assembly package's Type 1");
        }
    }

    [Fact]
    public void Each_file_keeps_one_line_ending_style_and_the_byte_order_marks_Creatio_writes()
    {
        // S1: diff files are all-CRLF (1,389) or all-LF (641), never mixed; JSON descriptors, properties, data and full-JSON
        // metadata and all 4,415 resource XML files start with a BOM; .js files and diff metadata do not.
        foreach (var file in Directory.GetFiles(Package, "*", SearchOption.AllDirectories).Where(f => new FileInfo(f).Length > 0))
        {
            var bytes = File.ReadAllBytes(file);
            var text = Encoding.UTF8.GetString(bytes);
            var crlf = Regex.Count(text, "\r\n");
            var lf = Regex.Count(text, "(?<!\r)\n");
            Assert.True(crlf == 0 || lf == 0, $"{file}: {crlf} CRLF and {lf} LF line ends");

            var bom = bytes.AsSpan().StartsWith(new byte[] { 0xEF, 0xBB, 0xBF });
            var name = Path.GetFileName(file);
            var diffMetadata = name == "metadata.json" && !text.TrimStart('\uFEFF').StartsWith('{');
            if (name.EndsWith(".xml", StringComparison.Ordinal) || (name.EndsWith(".json", StringComparison.Ordinal) && !diffMetadata))
                Assert.True(bom, $"{file} lacks the BOM Creatio writes");
            if (name.EndsWith(".js", StringComparison.Ordinal) || diffMetadata)
                Assert.False(bom, $"{file} has a BOM Creatio does not write");
        }
    }
}
