using System.Net;
using System.Net.Http.Json;
using System.Xml.Linq;
using Interweave.Sidecar.Api;
using Interweave.Sidecar.Storage;
using Interweave.Sidecar.Tests.Infrastructure;

namespace Interweave.Sidecar.Tests;

/// <summary>
/// The dashboard's figures (GET /api/metrics): every request to each system counted once, against what the
/// simulators received, with latency percentiles and the Intacct month's functions, kept across a restart.
/// </summary>
public abstract class MetricsTests(StoreProvider provider, PostgresServer postgres) : SimulatedSystemsTestBase(provider, postgres, intacctRandomSeed: 71)
{
    public sealed class OnSqlite(PostgresServer postgres) : MetricsTests(StoreProvider.Sqlite, postgres);

    public sealed class OnPostgres(PostgresServer postgres) : MetricsTests(StoreProvider.Postgres, postgres);

    [Fact]
    public async Task Every_request_to_each_system_is_counted_once_with_its_latency_and_kept_across_a_restart()
    {
        for (var i = 0; i < 25; i++)
            IntacctDirect.Create(Intacct, new XElement("CUSTOMER", new XElement("CUSTOMERID", $"M-{i:00}"), new XElement("NAME", $"Metered {i:00}"), new XElement("STATUS", "active")));
        Intacct.Options.LatencyMs = 30;
        await RunAsync("intacct-customers");

        var day = (await AdminClient().GetFromJsonAsync<MetricsView>("/api/metrics", Cancellation))!;

        var intacct = day.Latency.Single(l => l.System == "intacct");
        var creatio = day.Latency.Single(l => l.System == "creatio");
        Assert.Equal(Intacct.RequestsReceived, intacct.Requests); // the connection tests and the run, each request once
        Assert.Equal(Creatio.RequestsReceived + Creatio.Logins, creatio.Requests);
        Assert.True(intacct.Functions >= intacct.Requests);
        Assert.InRange(intacct.P95Ms!.Value, 50, 60_000); // 30 ms of latency lands in the 50 ms bucket or above
        Assert.True(intacct.P50Ms <= intacct.P95Ms);
        Assert.NotNull(creatio.P50Ms);
        Assert.Equal("hour", day.Bucket);
        Assert.Equal(intacct.Requests, day.Calls.Where(c => c.System == "intacct").Sum(c => c.Requests));
        Assert.Equal(intacct.Functions, day.IntacctFunctionsThisMonth);
        Assert.Null(day.IntacctMonthlyBudget);
        Assert.Equal(HttpStatusCode.BadRequest, (await AdminClient().GetAsync("/api/metrics?range=7d", Cancellation)).StatusCode);

        await Sidecar.DisposeAsync(); // the counts are added to the store when the sidecar stops
        await using var restarted = new SidecarFactory(TestStore);
        restarted.Settings["Interweave:Flows:SchedulerEnabled"] = "false";
        restarted.Settings["Interweave:Intacct:MonthlyCallBudget"] = "100000";
        var month = (await restarted.CreateClient(SidecarFactory.AdminKey).GetFromJsonAsync<MetricsView>("/api/metrics?range=30d", Cancellation))!;
        Assert.Equal(("day", intacct.Requests, 100000), (month.Bucket, month.Latency.Single(l => l.System == "intacct").Requests, month.IntacctMonthlyBudget));
    }

    [Fact]
    public void Percentiles_are_read_from_the_latency_buckets()
    {
        var buckets = new int[RemoteCallMeter.BucketBoundsMs.Length];
        buckets[1] = 50; // 25–50 ms
        buckets[3] = 45; // 100–200 ms
        buckets[12] = 5; // 5–10 s

        Assert.Equal(50, RemoteCallMeter.Percentile(buckets, 0.50));
        Assert.Equal(200, RemoteCallMeter.Percentile(buckets, 0.95));
        Assert.Equal(10_000, RemoteCallMeter.Percentile(buckets, 0.99));
        Assert.Null(RemoteCallMeter.Percentile(new int[RemoteCallMeter.BucketBoundsMs.Length], 0.5));
    }

    private static readonly Guid OBrien = Guid.Parse("a0000000-0000-4000-8000-000000000001");
    private static readonly Guid WidgetRollout = Guid.Parse("d0000000-0000-4000-8000-000000000001");

    [Fact]
    public async Task The_business_counts_say_what_was_sent_brought_in_waits_on_an_error_and_is_switched_off()
    {
        Assert.Equal(HttpStatusCode.OK, (await AdminClient().PostAsync($"/api/opportunities/{WidgetRollout}/send-to-intacct", null, Cancellation)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await AdminClient().PostAsync($"/api/opportunities/{WidgetRollout}/send-to-intacct", null, Cancellation)).StatusCode); // sent already: no new document
        Assert.Equal(HttpStatusCode.OK, (await AdminClient().PostAsync($"/api/accounts/{OBrien}/sync", null, Cancellation)).StatusCode);
        var customerId = (string)Creatio.Data.Find("Account", OBrien)!["UsrIntacctCustomerId"]!;
        IntacctDirect.Invoice(Intacct, customerId, new DateOnly(2026, 11, 2), 100m);
        IntacctDirect.Invoice(Intacct, customerId, new DateOnly(2026, 11, 3), 200m);
        await IntacctDirect.CreateAsync(Intacct, "CUSTOMER", ("CUSTOMERID", "C-991"), ("NAME", "Nobody in Creatio"));
        IntacctDirect.Invoice(Intacct, "C-991", new DateOnly(2026, 11, 4), 300m); // its customer is linked to no account: it waits on an error
        await RunAsync("intacct-invoices");
        Assert.Equal(HttpStatusCode.OK, (await AdminClient().PutAsJsonAsync("/api/flows/intacct-adjustments", new { enabled = false }, Cancellation)).StatusCode);

        var business = (await AdminClient().GetFromJsonAsync<MetricsView>("/api/metrics?range=24h", Cancellation))!.Business;

        Assert.Equal(1, business.DocumentsSent);
        var invoices = business.Flows.Single(f => f.FlowId == "intacct-invoices");
        Assert.Equal((1, 2, 0, 1, 0, 1, 0), (invoices.Runs, invoices.Created, invoices.Updated, invoices.Failed, invoices.RunsFailed, invoices.RunsCompletedWithErrors, invoices.RunsRunning));
        Assert.Equal("Intacct invoices to Creatio", invoices.Name);
        Assert.Equal((0, 0), business.Flows.Single(f => f.FlowId == "intacct-payments") is var p ? (p.Runs, p.Created) : default); // every flow is listed, zeros when it did not run
        Assert.Equal(1, business.RecordsWaitingOnError);
        Assert.Equal(0, business.StoppedRuns);
        Assert.Equal(1, business.FlowsOff);
        Assert.False(business.Flows.Single(f => f.FlowId == "intacct-adjustments").Enabled);
        var month = (await AdminClient().GetFromJsonAsync<MetricsView>("/api/metrics?range=30d", Cancellation))!.Business;
        Assert.Equal(1, month.DocumentsSent);
    }
}
