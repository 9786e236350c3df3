using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;
using Interweave.Packer;
using Interweave.Sidecar.Tests.Infrastructure;

namespace Interweave.Sidecar.Tests;

/// <summary>The Creatio package folder and its installable archive.</summary>
public sealed class PackageTests : IDisposable
{
    private static readonly string PackageFolder = PackageUnderTest.Folder;
    private readonly string _work = Directory.CreateTempSubdirectory("interweave-pack-").FullName;

    [Fact]
    public void Pack_then_unpack_gives_back_every_file_byte_for_byte()
    {
        var (gz, zip) = CreatioPackageArchive.Pack(PackageFolder, Path.Combine(_work, "out"));
        CreatioPackageArchive.Unpack(gz, Path.Combine(_work, "unpacked"));

        var original = CreatioPackageArchive.Collect(PackageFolder);
        Assert.Contains(original, e => e.Path == "descriptor.json");
        Assert.Contains(original, e => e.Path == @"Schemas\Account\metadata.json");
        foreach (var entry in original.Where(e => e.Path != "descriptor.json")) // the descriptor is stamped at pack time
            Assert.Equal(entry.Content, File.ReadAllBytes(Path.Combine(_work, "unpacked", entry.Path.Replace('\\', Path.DirectorySeparatorChar))));

        using var archive = ZipFile.OpenRead(zip);
        Assert.Equal(["Interweave.gz"], archive.Entries.Select(e => e.FullName));
    }

    [Fact]
    public void The_gz_is_records_of_utf16_paths_with_backslashes_and_little_endian_lengths()
    {
        var (gz, _) = CreatioPackageArchive.Pack(PackageFolder, Path.Combine(_work, "out"));
        using var raw = new MemoryStream();
        using (var gzip = new GZipStream(File.OpenRead(gz), CompressionMode.Decompress)) gzip.CopyTo(raw);
        var bytes = raw.ToArray();

        // Walk the records by hand, independently of the reader under test.
        var position = 0;
        var paths = new List<string>();
        while (position < bytes.Length)
        {
            var pathLength = BitConverter.ToInt32(bytes, position);
            var path = Encoding.Unicode.GetString(bytes, position + 4, pathLength * 2);
            var length = BitConverter.ToInt32(bytes, position + 4 + pathLength * 2);
            position += 4 + pathLength * 2 + 4 + length;
            paths.Add(path);
        }

        Assert.Equal(bytes.Length, position);
        Assert.Equal("descriptor.json", paths[0]);
        Assert.All(paths, p => Assert.DoesNotContain('/', p));
        Assert.Contains(@"Resources\Account.Entity\resource.en-US.xml", paths);
        Assert.Equal(paths.Skip(1).Order(StringComparer.Ordinal), paths.Skip(1));
    }

    [Fact]
    public void Packing_twice_gives_the_same_bytes()
    {
        var at = new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);
        var first = File.ReadAllBytes(CreatioPackageArchive.Pack(PackageFolder, Path.Combine(_work, "a"), at).Gz);
        var second = File.ReadAllBytes(CreatioPackageArchive.Pack(PackageFolder, Path.Combine(_work, "b"), at).Gz);
        Assert.Equal(first, second);
    }

    [Fact]
    public void Each_pack_stamps_ModifiedOnUtc_and_can_bump_the_version_without_touching_anything_else()
    {
        // Creatio rewrites its package record on an upgrade only when ModifiedOnUtc changes (clio's SetPackageVersionCommandTests).
        var (gz, _) = CreatioPackageArchive.Pack(PackageFolder, Path.Combine(_work, "v"), new DateTimeOffset(2025, 12, 1, 0, 0, 0, TimeSpan.Zero), "1.1.0");
        using var input = File.OpenRead(gz);
        var packed = CreatioPackageArchive.ReadGz(input).Single(e => e.Path == "descriptor.json").Content;
        var source = File.ReadAllBytes(Path.Combine(PackageFolder, "descriptor.json"));
        Assert.True(packed.AsSpan().StartsWith(new byte[] { 0xEF, 0xBB, 0xBF }));
        var text = Encoding.UTF8.GetString(packed);
        Assert.Contains(@"""ModifiedOnUtc"": ""\/Date(1764547200000)\/""", text);
        var descriptor = JsonNode.Parse(text.TrimStart('\uFEFF'))!["Descriptor"]!;
        Assert.Equal("1.1.0", (string?)descriptor["PackageVersion"]);
        Assert.All(descriptor["DependsOn"]!.AsArray(), d => Assert.Equal("7.8.0", (string?)d!["PackageVersion"]));
        var original = JsonNode.Parse(Encoding.UTF8.GetString(source).TrimStart('\uFEFF'))!["Descriptor"]!;
        Assert.Equal(original["DependsOn"]!.ToJsonString(), descriptor["DependsOn"]!.ToJsonString());
        Assert.Throws<ArgumentException>(() => CreatioPackageArchive.Pack(PackageFolder, Path.Combine(_work, "w"), null, "latest"));
    }

    [Fact]
    public void An_archive_entry_cannot_escape_the_output_folder()
    {
        var evil = Path.Combine(_work, "evil.gz");
        using (var stream = File.Create(evil)) CreatioPackageArchive.WriteGz([new PackageEntry(@"..\..\outside.txt", [1, 2, 3])], stream);
        Assert.Throws<InvalidDataException>(() => CreatioPackageArchive.Unpack(evil, Path.Combine(_work, "x")));
    }

    [Fact]
    public void Every_json_file_parses_with_a_bom_and_schema_folders_match_their_names()
    {
        var uids = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        // A binding's filter.json is empty (0 bytes) when it has no filter, as Creatio exports it.
        foreach (var file in Directory.GetFiles(PackageFolder, "*.json", SearchOption.AllDirectories)
                     .Where(f => Path.GetFileName(f) != "metadata.json" && new FileInfo(f).Length > 0))
        {
            var bytes = File.ReadAllBytes(file);
            Assert.True(bytes.AsSpan().StartsWith(new byte[] { 0xEF, 0xBB, 0xBF }), $"{file} lacks the UTF-8 BOM Creatio writes.");
            var json = JsonNode.Parse(Encoding.UTF8.GetString(bytes).TrimStart('\uFEFF'))!;
            if (Path.GetFileName(file) == "descriptor.json" && json["Descriptor"]?["UId"] is { } uid)
            {
                Assert.True(Guid.TryParse((string?)uid, out _), $"{file}: UId is not a GUID.");
                Assert.True(uids.Add((string)uid!), $"{file}: UId {uid} is used twice.");
                if (Path.GetFileName(Path.GetDirectoryName(Path.GetDirectoryName(file))) == "Schemas")
                    Assert.Equal(Path.GetFileName(Path.GetDirectoryName(file)), (string?)json["Descriptor"]!["Name"]);
            }
        }

        Assert.True(uids.Count >= 7);
    }

    /// <summary>Base schemas the package replaces or inherits from, and the package that owns each (Creatio 8.1).</summary>
    private static readonly Dictionary<string, string> OwnerOfBaseSchema = new(StringComparer.OrdinalIgnoreCase)
    {
        ["25d7c1ab-1de0-4501-b402-02e0e5a72d6e"] = "CrtBase",              // Account
        ["4c7a6ead-4eb8-4fc0-863e-98a664569fed"] = "CrtBase",              // Product
        ["ae46fb87-c02c-4ae8-ad31-a923cdd994cf"] = "CrtOpportunity",       // Opportunity
        ["1bab9dcf-17d5-49f8-9536-8e0064f1dce0"] = "CrtBase",              // BaseEntity (reached through CrtBase)
        ["11ab4bcb-9b23-4b6d-9c86-520fae925d75"] = "CrtBase",              // BaseLookup (reached through CrtBase)
        ["d205e43b-228c-4725-aed2-d1c9dbef650e"] = "CrtLeadOppMgmtApp",    // Opportunities_FormPage
        ["22cc919e-9774-4117-b32d-39e829f2f197"] = "CrtCustomer360App",    // Accounts_FormPage
        ["ade76c06-d514-4703-891c-7dd8697c5c40"] = "CrtProductBase",       // Products_FormPage
        ["3b2e117f-8c6b-4ca5-80a2-7ebb497cddf9"] = "CrtUIv2",              // PageWithTabsFreedomTemplate
        ["3f1f3f38-a0a4-4549-b895-249fb08f554a"] = "CrtUIv2",              // ListFreedomTemplate
    };

    [Fact]
    public void Every_parent_schema_belongs_to_a_package_the_descriptor_depends_on()
    {
        var dependsOn = ReadJson("descriptor.json")["Descriptor"]!["DependsOn"]!.AsArray().Select(d => (string)d!["Name"]!).ToHashSet();
        var parents = 0;
        foreach (var schema in Directory.GetDirectories(Path.Combine(PackageFolder, "Schemas")))
        {
            var descriptor = ReadJson(Path.Combine(schema, "descriptor.json"))["Descriptor"]!;
            if (descriptor["Parent"]?["UId"] is not { } parent) continue;
            parents++;
            Assert.True(OwnerOfBaseSchema.TryGetValue((string)parent!, out var owner), $"{descriptor["Name"]}: parent {parent} is not a known base schema.");
            Assert.Contains(owner, dependsOn);
            if ((bool?)descriptor["ExtendParent"] == true)
                Assert.Equal((string?)descriptor["Name"], (string?)descriptor["Parent"]!["Name"]);
        }

        Assert.True(parents >= 13, $"only {parents} schemas with a parent");
        // A product bundle's top package would make the package uninstallable on other bundles.
        Assert.DoesNotContain(dependsOn, d => d.StartsWith("SalesEnterprise", StringComparison.Ordinal) || d == "CrtCore");
    }

    [Fact]
    public void Data_bindings_name_their_folder_and_only_columns_they_declare()
    {
        foreach (var folder in Directory.GetDirectories(Path.Combine(PackageFolder, "Data")))
        {
            var descriptor = ReadJson(Path.Combine(folder, "descriptor.json"))["Descriptor"]!;
            Assert.Equal(Path.GetFileName(folder), (string?)descriptor["Name"]);
            var declared = descriptor["Columns"]!.AsArray().Select(c => (string)c!["ColumnUId"]!).ToHashSet(StringComparer.OrdinalIgnoreCase);
            Assert.Single(descriptor["Columns"]!.AsArray(), c => (bool)c!["IsKey"]!);
            foreach (var file in new[] { "data.json", Path.Combine("Localization", "data.en-US.json") }.Select(f => Path.Combine(folder, f)).Where(File.Exists))
                foreach (var row in ReadJson(file)["PackageData"]!.AsArray())
                    Assert.All(row!["Row"]!.AsArray(), cell => Assert.Contains((string)cell!["SchemaColumnUId"]!, declared));
            Assert.True(File.Exists(Path.Combine(folder, "filter.json")), $"{folder}: filter.json (may be empty) is part of a binding.");
        }
    }

    [Fact]
    public void The_api_key_setting_is_secure_text_and_an_upgrade_never_overwrites_an_admins_values()
    {
        var settings = Path.Combine(PackageFolder, "Data", "Interweave_SysSettings");
        var descriptor = ReadJson(Path.Combine(settings, "descriptor.json"))["Descriptor"]!;
        Assert.Equal("27aeadd6-d508-4572-8061-5b55b667c902", (string?)descriptor["Schema"]!["UId"]);
        Assert.All(descriptor["Columns"]!.AsArray(), c => Assert.False((bool)c!["IsForceUpdate"]!));
        var rows = BindingRows(settings);
        var key = Assert.Single(rows, r => r["Code"] == "UsrInterweaveApiKey");
        Assert.Equal("SecureText", key["ValueTypeName"]);
        Assert.Contains(rows, r => r["Code"] == "UsrInterweaveSidecarUrl");

        var values = ReadJson(Path.Combine(PackageFolder, "Data", "Interweave_SysSettingsValue", "descriptor.json"))["Descriptor"]!;
        Assert.Equal(3, (int)values["InstallType"]!); // only when the binding did not exist before
        var defaults = BindingRows(Path.Combine(PackageFolder, "Data", "Interweave_SysSettingsValue"));
        Assert.DoesNotContain(defaults, r => r["SysSettings"] == key["Id"]); // no default key is shipped

        // The service reads the settings by these codes.
        var service = File.ReadAllText(Path.Combine(PackageFolder, "Schemas", "UsrInterweaveService", "UsrInterweaveService.cs"));
        Assert.Contains("SidecarUrlSetting = \"UsrInterweaveSidecarUrl\"", service);
        Assert.Contains("ApiKeySetting = \"UsrInterweaveApiKey\"", service);
    }

    [Fact]
    public void Both_sections_point_at_the_package_objects_and_pages()
    {
        var schemaUIds = Directory.GetDirectories(Path.Combine(PackageFolder, "Schemas")).ToDictionary(
            d => Path.GetFileName(d)!, d => (string)ReadJson(Path.Combine(d, "descriptor.json"))["Descriptor"]!["UId"]!);
        foreach (var entity in new[] { "UsrIntacctInvoice", "UsrIntacctPayment" })
        {
            var moduleEntity = Assert.Single(BindingRows(Path.Combine(PackageFolder, "Data", "SysModuleEntity_" + entity)));
            Assert.Equal(schemaUIds[entity], moduleEntity["SysEntitySchemaUId"]);
            var module = Assert.Single(BindingRows(Path.Combine(PackageFolder, "Data", "SysModule_" + entity)));
            Assert.Equal(moduleEntity["Id"], module["SysModuleEntity"]);
            Assert.Equal(schemaUIds[entity + "_ListPage"], module["SectionSchemaUId"]);
            Assert.Equal(schemaUIds[entity + "_FormPage"], module["CardSchemaUId"]);

            var inWorkplace = Assert.Single(BindingRows(Path.Combine(PackageFolder, "Data", "SysModuleInWorkplace_Interweave")), r => r["SysModule"] == module["Id"]);
            var workplace = Assert.Single(BindingRows(Path.Combine(PackageFolder, "Data", "SysWorkplace_Intacct")));
            Assert.Equal(workplace["Id"], inWorkplace["SysWorkplace"]); // a workplace the package ships, not "My applications"

            var relatedPage = ReadJson(Path.Combine(PackageFolder, "Schemas", entity + "RelatedPage", "metadata.json"))["MetaData"]!["Schema"]!;
            Assert.Equal(schemaUIds[entity], (string?)relatedPage["AD1"]);
            Assert.Equal(schemaUIds[entity + "_FormPage"], (string?)relatedPage["AD4"]!["Pages"]![0]!["PageSchemaUId"]);
        }
    }

    [Fact]
    public void The_sync_status_values_the_sidecar_writes_are_the_ones_the_package_ships()
    {
        var shipped = BindingRows(Path.Combine(PackageFolder, "Data", "UsrIntacctSyncStatus")).ToDictionary(r => r["Name"]!, r => Guid.Parse(r["Id"]!));
        Assert.Equal(Interweave.Sidecar.Creatio.IntacctSyncStatus.NotSynced, shipped["Not synced"]);
        Assert.Equal(Interweave.Sidecar.Creatio.IntacctSyncStatus.Synced, shipped["Synced"]);
        Assert.Equal(Interweave.Sidecar.Creatio.IntacctSyncStatus.Error, shipped["Error"]);
    }

    [Fact]
    public void The_operation_permissions_the_service_checks_are_shipped_and_granted_on_the_first_install_only()
    {
        // Security review F8. Shaped as Creatio ships its own (8.1.0.6704, shiva01chh/CreatioDemoProject:
        // Packages/CTIBase.gz Data/SysAdminOperation_CanPlayRecordsInCalls and SysAdminOperationGrantee_CanPlayRecordsInCalls).
        var service = File.ReadAllText(Path.Combine(PackageFolder, "Schemas", "UsrInterweaveService", "UsrInterweaveService.cs"));
        var operations = BindingRows(Path.Combine(PackageFolder, "Data", "SysAdminOperation_Interweave"));
        Assert.Equal(["CanSendToIntacct", "CanSyncWithIntacct"], operations.Select(o => o["Code"]).Order(StringComparer.Ordinal));
        Assert.All(operations, o => Assert.Contains($"\"{o["Code"]}\"", service));
        Assert.All(operations, o => Assert.False(string.IsNullOrWhiteSpace(o["Name"])));

        var grants = Path.Combine(PackageFolder, "Data", "SysAdminOperationGrantee_Interweave");
        // 2: first install only, so a grant an admin removed does not come back with an upgrade.
        Assert.Equal(2, (int)ReadJson(Path.Combine(grants, "descriptor.json"))["Descriptor"]!["InstallType"]!);
        Assert.Equal(operations.Select(o => o["Id"]).Order(), BindingRows(grants).Select(g => g["SysAdminOperation"]).Order());
    }

    [Fact]
    public void The_binding_columns_are_read_only_on_the_pages()
    {
        // Security review F1: a Creatio user must not choose which Intacct record a record pairs with.
        foreach (var (page, columns) in new[] { ("Accounts_FormPage", new[] { "UsrIntacctCustomerId", "UsrIntacctVendorId" }), ("Products_FormPage", ["UsrIntacctItemId"]) })
        {
            var text = File.ReadAllText(Path.Combine(PackageFolder, "Schemas", page, page + ".js"));
            foreach (var column in columns)
            {
                var field = text[text.IndexOf($"\"control\": \"$PDS_{column}\"", StringComparison.Ordinal)..];
                Assert.Contains("\"readonly\": true", field[..field.IndexOf('}')]);
            }
        }
    }

    private static JsonNode ReadJson(string path) =>
        JsonNode.Parse(File.ReadAllText(Path.IsPathRooted(path) ? path : Path.Combine(PackageFolder, path)).TrimStart('\uFEFF'))!;

    /// <summary>A binding's rows by column name, localized values merged in.</summary>
    private static List<Dictionary<string, string?>> BindingRows(string folder)
    {
        var names = ReadJson(Path.Combine(folder, "descriptor.json"))["Descriptor"]!["Columns"]!.AsArray()
            .ToDictionary(c => (string)c!["ColumnUId"]!, c => (string)c!["ColumnName"]!);
        List<Dictionary<string, string?>> Read(string file) => ReadJson(file)["PackageData"]!.AsArray()
            .Select(r => r!["Row"]!.AsArray().ToDictionary(c => names[(string)c!["SchemaColumnUId"]!], c => c!["Value"]?.ToString())).ToList();
        var rows = Read(Path.Combine(folder, "data.json"));
        var localization = Path.Combine(folder, "Localization", "data.en-US.json");
        if (File.Exists(localization))
            foreach (var texts in Read(localization))
                foreach (var (name, value) in texts) rows.Single(r => r["Id"] == texts["Id"])[name] = value;
        return rows;
    }

    public void Dispose() => Directory.Delete(_work, recursive: true);
}
