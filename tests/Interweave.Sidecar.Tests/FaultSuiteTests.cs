using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using Interweave.Sidecar.Api.Contracts;
using Interweave.Sidecar.Flows.Engine;
using Interweave.Sidecar.Storage;
using Interweave.Sidecar.Tests.Infrastructure;
using Interweave.Simulators.Creatio;

namespace Interweave.Sidecar.Tests;

/// <summary>
/// The standing fault suite (issue 16, point 2), with the sidecar as a real process on each store: a two-way sync
/// and a stream of sends under transient faults and lost responses, a sync killed with kill -9 again and again, and
/// a run with concurrent sends in a storm of 429s.
/// Each part asserts no duplicate and no loss. The short variant runs in CI; the full one is
/// <c>INTERWEAVE_FAULT_SUITE=full dotnet test --project tests/Interweave.Sidecar.Tests -- --filter-class "*FaultSuiteTests*"</c>.
/// Figures go to the test output and, by hand, to docs/reliability.md.
/// </summary>
public abstract class FaultSuiteTests(StoreProvider provider, PostgresServer postgres) : SimulatedSystemsTestBase(provider, postgres, intacctRandomSeed: 53)
{
    public sealed class OnSqlite(PostgresServer postgres) : FaultSuiteTests(StoreProvider.Sqlite, postgres);

    public sealed class OnPostgres(PostgresServer postgres) : FaultSuiteTests(StoreProvider.Postgres, postgres);

    private static readonly bool Full = System.Environment.GetEnvironmentVariable("INTERWEAVE_FAULT_SUITE") == "full";
    private static readonly int SyncRecords = Full ? 5000 : 300;
    private static readonly int Sends = Full ? 500 : 20;
    private static readonly int Kills = Full ? 20 : 3;

    private readonly string _workingDirectory = Directory.CreateTempSubdirectory("interweave-faults-").FullName;

    /// <summary>Runs a flow until a run succeeds, as a schedule would; answers the runs it took.</summary>
    private static async Task<int> RunUntilSucceededAsync(HttpClient client, string flowId)
    {
        for (var runs = 1; runs <= 50; runs++)
        {
            var started = await client.PostAsync($"/api/flows/{flowId}/runs", null, Cancellation);
            if (started.StatusCode != HttpStatusCode.Accepted) continue;
            var location = started.Headers.Location!.ToString();
            var run = (await Eventually.UntilAsync(() => client.GetFromJsonAsync<FlowRun>(location, Cancellation), r => r!.State != RunState.Running,
                TimeSpan.FromMinutes(10), $"the end of {location}", Cancellation))!;
            if (run.State == RunState.Succeeded) return runs;
        }

        throw new InvalidOperationException($"{flowId} did not succeed in 50 runs.");
    }

    private void Customers(string prefix, int count)
    {
        for (var i = 0; i < count; i++)
            IntacctDirect.Create(Intacct, new XElement("CUSTOMER", new XElement("CUSTOMERID", $"{prefix}{i:00000}"), new XElement("NAME", $"Fault {prefix}{i:00000}"),
                new XElement("STATUS", "active")));
    }

    private void AssertEachCustomerOnceInCreatio(string prefix, int count)
    {
        var accounts = Creatio.Data.Rows("Account").Where(a => ((string?)a["UsrIntacctCustomerId"])?.StartsWith(prefix, StringComparison.Ordinal) == true).ToList();
        Assert.Equal(count, accounts.Count); // no gap, no duplicate
        Assert.Equal(count, accounts.Select(a => (string)a["UsrIntacctCustomerId"]!).Distinct().Count());
        Assert.All(Intacct.Gateway.Company.All("CUSTOMER").Where(c => c.Element("CUSTOMERID")!.Value.StartsWith(prefix, StringComparison.Ordinal)),
            c => Assert.Equal(PullFromIntacct.TargetIdFor("intacct-customers", c.Element("CUSTOMERID")!.Value).ToString(), c.Element("ACCOUNTID")?.Value));
    }

    [Fact]
    public async Task Under_ten_percent_faults_and_two_percent_lost_answers_syncs_and_sends_end_with_no_duplicate_and_no_loss()
    {
        Customers("F", SyncRecords);
        var accountEntity = Creatio.Data.Model.Find("Account")!;
        var opportunities = new List<Guid>();
        lock (Creatio.Data.Lock)
            for (var i = 0; i < Sends; i++)
            {
                var account = Guid.NewGuid();
                var opportunity = Guid.NewGuid();
                Creatio.Data.Insert(accountEntity, new JsonObject { ["Id"] = account.ToString(), ["Name"] = $"Send account {i}" }, CreatioData.SupervisorId);
                Creatio.Data.Insert(Creatio.Data.Model.Find("Opportunity")!, new JsonObject { ["Id"] = opportunity.ToString(), ["Title"] = $"Send {i}", ["AccountId"] = account.ToString() },
                    CreatioData.SupervisorId);
                Creatio.Data.Insert(Creatio.Data.Model.Find("OpportunityProductInterest")!, new JsonObject
                {
                    ["OpportunityId"] = opportunity.ToString(),
                    ["ProductId"] = $"b0000000-0000-4000-8000-00000000000{1 + (i % 3)}",
                    ["Quantity"] = 2,
                    ["Price"] = 10,
                }, CreatioData.SupervisorId);
                opportunities.Add(opportunity);
            }

        await using var sidecar = SidecarProcess.Start(_workingDirectory, SidecarProcessEnvironment(pageSize: 10), "--urls", "http://127.0.0.1:0"); // small pages: more requests to fail
        using var client = AdminClientFor(await sidecar.WaitUntilListeningAsync(TimeSpan.FromSeconds(60)));
        (Intacct.Options.FaultRate, Intacct.Options.LostResponseRate, Intacct.Options.FaultTimeoutMs, Creatio.Options.FaultRate) = (0.10, 0.02, 10, 0.10);
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var pullRuns = await RunUntilSucceededAsync(client, "intacct-customers");
        var pushRuns = await RunUntilSucceededAsync(client, "creatio-accounts");
        var clicks = 0;
        foreach (var opportunity in opportunities)
        {
            // A user clicks again while the answer is not a success (a 502 or a 409 says to).
            for (var attempt = 1; attempt <= 20; attempt++)
            {
                clicks++;
                var answer = await client.PostAsync($"/api/opportunities/{opportunity}/send-to-intacct", null, Cancellation);
                if (answer.StatusCode == HttpStatusCode.OK) break;
                Assert.True(answer.StatusCode is HttpStatusCode.BadGateway or HttpStatusCode.Conflict or HttpStatusCode.Accepted,
                    $"send {opportunity}: {(int)answer.StatusCode} {await answer.Content.ReadAsStringAsync(Cancellation)}");
            }
        }

        (Intacct.Options.FaultRate, Intacct.Options.LostResponseRate, Creatio.Options.FaultRate) = (0, 0, 0);
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"{Provider}: {SyncRecords} records pulled in {pullRuns} run(s), pushed back in {pushRuns}; {Sends} sends in {clicks} clicks; " +
            $"{Intacct.InjectedFaults} Intacct and {Creatio.InjectedFaults} Creatio faults; {clock.Elapsed.TotalSeconds:0} s");

        Assert.True(Intacct.InjectedFaults > 0 && Creatio.InjectedFaults > 0, "no fault was injected");
        AssertEachCustomerOnceInCreatio("F", SyncRecords);
        var documents = Intacct.Gateway.Company.All("SODOCUMENT").Select(d => d.Element("PONUMBER")!.Value).ToList();
        Assert.Equal(opportunities.Select(o => o.ToString()).Order(), documents.Order()); // one document per opportunity
        var customers = Intacct.Gateway.Company.All("CUSTOMER").Where(c => c.Element("NAME")!.Value.StartsWith("Send account", StringComparison.Ordinal)).ToList();
        Assert.Equal(Sends, customers.Count);
        Assert.Equal(3, Intacct.Gateway.Company.All("ITEM").Count);
        Assert.All(opportunities, o => Assert.StartsWith("SO", (string?)Creatio.Data.Find("Opportunity", o)!["UsrIntacctDocumentNo"]));
    }

    [Fact]
    public async Task A_sync_killed_with_kill_9_again_and_again_ends_with_each_record_once()
    {
        Customers("K", SyncRecords);
        Creatio.Options.LatencyMs = 5; // time to be killed mid-run
        var killedMidRun = 0;
        for (var kill = 0; kill < Kills; kill++)
        {
            await using var sidecar = SidecarProcess.Start(_workingDirectory, SidecarProcessEnvironment(pageSize: 20), "--urls", "http://127.0.0.1:0");
            using var client = AdminClientFor(await sidecar.WaitUntilListeningAsync(TimeSpan.FromSeconds(60)));
            var started = await client.PostAsync("/api/flows/intacct-customers/runs", null, Cancellation);
            if (started.StatusCode != HttpStatusCode.Accepted) continue;
            var before = Creatio.Data.Rows("Account").Count;
            await Eventually.UntilAsync(() => Task.FromResult(Creatio.Data.Rows("Account").Count), n => n > before, TimeSpan.FromSeconds(60), "some accounts written",
                Cancellation);
            if (Creatio.Data.Rows("Account").Count(a => ((string?)a["UsrIntacctCustomerId"])?.StartsWith('K') == true) < SyncRecords) killedMidRun++;
        } // each disposal is a kill -9

        Creatio.Options.LatencyMs = 0;
        await using (var last = SidecarProcess.Start(_workingDirectory, SidecarProcessEnvironment(pageSize: 20), "--urls", "http://127.0.0.1:0"))
        {
            using var client = AdminClientFor(await last.WaitUntilListeningAsync(TimeSpan.FromSeconds(60)));
            await RunUntilSucceededAsync(client, "intacct-customers");
            var runs = await client.GetFromJsonAsync<FlowRun[]>("/api/runs?flowId=intacct-customers", Cancellation);
            Assert.Equal(Kills, runs!.Count(r => r.State == RunState.Interrupted)); // each killed run closed as interrupted at the next start
        }

        TestContext.Current.TestOutputHelper?.WriteLine($"{Provider}: {SyncRecords} records, {Kills} kill -9 ({killedMidRun} mid-run)");
        Assert.True(killedMidRun > 0, "no kill landed mid-run");
        AssertEachCustomerOnceInCreatio("K", SyncRecords);
    }

    [Fact]
    public async Task A_storm_of_429s_slows_a_run_and_concurrent_sends_but_fails_none()
    {
        Customers("S", SyncRecords);
        var opportunities = new List<Guid>();
        lock (Creatio.Data.Lock)
            for (var i = 0; i < Math.Min(Sends, 50); i++)
            {
                var opportunity = Guid.NewGuid();
                Creatio.Data.Insert(Creatio.Data.Model.Find("Opportunity")!, new JsonObject
                {
                    ["Id"] = opportunity.ToString(),
                    ["Title"] = $"Storm {i}",
                    ["AccountId"] = "a0000000-0000-4000-8000-000000000001",
                }, CreatioData.SupervisorId);
                Creatio.Data.Insert(Creatio.Data.Model.Find("OpportunityProductInterest")!, new JsonObject
                {
                    ["OpportunityId"] = opportunity.ToString(),
                    ["ProductId"] = "b0000000-0000-4000-8000-000000000001",
                    ["Quantity"] = 1,
                    ["Price"] = 10,
                }, CreatioData.SupervisorId);
                opportunities.Add(opportunity);
            }

        // The company takes one request at a time; the sidecar is told it may send four: Intacct answers the rest 429 / GW-0010.
        Intacct.Options.MaxConcurrency = 1;
        Intacct.Options.LatencyMs = 5;
        var environment = SidecarProcessEnvironment(pageSize: 10);
        environment["Interweave__Intacct__MaxConcurrency"] = "4";
        environment["Interweave__Intacct__RetryBaseDelayMilliseconds"] = "50";
        await using var sidecar = SidecarProcess.Start(_workingDirectory, environment, "--urls", "http://127.0.0.1:0");
        using var client = AdminClientFor(await sidecar.WaitUntilListeningAsync(TimeSpan.FromSeconds(60)));

        var started = await client.PostAsync("/api/flows/intacct-customers/runs", null, Cancellation);
        var sends = await Task.WhenAll(opportunities.Select(o => client.PostAsync($"/api/opportunities/{o}/send-to-intacct", null, Cancellation)));
        var run = (await Eventually.UntilAsync(() => client.GetFromJsonAsync<FlowRun>(started.Headers.Location!.ToString(), Cancellation),
            r => r!.State != RunState.Running, TimeSpan.FromMinutes(10), "the end of the run", Cancellation))!;

        Assert.True(Intacct.RefusedForConcurrency > 0, "no request was refused");
        Assert.Equal((RunState.Succeeded, SyncRecords, 0), (run.State, run.CreatedCount, run.FailedCount));
        Assert.All(sends, s => Assert.Equal(HttpStatusCode.OK, s.StatusCode));
        Assert.Equal(opportunities.Select(o => o.ToString()).Order(), Intacct.Gateway.Company.All("SODOCUMENT").Select(d => d.Element("PONUMBER")!.Value).Order());
        AssertEachCustomerOnceInCreatio("S", SyncRecords);
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        try
        {
            Directory.Delete(_workingDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
