using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Interweave.Sidecar.Creatio;
using Interweave.Sidecar.Storage;
using Interweave.Sidecar.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Interweave.Sidecar.Tests;

/// <summary>
/// The two sections show what the pulls wrote: each list page's data source (entity, columns, sorting, page size) is
/// read from the package and asked of the Creatio simulator's OData, as the section would ask for it.
/// </summary>
public sealed class SectionListTests(PostgresServer postgres) : SimulatedSystemsTestBase(StoreProvider.Sqlite, postgres, intacctRandomSeed: 11)
{
    private static readonly Guid OBrien = Guid.Parse("a0000000-0000-4000-8000-000000000001");

    [Fact]
    public async Task Both_sections_list_the_pulled_invoices_and_payments_with_every_column_their_page_shows_and_open_each_record()
    {
        await IntacctDirect.CreateAsync(Intacct, "CUSTOMER", ("CUSTOMERID", "C-7001"), ("NAME", "O'Brien & Sons"), ("ACCOUNTID", OBrien.ToString()));
        var invoice = IntacctDirect.Invoice(Intacct, "C-7001", new DateOnly(2026, 11, 4), 75m, reference: "REF-1");
        IntacctDirect.Payment(Intacct, "C-7001", invoice, 25m, new DateOnly(2026, 11, 20), "EFT-1");
        await RunAsync("intacct-customers");
        await RunAsync("intacct-invoices");
        await RunAsync("intacct-payments");

        var creatio = Sidecar.Services.GetRequiredService<CreatioConnectionFactory>().Create(new CreatioConnectionSettings(
            Creatio.BaseAddress.ToString(), CreatioAuthModes.Forms, Creatio.Options.UserName, Creatio.Options.UserPassword, null, null, null));
        var package = PackageUnderTest.Folder;
        foreach (var (page, expected) in new[] { ("UsrIntacctInvoice_ListPage", "75"), ("UsrIntacctPayment_ListPage", "25") })
        {
            var folder = Path.Combine(package, "Schemas", page);
            var pds = CreatioPages.Part(folder, "MODEL_CONFIG_DIFF").AsArray().Single(m => m!["path"]!.AsArray().Count == 0)!["values"]!["dataSources"]!["PDS"]!;
            var entity = (string)pds["config"]!["entitySchemaName"]!;
            var items = CreatioPages.Part(folder, "VIEW_MODEL_CONFIG_DIFF").AsArray()
                .Single(m => m!["path"]!.AsArray().Select(p => (string?)p).SequenceEqual(["attributes", "Items"]))!["values"]!["modelConfig"]!;
            var sort = items["sortingConfig"]!["default"]![0]!;

            // Lookup columns come as their navigation expanded to the display column; the others as themselves.
            var metadata = File.ReadAllText(Path.Combine(package, "Schemas", entity, "metadata.json"));
            var lookups = Regex.Matches(metadata, @"""A2"": ""(\w+)"",[^}]*""S2"": ""b295071f-7ea9-4e62-8d1a-919bf3732ff2""").Select(m => m.Groups[1].Value).ToHashSet();
            var columns = pds["config"]!["attributes"]!.AsObject().Select(a => (string)a.Value!["path"]!).ToList();
            var query = new CreatioQuery(
                Select: ["Id", .. columns.Where(c => !lookups.Contains(c))],
                Expand: [.. columns.Where(lookups.Contains)],
                OrderBy: $"{sort["columnName"]} {sort["direction"]}",
                Top: (int)items["pagingConfig"]!["rowCount"]!);
            var (rows, _) = await creatio.QueryAsync(entity, query, Cancellation);

            var row = Assert.Single(rows);
            Assert.Equal(expected, CreatioValues.Text(row[entity == "UsrIntacctInvoice" ? "UsrTotal" : "UsrAmount"]));
            Assert.Equal(OBrien.ToString(), (string?)row["UsrAccount"]!["Id"]);
            foreach (var column in columns.Where(c => c is not "UsrOpportunity"))
                Assert.True(row[column] is not null, $"{entity}.{column} is empty in the section");

            // Opening the row: the grid hands the row's primaryColumnName item attribute to the open action
            // (crt.UpdateRecordRequest with "recordId": "$Items.PDS_Id" in real list pages), and the section's card page
            // (SysModule.CardSchemaUId for this list page) loads its primary data source by that id.
            var recordId = ItemAttribute(folder, row, PrimaryColumnName(folder));
            Assert.True(Guid.TryParse(recordId, out var id), $"{page}: the row hands {recordId ?? "no id"} to the open action");
            var (card, cardEntity) = CardOf(package, folder);
            Assert.Equal(entity, cardEntity);
            var opened = await creatio.GetAsync(cardEntity, id, ["Id", "UsrNumber"], cancellationToken: Cancellation);
            Assert.True(opened is not null, $"{card} found no {cardEntity} {id}");
            Assert.Equal((string?)row["UsrNumber"], (string?)opened!["UsrNumber"]);
        }
    }

    private static string PrimaryColumnName(string listPage) =>
        (string)CreatioPages.Part(listPage, "VIEW_CONFIG_DIFF").AsArray().Single(v => (string?)v!["name"] == "DataTable")!["values"]!["primaryColumnName"]!;

    /// <summary>
    /// What a row's item attribute holds: the page declares it under attributes.Items.viewModelConfig.attributes with a
    /// modelConfig path into the data source ("PDS.Id"); an undeclared attribute holds nothing.
    /// </summary>
    private static string? ItemAttribute(string listPage, JsonObject row, string attribute)
    {
        var declared = CreatioPages.Part(listPage, "VIEW_MODEL_CONFIG_DIFF").AsArray()
            .Where(m => m!["path"]!.AsArray().Select(p => (string?)p).SequenceEqual(["attributes", "Items", "viewModelConfig", "attributes"]))
            .Select(m => m!["values"]![attribute]).FirstOrDefault(a => a is not null);
        if ((string?)declared?["modelConfig"]?["path"] is not { } path) return null;
        var value = row[path.Split('.', 2)[1]];
        return value is JsonObject lookup ? (string?)lookup["Id"] : value?.ToString();
    }

    /// <summary>The section's card page (the SysModule row whose SectionSchemaUId is the list page) and the entity its primary data source loads.</summary>
    private static (string Page, string Entity) CardOf(string package, string listPage)
    {
        var listUId = (string)JsonNode.Parse(File.ReadAllText(Path.Combine(listPage, "descriptor.json")).TrimStart('\uFEFF'))!["Descriptor"]!["UId"]!;
        foreach (var binding in Directory.GetDirectories(Path.Combine(package, "Data"), "SysModule_*"))
        {
            var columns = JsonNode.Parse(File.ReadAllText(Path.Combine(binding, "descriptor.json")).TrimStart('\uFEFF'))!["Descriptor"]!["Columns"]!.AsArray()
                .ToDictionary(c => (string)c!["ColumnUId"]!, c => (string)c!["ColumnName"]!);
            foreach (var row in JsonNode.Parse(File.ReadAllText(Path.Combine(binding, "data.json")).TrimStart('\uFEFF'))!["PackageData"]!.AsArray())
            {
                var values = row!["Row"]!.AsArray().ToDictionary(c => columns[(string)c!["SchemaColumnUId"]!], c => c!["Value"]?.ToString());
                if (values.GetValueOrDefault("SectionSchemaUId") != listUId) continue;
                var card = Directory.GetDirectories(Path.Combine(package, "Schemas")).Single(f =>
                    (string?)JsonNode.Parse(File.ReadAllText(Path.Combine(f, "descriptor.json")).TrimStart('\uFEFF'))!["Descriptor"]!["UId"] == values["CardSchemaUId"]);
                var model = CreatioPages.Part(card, "MODEL_CONFIG_DIFF").AsArray().Single(m => m!["path"]!.AsArray().Count == 0)!["values"]!;
                var primary = (string)model["primaryDataSourceName"]!;
                return (Path.GetFileName(card), (string)model["dataSources"]![primary]!["config"]!["entitySchemaName"]!);
            }
        }

        throw new InvalidOperationException($"No section names {Path.GetFileName(listPage)} as its list page");
    }
}
