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
    public async Task Both_sections_list_the_pulled_invoices_and_payments_with_every_column_their_page_shows()
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
        }
    }
}
