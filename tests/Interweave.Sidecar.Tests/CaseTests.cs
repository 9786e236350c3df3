using System.Net;
using System.Net.Http.Json;
using Interweave.Sidecar.Api.Contracts;
using Interweave.Sidecar.Flows.Engine;
using Interweave.Sidecar.Storage;
using Interweave.Sidecar.Tests.Infrastructure;

namespace Interweave.Sidecar.Tests;

/// <summary>Support Cases in Creatio follow the error queue, on both stores: one per group of errors, closed with them.</summary>
public abstract class CaseTests(StoreProvider provider, PostgresServer postgres) : SimulatedSystemsTestBase(provider, postgres, intacctRandomSeed: 13)
{
    public sealed class OnSqlite(PostgresServer postgres) : CaseTests(StoreProvider.Sqlite, postgres);

    public sealed class OnPostgres(PostgresServer postgres) : CaseTests(StoreProvider.Postgres, postgres);

    private static readonly Guid OBrien = Guid.Parse("a0000000-0000-4000-8000-000000000001");

    private async Task<SyncError[]> UnlinkedInvoicesAsync(int count)
    {
        for (var i = 0; i < count; i++)
        {
            await IntacctDirect.CreateAsync(Intacct, "CUSTOMER", ("CUSTOMERID", $"C-96{i}"), ("NAME", $"Unlinked {i}"));
            IntacctDirect.Invoice(Intacct, $"C-96{i}", new DateOnly(2026, 11, 2), 10m + i);
        }

        await RunAsync("intacct-invoices");
        return (await AdminClient().GetFromJsonAsync<SyncError[]>("/api/errors", Cancellation))!;
    }

    [Fact]
    public async Task One_case_is_raised_per_group_of_errors_with_its_number_and_it_is_resolved_when_they_are()
    {
        var errors = await UnlinkedInvoicesAsync(2);

        Assert.Equal(2, errors.Length);
        var supportCase = Assert.Single(Creatio.Data.Rows("Case")); // one per record before
        Assert.All(errors, e => Assert.Equal((supportCase["Id"]!.ToString(), (string?)supportCase["Number"]), (e.CaseId, e.CaseNumber)));
        Assert.StartsWith("SR", errors[0].CaseNumber);
        Assert.Contains("2 records of intacct-invoices", (string?)supportCase["Subject"]);
        var one = await AdminClient().GetFromJsonAsync<SyncError>($"/api/errors/{errors[0].Id}", Cancellation);
        Assert.Equal((errors[0].CaseNumber, errors[0].RunId), (one!.CaseNumber, one.RunId));
        // Through Creatio's navigation service, which opens the Case page the site uses (Freedom UI or classic).
        Assert.Equal($"{Creatio.BaseAddress.ToString().TrimEnd('/')}/0/Navigation/Navigation.aspx?schemaName=Case&recordId={supportCase["Id"]}", one.CaseUrl);
        Assert.Equal(HttpStatusCode.NotFound, (await AdminClient().GetAsync("/api/errors/999999", Cancellation)).StatusCode);

        // Both customers are linked, then retried: the group is fixed, and so is its Case (it stayed "New").
        for (var i = 0; i < 2; i++) IntacctDirect.Update(Intacct, "CUSTOMER", ("CUSTOMERID", $"C-96{i}"), ("ACCOUNTID", OBrien.ToString()));
        Assert.Equal(HttpStatusCode.OK, (await AdminClient().PostAsync($"/api/accounts/{OBrien}/sync", null, Cancellation)).StatusCode);
        await AdminClient().PostAsync($"/api/errors/{errors[0].Id}/retry", null, Cancellation);
        Assert.Equal(CaseRaiser.NewStatus, Creatio.Data.Rows("Case")[0]["Status"]); // one of the group is still open
        await AdminClient().PostAsync($"/api/errors/{errors[1].Id}/retry", null, Cancellation);

        Assert.Equal(CaseRaiser.ResolvedStatus, Assert.Single(Creatio.Data.Rows("Case"))["Status"]);
    }

    [Fact]
    public async Task A_dismissed_errors_case_is_closed()
    {
        var error = Assert.Single(await UnlinkedInvoicesAsync(1));

        Assert.Equal(HttpStatusCode.OK, (await AdminClient().PostAsync($"/api/errors/{error.Id}/dismiss", null, Cancellation)).StatusCode);

        Assert.Equal(CaseRaiser.ClosedStatus, Assert.Single(Creatio.Data.Rows("Case"))["Status"]); // it stayed "New"
    }
}
