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
}
