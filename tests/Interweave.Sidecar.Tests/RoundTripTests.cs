using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using Interweave.Sidecar.Api.Contracts;
using Interweave.Sidecar.Flows.Engine;
using Interweave.Sidecar.Storage;
using Interweave.Sidecar.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Interweave.Sidecar.Tests;

/// <summary>
/// Round trips at the API limit: what a run costs in requests to each system, counted at the simulators, against
/// the targets of issue 15 (a page of records costs a request or two, never one per record).
/// </summary>
public abstract class RoundTripTests(StoreProvider provider, PostgresServer postgres) : SimulatedSystemsTestBase(provider, postgres, intacctRandomSeed: 23)
{
    public sealed class OnSqlite(PostgresServer postgres) : RoundTripTests(StoreProvider.Sqlite, postgres);

    public sealed class OnPostgres(PostgresServer postgres) : RoundTripTests(StoreProvider.Postgres, postgres);

    private const int Customers = 1000;

    private void ThousandUnlinkedCustomers()
    {
        for (var i = 0; i < Customers; i++)
            IntacctDirect.Create(Intacct, new XElement("CUSTOMER", new XElement("CUSTOMERID", $"C-{i:0000}"), new XElement("NAME", $"Customer {i:0000} Ltd"),
                new XElement("STATUS", "active"), new XElement("DISPLAYCONTACT", new XElement("PHONE1", $"+1 555 {i:0000}"))));
    }

    [Fact]
    public async Task The_first_pull_of_a_thousand_unlinked_customers_costs_at_most_30_Intacct_and_40_Creatio_requests()
    {
        ThousandUnlinkedCustomers();

        var (intacct, creatio, run) = await CountRequestsAsync(() => RunAsync("intacct-customers"));

        Assert.Equal((RunState.Succeeded, Customers, Customers, 0), (run.State, run.ReadCount, run.CreatedCount, run.FailedCount));
        Assert.Equal(Customers, Creatio.Data.Rows("Account").Count(a => ((string?)a["UsrIntacctCustomerId"])?.StartsWith("C-", StringComparison.Ordinal) == true));
        Assert.All(Intacct.Gateway.Company.All("CUSTOMER"), c => Assert.True(Guid.TryParse(c.Element("ACCOUNTID")?.Value, out _), c.ToString()));
        Assert.True(intacct <= 30, $"{intacct} Intacct requests");
        Assert.True(creatio <= 40, $"{creatio} Creatio requests");
    }

    [Fact]
    public async Task A_run_where_nothing_changed_costs_at_most_2_Intacct_requests_and_1_Creatio_request()
    {
        ThousandUnlinkedCustomers();
        await RunAsync("intacct-customers");

        var (intacct, creatio, run) = await CountRequestsAsync(() => RunAsync("intacct-customers"));

        // The overlap reads the thousand again (they changed within it); none costs a write or a read of Creatio.
        Assert.Equal((RunState.Succeeded, 0, 0), (run.State, run.CreatedCount + run.UpdatedCount, run.FailedCount));
        Assert.True(intacct <= 2, $"{intacct} Intacct requests");
        Assert.True(creatio <= 1, $"{creatio} Creatio requests");
    }

    [Fact]
    public async Task The_echo_pass_after_a_pull_writes_nothing_and_reads_a_thousand_records_back_from_Intacct_in_one_request()
    {
        ThousandUnlinkedCustomers();
        await RunAsync("intacct-customers");
        var updatesBefore = Intacct.Gateway.FunctionCounts.GetValueOrDefault("update");

        var (intacct, creatio, push) = await CountRequestsAsync(() => RunAsync("creatio-accounts"));

        Assert.Equal((RunState.Succeeded, Customers, 0, 0), (push.State, push.ReadCount, push.CreatedCount + push.UpdatedCount, push.FailedCount));
        Assert.Equal(updatesBefore, Intacct.Gateway.FunctionCounts.GetValueOrDefault("update"));
        Assert.True(intacct <= 2, $"{intacct} Intacct requests for {Customers} records");
        Assert.True(creatio <= 3, $"{creatio} Creatio requests");
    }

    [Fact]
    public async Task A_record_Creatio_refuses_fails_alone_and_its_neighbours_in_the_page_go_through()
    {
        var obrien = Guid.Parse("a0000000-0000-4000-8000-000000000001");
        IntacctDirect.Create(Intacct, new XElement("CUSTOMER", new XElement("CUSTOMERID", "C-1"), new XElement("NAME", "O'Brien & Sons"), new XElement("STATUS", "active"),
            new XElement("ACCOUNTID", obrien.ToString())));
        var first = IntacctDirect.Invoice(Intacct, "C-1", new DateOnly(2026, 11, 2), 100m);
        var orphan = IntacctDirect.Invoice(Intacct, "C-1", new DateOnly(2026, 11, 3), 200m, reference: Guid.NewGuid().ToString()); // an opportunity Creatio does not have
        var third = IntacctDirect.Invoice(Intacct, "C-1", new DateOnly(2026, 11, 4), 300m);

        var run = await RunAsync("intacct-invoices");

        Assert.Equal((RunState.CompletedWithErrors, 3, 2, 1), (run.State, run.ReadCount, run.CreatedCount, run.FailedCount)); // it said "succeeded"
        Assert.Contains("\"state\":\"completedWithErrors\"", await AdminClient().GetStringAsync($"/api/runs/{run.Id}", Cancellation));
        Assert.Equal([first, third], Creatio.Data.Rows("UsrIntacctInvoice").Select(i => (string?)i["UsrIntacctRecordNo"]).Order());
        var error = Assert.Single((await AdminClient().GetFromJsonAsync<SyncError[]>("/api/errors", Cancellation))!);
        Assert.Equal((orphan, "Creatio", obrien.ToString()), (error.RecordKey, error.System, error.AccountId));
        Assert.Contains("foreign key", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task An_update_Intacct_refuses_fails_alone_and_its_neighbours_in_the_request_go_through()
    {
        ThousandUnlinkedCustomers();
        await RunAsync("intacct-customers");
        await RunAsync("creatio-accounts");
        var accounts = Creatio.Data.Rows("Account").Where(a => ((string?)a["UsrIntacctCustomerId"])?.StartsWith("C-000", StringComparison.Ordinal) == true)
            .OrderBy(a => (string?)a["UsrIntacctCustomerId"], StringComparer.Ordinal).Take(3).Select(a => (Guid)a["Id"]!).ToList();
        EditInCreatio("Account", accounts[0], new JsonObject { ["Phone"] = "+1 555 1000" });
        EditInCreatio("Account", accounts[1], new JsonObject { ["Name"] = new string('N', 120) }); // Intacct takes 100 characters
        EditInCreatio("Account", accounts[2], new JsonObject { ["Phone"] = "+1 555 3000" });

        var push = await RunAsync("creatio-accounts");

        Assert.Equal((RunState.CompletedWithErrors, 2, 1), (push.State, push.UpdatedCount, push.FailedCount));
        Assert.Equal(["+1 555 1000", "+1 555 3000"], Intacct.Gateway.Company.All("CUSTOMER")
            .Where(c => c.Element("CUSTOMERID")!.Value is "C-0000" or "C-0002").Select(c => c.Element("DISPLAYCONTACT")!.Element("PHONE1")!.Value).Order());
        Assert.Equal(accounts[1].ToString(), Assert.Single((await AdminClient().GetFromJsonAsync<SyncError[]>("/api/errors", Cancellation))!).RecordKey);
    }

    [Fact]
    public async Task Lost_answers_to_batched_writes_never_duplicate_or_skip_a_record()
    {
        for (var i = 0; i < 300; i++)
            IntacctDirect.Create(Intacct, new XElement("CUSTOMER", new XElement("CUSTOMERID", $"L-{i:000}"), new XElement("NAME", $"Lost {i:000}"), new XElement("STATUS", "active")));
        Sidecar.Services.GetRequiredService<IOptions<FlowOptions>>().Value.PageSize = 25; // twelve pages, twelve requests of write-backs
        Intacct.Options.LostResponseRate = 0.4;

        var run = await RunAsync("intacct-customers");
        Intacct.Options.LostResponseRate = 0;

        Assert.True(Intacct.InjectedFaults > 0, "no answer was lost");
        Assert.Equal((RunState.Succeeded, 300, 0), (run.State, run.CreatedCount, run.FailedCount));
        Assert.Equal(300, Creatio.Data.Rows("Account").Count(a => ((string?)a["UsrIntacctCustomerId"])?.StartsWith("L-", StringComparison.Ordinal) == true));
        var customers = Intacct.Gateway.Company.All("CUSTOMER").Where(c => c.Element("CUSTOMERID")!.Value.StartsWith("L-", StringComparison.Ordinal)).ToList();
        Assert.All(customers, c => Assert.Equal(PullFromIntacct.TargetIdFor("intacct-customers", c.Element("CUSTOMERID")!.Value).ToString(), c.Element("ACCOUNTID")?.Value));
    }
}
