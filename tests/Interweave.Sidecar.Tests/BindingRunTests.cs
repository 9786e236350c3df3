using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using Interweave.Sidecar.Api.Contracts;
using Interweave.Sidecar.Creatio;
using Interweave.Sidecar.Flows;
using Interweave.Sidecar.Storage;
using Interweave.Sidecar.Tests.Infrastructure;
using Interweave.Simulators.Creatio;

namespace Interweave.Sidecar.Tests;

/// <summary>
/// The binding run end to end over HTTP against both simulators, on both stores: a dry run that reports awkward names
/// as JSON and CSV, commits that link what was accepted both ways, and never create a record or move a link.
/// </summary>
public abstract class BindingRunTests(StoreProvider provider, PostgresServer postgres) : SimulatedSystemsTestBase(provider, postgres, intacctRandomSeed: 31)
{
    public sealed class OnSqlite(PostgresServer postgres) : BindingRunTests(StoreProvider.Sqlite, postgres);

    public sealed class OnPostgres(PostgresServer postgres) : BindingRunTests(StoreProvider.Postgres, postgres);

    private static readonly Guid OBrien = Guid.Parse("a0000000-0000-4000-8000-000000000001");
    private static readonly Guid Muller = Guid.Parse("a0000000-0000-4000-8000-000000000002");
    private static readonly Guid Societe = Guid.Parse("a0000000-0000-4000-8000-000000000003");
    private static readonly Guid Acme = Guid.Parse("a0000000-0000-4000-8000-000000000004");
    private static readonly Guid GlobexCorporation = Guid.Parse("a1000000-0000-4000-8000-000000000001");
    private static readonly Guid GlobexCorp = Guid.Parse("a1000000-0000-4000-8000-000000000002");
    private static readonly Guid Nordic = Guid.Parse("a1000000-0000-4000-8000-000000000003");
    private static readonly Guid StaleLink = Guid.Parse("a1000000-0000-4000-8000-000000000004");
    private static readonly Guid Umbrella = Guid.Parse("a1000000-0000-4000-8000-000000000005");

    private void Account(Guid id, string name, string intacctId = "") =>
        Creatio.Data.Insert(Creatio.Data.Model.Find("Account")!, new JsonObject { ["Id"] = id.ToString(), ["Name"] = name, ["UsrIntacctCustomerId"] = intacctId },
            CreatioData.SupervisorId);

    private void Customer(string id, string name, Guid? accountId = null) =>
        IntacctDirect.Create(Intacct, new XElement("CUSTOMER", new XElement("CUSTOMERID", id), new XElement("NAME", name), new XElement("STATUS", "active"),
            accountId is null ? null : new XElement("ACCOUNTID", accountId.ToString())));

    private string? AccountIdIn(string customerId) =>
        Intacct.Gateway.Company.All("CUSTOMER").Single(c => c.Element("CUSTOMERID")!.Value == customerId).Element("ACCOUNTID")?.Value is { Length: > 0 } id ? id : null;

    private string? CustomerIdOn(Guid account) => Creatio.Data.Find("Account", account)!["UsrIntacctCustomerId"] as string is { Length: > 0 } id ? id : null;

    private void AwkwardNames()
    {
        Account(GlobexCorporation, "Globex Corporation");
        Account(GlobexCorp, "GLOBEX Corp.");
        Account(Nordic, "Nordic  Trading A/S");
        Account(StaleLink, "Stale Link Ltd", intacctId: "C-GONE");
        Account(Umbrella, "Umbrella Health");
        Customer("C-1", "O'BRIEN AND SONS (UK) LTD");
        Customer("C-2", "Muller Maschinenbau");
        Customer("C-3", "Societe Generale d'Electricite S.A.");
        Customer("C-4", "Acme Widgets", accountId: Acme); // linked in Intacct only
        Customer("C-5", "Globex");
        Customer("C-6", "=HYPERLINK(\"http://evil.example\",\"Initech\")");
        Customer("C-7", "Nordic Trading");
    }

    private async Task<BindingReport> DryRunAsync(string kind = "account-customer")
    {
        var response = await AdminClient().PostAsJsonAsync("/api/binding-runs", new { kind }, Cancellation);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync(Cancellation));
        var report = (await response.Content.ReadFromJsonAsync<BindingReport>(Cancellation))!;
        Assert.Equal($"/api/binding-runs/{report.Id}", response.Headers.Location!.ToString());
        return report;
    }

    private async Task<BindingCommitResult> CommitAsync(long id, object? body)
    {
        var response = await AdminClient().PostAsJsonAsync($"/api/binding-runs/{id}/commit", body, Cancellation);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync(Cancellation));
        return (await response.Content.ReadFromJsonAsync<BindingCommitResult>(Cancellation))!;
    }

    [Fact]
    public async Task A_dry_run_reports_matches_ambiguities_leftovers_and_disagreements_and_writes_nothing()
    {
        AwkwardNames();
        var (accounts, customers) = (Creatio.Data.Rows("Account").Count, Intacct.Gateway.Company.All("CUSTOMER").Count);

        var report = await DryRunAsync();

        Assert.Equal(new BindingReportCounts(4, 1, 1, 1, 2, 0), report.Counts);
        Assert.Equal([("C-1", OBrien), ("C-2", Muller), ("C-3", Societe), ("C-7", Nordic)],
            report.Matched.Select(p => (p.IntacctId, Guid.Parse(p.CreatioId))).OrderBy(p => p.IntacctId));
        var globex = Assert.Single(report.Ambiguous);
        Assert.Equal(("globex", 2, "C-5"), (globex.MatchedOn, globex.Creatio.Count, Assert.Single(globex.Intacct).Id));
        Assert.Equal(Umbrella.ToString(), Assert.Single(report.UnmatchedCreatio).Id);
        Assert.Equal("C-6", Assert.Single(report.UnmatchedIntacct).Id);
        Assert.Contains(report.Disagreements, d => d.IntacctId == "C-GONE" && d.Problem.Contains("does not have", StringComparison.Ordinal));
        Assert.Contains(report.Disagreements, d => d.IntacctId == "C-4" && d.CreatioId == Acme.ToString());
        Assert.Equal((accounts, customers), (Creatio.Data.Rows("Account").Count, Intacct.Gateway.Company.All("CUSTOMER").Count));
        Assert.Null(AccountIdIn("C-1"));
        Assert.Null(CustomerIdOn(OBrien));

        var again = await AdminClient().GetFromJsonAsync<BindingReport>($"/api/binding-runs/{report.Id}", Cancellation);
        Assert.Equal(report.Counts, again!.Counts);
        var csv = await AdminClient().GetAsync($"/api/binding-runs/{report.Id}/report.csv", Cancellation);
        Assert.Equal("text/csv", csv.Content.Headers.ContentType!.MediaType);
        var lines = (await csv.Content.ReadAsStringAsync(Cancellation)).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("section,matchedOn,creatioId,creatioName,intacctId,intacctName,problem", lines[0]);
        Assert.Equal(4, lines.Count(l => l.StartsWith("matched,", StringComparison.Ordinal)));
        Assert.Equal(3, lines.Count(l => l.StartsWith("ambiguous,", StringComparison.Ordinal)));
        // A name a spreadsheet would run as a formula arrives as text.
        Assert.Contains(lines, l => l.StartsWith("unmatched-intacct,", StringComparison.Ordinal) && l.Contains(",C-6,\"'=HYPERLINK(", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Commits_link_what_was_accepted_both_ways_until_the_report_is_clean_and_never_create_or_move_a_link()
    {
        AwkwardNames();
        var (accounts, customers) = (Creatio.Data.Rows("Account").Count, Intacct.Gateway.Company.All("CUSTOMER").Count);
        var first = await DryRunAsync();
        IntacctDirect.Update(Intacct, "CUSTOMER", ("CUSTOMERID", "C-2"), ("ACCOUNTID", Societe.ToString())); // someone links C-2 meanwhile

        var committed = await CommitAsync(first.Id, new { reject = new[] { new { creatioId = Nordic.ToString(), intacctId = "C-7" } } });

        Assert.Equal((2, 1, 0), (committed.Linked, committed.Skipped, committed.Failed));
        Assert.Contains("never moved", Assert.Single(committed.Outcomes, o => o.Outcome == "skipped").Reason);
        Assert.Equal((OBrien.ToString(), "C-1"), (AccountIdIn("C-1"), CustomerIdOn(OBrien)));
        Assert.Equal((Societe.ToString(), "C-3"), (AccountIdIn("C-3"), CustomerIdOn(Societe)));
        Assert.Equal(Societe.ToString(), AccountIdIn("C-2")); // left as someone set it
        Assert.Null(CustomerIdOn(Muller));
        Assert.Null(CustomerIdOn(Nordic)); // rejected
        Assert.Equal(IntacctSyncStatus.Synced, Creatio.Data.Find("Account", OBrien)!["UsrIntacctSyncStatus"]);
        var bindings = await AdminClient().GetFromJsonAsync<Binding[]>("/api/bindings?kind=account-customer", Cancellation);
        Assert.Equal(["C-1", "C-3"], bindings!.Select(b => b.IntacctId!).Order());
        Assert.Equal(HttpStatusCode.Conflict, (await AdminClient().PostAsJsonAsync($"/api/binding-runs/{first.Id}/commit", new { }, Cancellation)).StatusCode);

        var second = await DryRunAsync();
        Assert.Equal(("C-7", 1), (Assert.Single(second.Matched).IntacctId, second.Ambiguous.Count));
        Assert.Equal(2, second.Counts.AlreadyLinked);
        var picked = await CommitAsync(second.Id, new
        {
            accept = new[] { new { creatioId = Nordic.ToString(), intacctId = "C-7" }, new { creatioId = GlobexCorporation.ToString(), intacctId = "C-5" } },
        });
        Assert.Equal(2, picked.Linked);
        Assert.Equal((GlobexCorporation.ToString(), "C-5"), (AccountIdIn("C-5"), CustomerIdOn(GlobexCorporation)));

        var clean = await DryRunAsync();
        Assert.Empty(clean.Matched);
        Assert.Empty(clean.Ambiguous);
        Assert.Equal([Muller.ToString(), GlobexCorp.ToString(), Umbrella.ToString()], clean.UnmatchedCreatio.Select(c => c.Id).Order()); // C-2 now names another account
        Assert.Equal((accounts, customers), (Creatio.Data.Rows("Account").Count, Intacct.Gateway.Company.All("CUSTOMER").Count));
    }

    [Fact]
    public async Task Products_pair_with_items_by_name_and_a_pair_the_report_does_not_offer_is_not_written()
    {
        IntacctDirect.Create(Intacct, new XElement("ITEM", new XElement("ITEMID", "STD"), new XElement("NAME", "STANDARD WIDGET"), new XElement("ITEMTYPE", "Non-Inventory (Sales only)")));
        IntacctDirect.Create(Intacct, new XElement("ITEM", new XElement("ITEMID", "SETUP"), new XElement("NAME", "Installation and Setup"), new XElement("ITEMTYPE", "Non-Inventory (Sales only)")));

        var report = await DryRunAsync("product-item");
        var committed = await CommitAsync(report.Id, new
        {
            accept = report.Matched.Select(p => new { p.CreatioId, p.IntacctId })
                .Append(new { CreatioId = "b0000000-0000-4000-8000-000000000002", IntacctId = "STD" }).ToArray(),
        });

        Assert.Equal(2, report.Counts.Matched);
        Assert.Equal((2, 1), (committed.Linked, committed.Skipped));
        Assert.Equal("b0000000-0000-4000-8000-000000000001", Intacct.Gateway.Company.All("ITEM").Single(i => i.Element("ITEMID")!.Value == "STD").Element("PRODUCTID")!.Value);
        Assert.Equal("SETUP", Creatio.Data.Find("Product", Guid.Parse("b0000000-0000-4000-8000-000000000003"))!["UsrIntacctItemId"]);
    }

    [Fact]
    public async Task A_kind_that_cannot_be_bound_by_name_is_refused_and_an_unknown_report_is_404()
    {
        var refused = await AdminClient().PostAsJsonAsync("/api/binding-runs", new { kind = "vendor" }, Cancellation);

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType!.MediaType);
        Assert.Equal(HttpStatusCode.NotFound, (await AdminClient().GetAsync("/api/binding-runs/999", Cancellation)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await AdminClient().PostAsJsonAsync("/api/binding-runs/999/commit", new { }, Cancellation)).StatusCode);
        var creatioKey = await (await AdminClient().PostAsJsonAsync("/api/keys", new { name = "package", role = "creatio" }, Cancellation))
            .Content.ReadFromJsonAsync<Interweave.Sidecar.Api.CreatedApiKey>(Cancellation);
        var asPackage = await Sidecar.CreateClient(creatioKey!.Key).PostAsJsonAsync("/api/binding-runs", new { kind = "account-customer" }, Cancellation);
        Assert.Equal(HttpStatusCode.Forbidden, asPackage.StatusCode);
    }
}
