using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using Interweave.Sidecar.Api.Contracts;
using Interweave.Sidecar.Flows;
using Interweave.Sidecar.Storage;
using Interweave.Sidecar.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Interweave.Sidecar.Tests;

/// <summary>
/// The bulk history load over HTTP against both simulators, on both stores: the period, the dependency order,
/// progress, pause, resume and cancel, and a kill -9 halfway through with the sidecar as a real process.
/// </summary>
public abstract class BulkLoadTests(StoreProvider provider, PostgresServer postgres) : SimulatedSystemsTestBase(provider, postgres, intacctRandomSeed: 41)
{
    public sealed class OnSqlite(PostgresServer postgres) : BulkLoadTests(StoreProvider.Sqlite, postgres);

    public sealed class OnPostgres(PostgresServer postgres) : BulkLoadTests(StoreProvider.Postgres, postgres);

    private static readonly DateOnly PeriodStart = new(2025, 1, 1);

    /// <summary>Customers with their Creatio Id in ACCOUNTID, invoices in and before the period, and payments of some of them.</summary>
    private (List<string> InPeriod, List<string> Before, List<string> Payments) History(int customers, int invoicesEach) => History(customers, invoicesEach, new List<string>());

    /// <summary>As above, with a credit memo every fifth invoice (in <paramref name="creditMemos"/> when in the period).</summary>
    private (List<string> InPeriod, List<string> Before, List<string> Payments) History(int customers, int invoicesEach, List<string> creditMemos)
    {
        var (inPeriod, before, payments) = (new List<string>(), new List<string>(), new List<string>());
        for (var c = 0; c < customers; c++)
        {
            var customerId = $"H-{c:000}";
            IntacctDirect.Create(Intacct, new XElement("CUSTOMER", new XElement("CUSTOMERID", customerId), new XElement("NAME", $"History {c:000}"), new XElement("STATUS", "active")));
            for (var i = 0; i < invoicesEach; i++)
            {
                var old = i % 3 == 0;
                var date = old ? new DateOnly(2023, 6, 1 + (i % 28)) : new DateOnly(2025, 1 + (i % 12), 1 + (c % 28));
                var invoice = IntacctDirect.Invoice(Intacct, customerId, date, 100m + i);
                (old ? before : inPeriod).Add(invoice);
                if (!old && i % 4 == 1) payments.Add(IntacctDirect.Payment(Intacct, customerId, invoice, 50m, date.AddDays(3), $"PAY-{c}-{i}"));
                if (i % 5 == 4)
                {
                    var memo = IntacctDirect.Adjustment(Intacct, customerId, date.AddDays(1), -(10m + i));
                    if (!old) creditMemos.Add(memo);
                }
            }
        }

        return (inPeriod, before, payments);
    }

    private async Task<BulkLoadProgress> StartAsync(HttpClient client, object? period = null)
    {
        var response = await client.PostAsJsonAsync("/api/bulk-loads", period ?? new { from = PeriodStart }, Cancellation);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync(Cancellation));
        return (await response.Content.ReadFromJsonAsync<BulkLoadProgress>(Cancellation))!;
    }

    private static Task<BulkLoadProgress> UntilAsync(HttpClient client, long id, Func<BulkLoadProgress, bool> condition, string what) =>
        Eventually.UntilAsync(async () => (await client.GetFromJsonAsync<BulkLoadProgress>($"/api/bulk-loads/{id}", Cancellation))!, condition, TimeSpan.FromSeconds(90),
            what, Cancellation);

    private List<string> LoadedInvoices(string documentType = "Invoice") =>
        Creatio.Data.Rows("UsrIntacctInvoice").Where(r => (string?)r["UsrDocumentType"] == documentType).Select(r => (string)r["UsrIntacctRecordNo"]!).ToList();

    [Fact]
    public async Task A_load_brings_the_customers_then_the_invoices_and_payments_of_its_period_and_leaves_the_watermarks()
    {
        var creditMemos = new List<string>();
        var (inPeriod, before, payments) = History(customers: 4, invoicesEach: 10, creditMemos);

        var started = await StartAsync(AdminClient());
        var done = await UntilAsync(AdminClient(), started.Id, p => p.State != BulkLoadState.Running, "the end of the load");

        Assert.Equal(["intacct-customers", "intacct-items", "intacct-invoices", "intacct-adjustments", "intacct-payments"], started.Steps);
        Assert.NotEmpty(creditMemos);
        Assert.Equal(4 + inPeriod.Count + creditMemos.Count + payments.Count, started.Total);
        Assert.Equal((BulkLoadState.Succeeded, started.Total, 0, (string?)null), (done.State, done.Done, done.Failed, done.CurrentStep));
        Assert.Equal(inPeriod.Order(), LoadedInvoices("Invoice").Order());
        Assert.Equal(creditMemos.Order(), LoadedInvoices("Credit memo").Order()); // the period's credit memos, none from before it
        Assert.DoesNotContain(before, LoadedInvoices("Invoice").Contains);
        Assert.Equal(payments.Count, Creatio.Data.Rows("UsrIntacctPayment").Count);
        Assert.True(done.RecordsPerSecond > 0);
        var flows = await AdminClient().GetFromJsonAsync<Api.Contracts.FlowView[]>("/api/flows", Cancellation);
        Assert.All(flows!.Where(f => f.Id.StartsWith("intacct-", StringComparison.Ordinal)), f => Assert.Null(f.Watermark));
    }

    [Fact]
    public async Task A_load_pauses_resumes_and_cancels_and_only_one_runs_at_a_time()
    {
        History(customers: 10, invoicesEach: 30);
        Sidecar.Services.GetRequiredService<IOptions<Flows.Engine.FlowOptions>>().Value.PageSize = 10;
        Creatio.Options.LatencyMs = 15;

        var started = await StartAsync(AdminClient());
        await UntilAsync(AdminClient(), started.Id, p => p.CurrentStep == "intacct-invoices" && p.Done > 20, "invoices under way");
        Assert.Equal(HttpStatusCode.Conflict, (await AdminClient().PostAsJsonAsync("/api/bulk-loads", new { }, Cancellation)).StatusCode);
        var paused = (await (await AdminClient().PostAsync($"/api/bulk-loads/{started.Id}/pause", null, Cancellation)).Content.ReadFromJsonAsync<BulkLoadProgress>(Cancellation))!;
        Assert.Equal(BulkLoadState.Paused, paused.State);
        var writtenWhilePaused = Creatio.Data.Rows("UsrIntacctInvoice").Count;
        await Task.Delay(300, Cancellation); // nothing moves while paused
        Assert.Equal(writtenWhilePaused, Creatio.Data.Rows("UsrIntacctInvoice").Count);
        Assert.Equal(HttpStatusCode.Conflict, (await AdminClient().PostAsync($"/api/bulk-loads/{started.Id}/pause", null, Cancellation)).StatusCode);
        // The pause stopped the step's run: it shows as interrupted, not among the failures an admin is alerted to.
        var stoppedRun = (await Eventually.UntilAsync(() => AdminClient().GetFromJsonAsync<FlowRun[]>("/api/runs?flowId=intacct-invoices", Cancellation),
            runs => runs![0].State != Flows.Engine.RunState.Running, TimeSpan.FromSeconds(10), "the end of the paused step's run", Cancellation))![0];
        Assert.Equal((Flows.Engine.RunState.Interrupted, "bulk-load"), (stoppedRun.State, stoppedRun.Trigger));
        Assert.StartsWith("Stopped before its end", stoppedRun.Error);

        Creatio.Options.LatencyMs = 0;
        Assert.Equal(HttpStatusCode.OK, (await AdminClient().PostAsync($"/api/bulk-loads/{started.Id}/resume", null, Cancellation)).StatusCode);
        var finished = await UntilAsync(AdminClient(), started.Id, p => p.State != BulkLoadState.Running, "the end of the resumed load");
        Assert.Equal(BulkLoadState.Succeeded, finished.State);
        var rows = Creatio.Data.Rows("UsrIntacctInvoice");
        Assert.Equal(rows.Count, rows.Select(r => ((string?)r["UsrDocumentType"], (string?)r["UsrIntacctRecordNo"])).Distinct().Count());

        var second = await StartAsync(AdminClient(), new { from = new DateOnly(2020, 1, 1) });
        var cancelled = (await (await AdminClient().PostAsync($"/api/bulk-loads/{second.Id}/cancel", null, Cancellation)).Content.ReadFromJsonAsync<BulkLoadProgress>(Cancellation))!;
        Assert.Equal(BulkLoadState.Cancelled, cancelled.State);
        Assert.NotNull(cancelled.FinishedAt);
        Assert.Equal(HttpStatusCode.Conflict, (await AdminClient().PostAsync($"/api/bulk-loads/{second.Id}/resume", null, Cancellation)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await AdminClient().GetAsync("/api/bulk-loads/999", Cancellation)).StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity,
            (await AdminClient().PostAsJsonAsync("/api/bulk-loads", new { from = new DateOnly(2026, 1, 2), to = new DateOnly(2026, 1, 1) }, Cancellation)).StatusCode);
    }

    [Theory]
    [InlineData("0001-01-01", null, "1900-01-01")]
    [InlineData("1899-12-31", "2020-01-01", "1900-01-01")]
    [InlineData(null, "9999-12-31", "future")]
    [InlineData("+400", null, "future")]
    public async Task A_period_Intacct_cannot_hold_or_in_the_future_does_not_start(string? from, string? to, string named)
    {
        static string? Day(string? value) => value is ['+', ..] ? DateOnly.FromDateTime(DateTime.UtcNow).AddDays(int.Parse(value[1..], CultureInfo.InvariantCulture)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : value;
        var body = new JsonObject();
        if (Day(from) is { } f) body["from"] = f;
        if (Day(to) is { } t) body["to"] = t;

        var response = await AdminClient().PostAsJsonAsync("/api/bulk-loads", body, Cancellation);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains(named, (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync(Cancellation))!["detail"], StringComparison.Ordinal);
        Assert.Equal("[]", await AdminClient().GetStringAsync("/api/bulk-loads", Cancellation)); // nothing started
    }

    [Fact]
    public async Task A_load_whose_records_failed_completes_with_errors_and_one_that_wrote_nothing_fails()
    {
        IntacctDirect.Create(Intacct, new XElement("CUSTOMER", new XElement("CUSTOMERID", "H-001"), new XElement("NAME", "History 001"), new XElement("STATUS", "active")));
        IntacctDirect.Invoice(Intacct, "H-001", new DateOnly(2025, 3, 1), 100m);
        var orphan = IntacctDirect.Invoice(Intacct, "H-001", new DateOnly(2025, 3, 2), 200m, reference: Guid.NewGuid().ToString()); // an opportunity Creatio does not have

        var first = await UntilEndedAsync(AdminClient(), (await StartAsync(AdminClient())).Id);

        // The customer and one invoice were written, the other invoice failed: it said "succeeded" with 1 failed.
        Assert.Equal(("completedWithErrors", 3, 1, 2), ((string?)first["state"], (int)first["done"]!, (int)first["failed"]!, (int)first["written"]!));
        Assert.NotNull(first["finishedAt"]);
        Assert.Contains(orphan, (await AdminClient().GetFromJsonAsync<SyncError[]>("/api/errors", Cancellation))!.Select(e => e.RecordKey));

        // Again over the same period: the customer and the good invoice are already there, the orphan fails again.
        var second = await UntilEndedAsync(AdminClient(), (await StartAsync(AdminClient())).Id);

        Assert.Equal(("failed", 3, 1, 0), ((string?)second["state"], (int)second["done"]!, (int)second["failed"]!, (int)second["written"]!));
        Assert.Contains("Nothing was written", (string?)second["error"]);
        var listed = (await AdminClient().GetFromJsonAsync<JsonArray>("/api/bulk-loads", Cancellation))!;
        Assert.Equal(["failed", "completedWithErrors"], listed.Select(l => (string?)l!["state"]));
    }

    private static Task<JsonObject> UntilEndedAsync(HttpClient client, long id) =>
        Eventually.UntilAsync(async () => (await client.GetFromJsonAsync<JsonObject>($"/api/bulk-loads/{id}", Cancellation))!,
            p => (string?)p["state"] is not ("running" or "paused"), TimeSpan.FromSeconds(90), "the end of the load", Cancellation);

    [Fact]
    public async Task A_load_killed_halfway_resumes_when_the_sidecar_starts_again_with_no_duplicates_and_no_gaps()
    {
        var (inPeriod, _, payments) = History(customers: 20, invoicesEach: 30);
        Creatio.Options.LatencyMs = 10;
        var environment = SidecarProcessEnvironment(pageSize: 10);
        var workingDirectory = Directory.CreateTempSubdirectory("interweave-bulk-").FullName;

        long loadId;
        int doneAtKill;
        await using (var first = SidecarProcess.Start(workingDirectory, environment, "--urls", "http://127.0.0.1:0"))
        {
            using var client = AdminClientFor(await first.WaitUntilListeningAsync(TimeSpan.FromSeconds(60)));
            loadId = (await StartAsync(client)).Id;
            doneAtKill = (await UntilAsync(client, loadId, p => p.CurrentStep == "intacct-invoices" && p.Done > 100, "invoices under way")).Done;
        } // kill -9: the process dies mid-step, with the load still "running" in the store

        Assert.InRange(LoadedInvoices().Count, 1, inPeriod.Count - 1);
        Creatio.Options.LatencyMs = 0;
        await using var second = SidecarProcess.Start(workingDirectory, environment, "--urls", "http://127.0.0.1:0");
        using var again = AdminClientFor(await second.WaitUntilListeningAsync(TimeSpan.FromSeconds(60)));
        var finished = await UntilAsync(again, loadId, p => p.State != BulkLoadState.Running, "the end of the resumed load");

        Assert.Equal(BulkLoadState.Succeeded, finished.State);
        Assert.True(finished.Done >= doneAtKill);
        Assert.Equal(inPeriod.Order(), LoadedInvoices().Order()); // each invoice once: no duplicate, no gap
        Assert.Equal(payments.Order(), Creatio.Data.Rows("UsrIntacctPayment").Select(r => (string)r["UsrIntacctRecordNo"]!).Order());
        Assert.Equal(20, Creatio.Data.Rows("Account").Count(a => ((string?)a["UsrIntacctCustomerId"])?.StartsWith("H-", StringComparison.Ordinal) == true));
    }
}
