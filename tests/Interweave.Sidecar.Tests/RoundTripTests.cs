using System.Xml.Linq;
using Interweave.Sidecar.Api.Contracts;
using Interweave.Sidecar.Flows.Engine;
using Interweave.Sidecar.Storage;
using Interweave.Sidecar.Tests.Infrastructure;

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

    /// <summary>Requests each simulator answered (Creatio's sign-ins included) while the work ran.</summary>
    private async Task<(int Intacct, int Creatio, T Result)> CountAsync<T>(Func<Task<T>> work)
    {
        var (intacctBefore, creatioBefore) = (Intacct.RequestsReceived, Creatio.RequestsReceived + Creatio.Logins);
        var result = await work();
        TestContext.Current.TestOutputHelper?.WriteLine($"Intacct requests: {Intacct.RequestsReceived - intacctBefore}; Creatio requests: {Creatio.RequestsReceived + Creatio.Logins - creatioBefore}");
        return (Intacct.RequestsReceived - intacctBefore, Creatio.RequestsReceived + Creatio.Logins - creatioBefore, result);
    }

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

        var (intacct, creatio, run) = await CountAsync(() => RunAsync("intacct-customers"));

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

        var (intacct, creatio, run) = await CountAsync(() => RunAsync("intacct-customers"));

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

        var (intacct, creatio, push) = await CountAsync(() => RunAsync("creatio-accounts"));

        Assert.Equal((RunState.Succeeded, Customers, 0, 0), (push.State, push.ReadCount, push.CreatedCount + push.UpdatedCount, push.FailedCount));
        Assert.Equal(updatesBefore, Intacct.Gateway.FunctionCounts.GetValueOrDefault("update"));
        Assert.True(intacct <= 2, $"{intacct} Intacct requests for {Customers} records");
        Assert.True(creatio <= 3, $"{creatio} Creatio requests");
    }
}
