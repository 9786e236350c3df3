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

    /// <summary>Opportunities with one product line each, on a demo account, for sends.</summary>
    private List<Guid> Opportunities(string title, int count)
    {
        var opportunities = new List<Guid>();
        lock (Creatio.Data.Lock)
            for (var i = 0; i < count; i++)
            {
                var opportunity = Guid.NewGuid();
                Creatio.Data.Insert(Creatio.Data.Model.Find("Opportunity")!, new JsonObject
                {
                    ["Id"] = opportunity.ToString(),
                    ["Title"] = $"{title} {i}",
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

        return opportunities;
    }

    /// <summary>Clicks Send to Intacct on each opportunity until it answers 200, as a user would; answers the clicks.</summary>
    private static async Task<int> SendEachUntilDoneAsync(HttpClient client, IEnumerable<Guid> opportunities)
    {
        var clicks = 0;
        foreach (var opportunity in opportunities)
        {
            for (var attempt = 1; ; attempt++)
            {
                clicks++;
                var answer = await client.PostAsync($"/api/opportunities/{opportunity}/send-to-intacct", null, Cancellation);
                if (answer.StatusCode == HttpStatusCode.OK) break;
                Assert.True(attempt < 20 && answer.StatusCode is HttpStatusCode.BadGateway or HttpStatusCode.Conflict or HttpStatusCode.Accepted,
                    $"send {opportunity}, click {attempt}: {(int)answer.StatusCode} {await answer.Content.ReadAsStringAsync(Cancellation)}");
                if (answer.StatusCode != HttpStatusCode.BadGateway) await Task.Delay(100, Cancellation);
            }
        }

        return clicks;
    }

    /// <summary>Each opportunity has exactly one sales document in Intacct, and shows its number.</summary>
    private void AssertEachOpportunitySentOnce(IReadOnlyCollection<Guid> opportunities)
    {
        var documents = Intacct.Gateway.Company.All("SODOCUMENT").Select(d => d.Element("PONUMBER")!.Value).Where(p => opportunities.Contains(Guid.Parse(p))).ToList();
        var missing = opportunities.Select(o => o.ToString()).Except(documents).ToList();
        Assert.True(missing.Count == 0, $"no document for {string.Join(", ", missing)}, though they show " +
            string.Join(", ", missing.Select(m => (string?)Creatio.Data.Find("Opportunity", Guid.Parse(m))!["UsrIntacctDocumentNo"])));
        Assert.Equal(opportunities.Select(o => o.ToString()).Order(), documents.Order());
        Assert.All(opportunities, o => Assert.StartsWith("SO", (string?)Creatio.Data.Find("Opportunity", o)!["UsrIntacctDocumentNo"]));
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
        var clicks = await SendEachUntilDoneAsync(client, opportunities); // a user clicks again on 502, 409 or 202

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
    public async Task A_sidecar_killed_with_kill_9_again_and_again_during_syncs_and_sends_ends_with_each_record_once()
    {
        Customers("K", SyncRecords);
        var opportunities = Opportunities("Killed send", Kills * 2);
        Creatio.Options.LatencyMs = 5; // time to be killed mid-run
        Intacct.Options.LatencyMs = 5;
        var random = new Random(16);
        var killedMidRun = 0;
        for (var kill = 0; kill < Kills; kill++)
        {
            await using var sidecar = SidecarProcess.Start(_workingDirectory, SidecarProcessEnvironment(pageSize: 20), "--urls", "http://127.0.0.1:0");
            using var client = AdminClientFor(await sidecar.WaitUntilListeningAsync(TimeSpan.FromSeconds(60)));
            var started = await client.PostAsync("/api/flows/intacct-customers/runs", null, Cancellation);
            if (started.StatusCode != HttpStatusCode.Accepted) continue;
            // Two clicks in flight when the process dies (or done just before): their answers are lost with it.
            foreach (var opportunity in opportunities.Skip(kill * 2).Take(2))
                _ = client.PostAsync($"/api/opportunities/{opportunity}/send-to-intacct", null, Cancellation).ContinueWith(t => t.Exception, TaskScheduler.Default);
            var before = Creatio.Data.Rows("Account").Count;
            await Eventually.UntilAsync(() => Task.FromResult(Creatio.Data.Rows("Account").Count), n => n > before, TimeSpan.FromSeconds(60), "some accounts written",
                Cancellation);
            await Task.Delay(random.Next(0, 200), Cancellation);
            if (Creatio.Data.Rows("Account").Count(a => ((string?)a["UsrIntacctCustomerId"])?.StartsWith('K') == true) < SyncRecords) killedMidRun++;
        } // each disposal is a kill -9

        (Creatio.Options.LatencyMs, Intacct.Options.LatencyMs) = (0, 0);
        var recovery = System.Diagnostics.Stopwatch.StartNew();
        await using (var last = SidecarProcess.Start(_workingDirectory, SidecarProcessEnvironment(pageSize: 20), "--urls", "http://127.0.0.1:0"))
        {
            using var client = AdminClientFor(await last.WaitUntilListeningAsync(TimeSpan.FromSeconds(60)));
            var clicks = await SendEachUntilDoneAsync(client, opportunities);
            await RunUntilSucceededAsync(client, "intacct-customers");
            var runs = await client.GetFromJsonAsync<FlowRun[]>("/api/runs?flowId=intacct-customers", Cancellation);
            Assert.Equal(Kills, runs!.Count(r => r.State == RunState.Interrupted)); // each killed run closed as interrupted at the next start
            Assert.DoesNotContain(runs!, r => r.State == RunState.Running);
            TestContext.Current.TestOutputHelper?.WriteLine($"{Provider}: {SyncRecords} records and {opportunities.Count} sends, {Kills} kill -9 ({killedMidRun} mid-run); " +
                $"after the last restart {clicks} clicks sent every opportunity and the run finished in {recovery.Elapsed.TotalSeconds:0.0} s");
        }

        Assert.True(killedMidRun > 0, "no kill landed mid-run");
        AssertEachCustomerOnceInCreatio("K", SyncRecords);
        AssertEachOpportunitySentOnce(opportunities);
    }

    [Fact]
    public async Task With_Creatio_sessions_ending_every_fifty_requests_syncs_and_sends_fail_no_record()
    {
        Customers("E", SyncRecords);
        var opportunities = Opportunities("Expiring send", Sends);
        Creatio.Options.SessionRequestLimit = 50;
        await using var sidecar = SidecarProcess.Start(_workingDirectory, SidecarProcessEnvironment(pageSize: 5), "--urls", "http://127.0.0.1:0"); // small pages: more requests
        using var client = AdminClientFor(await sidecar.WaitUntilListeningAsync(TimeSpan.FromSeconds(60)));

        // Each run must succeed at its first start: a session ending is not a failure of any record.
        var pull = await RunOnceAsync(client, "intacct-customers");
        var push = await RunOnceAsync(client, "creatio-accounts");
        var clicks = await SendEachUntilDoneAsync(client, opportunities);

        TestContext.Current.TestOutputHelper?.WriteLine($"{Provider}: {SyncRecords} records pulled and pushed, {Sends} sends in {clicks} clicks; " +
            $"{Creatio.SessionsExpiredByLimit} sessions ended, {Creatio.Logins} sign-ins");
        Assert.True(Creatio.SessionsExpiredByLimit >= 3, $"only {Creatio.SessionsExpiredByLimit} sessions ended"); // mid-pull, mid-push and mid-sends
        Assert.Equal((RunState.Succeeded, SyncRecords, 0), (pull.State, pull.CreatedCount, pull.FailedCount));
        Assert.Equal((RunState.Succeeded, 0), (push.State, push.FailedCount));
        Assert.Equal(Sends, clicks); // every click succeeded at once
        Assert.Empty((await client.GetFromJsonAsync<JsonArray>("/api/errors", Cancellation))!);
        AssertEachCustomerOnceInCreatio("E", SyncRecords);
        AssertEachOpportunitySentOnce(opportunities);
    }

    private static async Task<FlowRun> RunOnceAsync(HttpClient client, string flowId)
    {
        var started = await client.PostAsync($"/api/flows/{flowId}/runs", null, Cancellation);
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        return (await Eventually.UntilAsync(() => client.GetFromJsonAsync<FlowRun>(started.Headers.Location!.ToString(), Cancellation), r => r!.State != RunState.Running,
            TimeSpan.FromMinutes(10), $"the end of {flowId}", Cancellation))!;
    }

    [Fact]
    public async Task A_storm_of_429s_slows_a_run_and_concurrent_sends_but_fails_none()
    {
        Customers("S", SyncRecords);
        var opportunities = Opportunities("Storm", Math.Min(Sends, 50));

        // The company takes one request at a time; the sidecar is told it may send four: Intacct answers the rest 429 / GW-0010.
        Intacct.Options.MaxConcurrency = 1;
        Intacct.Options.LatencyMs = 5;
        var environment = SidecarProcessEnvironment(pageSize: 10);
        environment["Interweave__Intacct__MaxConcurrency"] = "4";
        environment["Interweave__Intacct__RetryBaseDelayMilliseconds"] = "50";
        environment["Interweave__Buttons__MaxClicksInProgress"] = "50"; // every send in flight at once: the storm is Intacct's, not a flood of clicks
        await using var sidecar = SidecarProcess.Start(_workingDirectory, environment, "--urls", "http://127.0.0.1:0");
        using var client = AdminClientFor(await sidecar.WaitUntilListeningAsync(TimeSpan.FromSeconds(60)));

        var started = await client.PostAsync("/api/flows/intacct-customers/runs", null, Cancellation);
        var sends = await Task.WhenAll(opportunities.Select(o => client.PostAsync($"/api/opportunities/{o}/send-to-intacct", null, Cancellation)));
        var run = (await Eventually.UntilAsync(() => client.GetFromJsonAsync<FlowRun>(started.Headers.Location!.ToString(), Cancellation),
            r => r!.State != RunState.Running, TimeSpan.FromMinutes(10), "the end of the run", Cancellation))!;

        Assert.True(Intacct.RefusedForConcurrency > 0, "no request was refused");
        Assert.Equal((RunState.Succeeded, SyncRecords, 0), (run.State, run.CreatedCount, run.FailedCount));
        // A click answers within its deadline: done (200), or still going (202) and then landing on the record.
        var unanswered = new List<string>();
        foreach (var send in sends.Where(s => s.StatusCode is not (HttpStatusCode.OK or HttpStatusCode.Accepted)))
            unanswered.Add($"{(int)send.StatusCode} {await send.Content.ReadAsStringAsync(Cancellation)}");
        // Once in CI (full suite, PostgreSQL) one send answered 500; the body and the sidecar's last log lines say why next time.
        Assert.True(unanswered.Count == 0, $"sends answered {string.Join("; ", unanswered)}\nsidecar log:\n{string.Join('\n', sidecar.Output.Split('\n').TakeLast(80))}");
        // Creatio keeps an empty text column as "", not null: wait for a number, not for the column.
        await Eventually.UntilAsync(() => Task.FromResult(opportunities.Count(o => (string?)Creatio.Data.Find("Opportunity", o)!["UsrIntacctDocumentNo"] is { Length: > 0 })),
            n => n == opportunities.Count, TimeSpan.FromMinutes(5), "every opportunity showing its document", Cancellation);
        TestContext.Current.TestOutputHelper?.WriteLine($"{Provider}: {Intacct.RefusedForConcurrency} refusals; {sends.Count(s => s.StatusCode == HttpStatusCode.Accepted)} of {sends.Length} sends answered 202");
        AssertEachOpportunitySentOnce(opportunities);
        AssertEachCustomerOnceInCreatio("S", SyncRecords);
    }

    private static readonly Guid Mueller = Guid.Parse("a0000000-0000-4000-8000-000000000002");

    /// <summary>An admin's edit of a flow's mapping through the API: <paramref name="edit"/> changes the stored rows.</summary>
    private static async Task EditMappingAsync(HttpClient client, string flowId, Action<JsonArray> edit)
    {
        var mapping = (await client.GetFromJsonAsync<JsonObject>($"/api/flows/{flowId}", Cancellation))!["mapping"]!.AsArray();
        edit(mapping);
        var put = await client.PutAsJsonAsync($"/api/flows/{flowId}", new JsonObject { ["mapping"] = mapping.DeepClone() }, Cancellation);
        Assert.True(put.StatusCode == HttpStatusCode.OK, await put.Content.ReadAsStringAsync(Cancellation));
    }

    [Fact]
    public async Task A_Creatio_edit_whose_push_Intacct_refused_survives_the_reverse_pull_and_reaches_Intacct_after_the_retry()
    {
        // The console review's B16, step by step. This company lets finance rename customers in Intacct: the name
        // belongs to neither system, so a rename in Intacct is meant to reach Creatio.
        await using var sidecar = SidecarProcess.Start(_workingDirectory, SidecarProcessEnvironment(pageSize: 10), "--urls", "http://127.0.0.1:0");
        using var client = AdminClientFor(await sidecar.WaitUntilListeningAsync(TimeSpan.FromSeconds(60)));
        foreach (var flowId in new[] { "creatio-accounts", "intacct-customers" })
            await EditMappingAsync(client, flowId, mapping => mapping.Single(m => (string?)m!["target"] is "Name" or "NAME")!.AsObject().Remove("systemOfRecord"));

        // Müller's opportunity is sent (its account gets a customer), and both schedules run once.
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync("/api/opportunities/d0000000-0000-4000-8000-000000000002/send-to-intacct", null, Cancellation)).StatusCode);
        Assert.Equal(RunState.Succeeded, (await RunOnceAsync(client, "intacct-customers")).State);
        Assert.Equal(RunState.Succeeded, (await RunOnceAsync(client, "creatio-accounts")).State);
        var customerId = (string)Creatio.Data.Find("Account", Mueller)!["UsrIntacctCustomerId"]!;
        XElement Customer() => Intacct.Gateway.Company.All("CUSTOMER").Single(c => c.Element("CUSTOMERID")!.Value == customerId);
        Assert.Equal("+1 555 0100", Customer().Element("DISPLAYCONTACT")!.Element("PHONE1")!.Value);

        // (1) Sales changes the phone in Creatio; (2) Intacct refuses the push (a mapping row naming a field Intacct does not
        // have, which the admin vouched for as a custom field not yet visible).
        EditInCreatio("Account", Mueller, new JsonObject { ["Phone"] = "+1 555 0202" });
        await EditMappingAsync(client, "creatio-accounts", mapping => mapping.Add(new JsonObject { ["target"] = "NOSUCHFIELD", ["constant"] = "x", ["unlisted"] = true }));
        var refused = await RunOnceAsync(client, "creatio-accounts");
        Assert.Equal((RunState.Failed, 1, 1), (refused.State, refused.ReadCount, refused.FailedCount)); // its one record failed
        var error = Assert.Single((await client.GetFromJsonAsync<SyncError[]>("/api/errors", Cancellation))!);
        Assert.Equal(("creatio-accounts", Mueller.ToString()), (error.FlowId, error.RecordKey));

        // (3) Finance renames the customer in Intacct, and the reverse pull runs while the push's error is open.
        IntacctDirect.Update(Intacct, "CUSTOMER", ("CUSTOMERID", customerId), ("NAME", "Müller Maschinenbau AG"));
        var pull = await RunOnceAsync(client, "intacct-customers");

        Assert.Equal((RunState.Succeeded, 1, 0), (pull.State, pull.UpdatedCount, pull.FailedCount));
        var account = Creatio.Data.Find("Account", Mueller)!;
        Assert.Equal(("+1 555 0202", "Müller Maschinenbau AG"), (account["Phone"], account["Name"])); // the edit stays; the rename arrives
        var pulled = Assert.Single((await client.GetFromJsonAsync<FlowRunRecord[]>($"/api/runs/{pull.Id}/records", Cancellation))!);
        Assert.Equal([new FieldChange("Name", "Müller Maschinenbau GmbH", "Müller Maschinenbau AG")], pulled.Changes); // what the run changed, and only that

        // (4) The refusal's cause is fixed and the error retried: the edit reaches Intacct, and Creatio still has it.
        await EditMappingAsync(client, "creatio-accounts", mapping => mapping.RemoveAt(mapping.Count - 1));
        var retried = await client.PostAsync($"/api/errors/{error.Id}/retry", null, Cancellation);
        Assert.Equal(ErrorStatus.Resolved, (await retried.Content.ReadFromJsonAsync<SyncError>(Cancellation))!.Status);

        Assert.Equal("+1 555 0202", Customer().Element("DISPLAYCONTACT")!.Element("PHONE1")!.Value);
        Assert.Equal("Müller Maschinenbau AG", Customer().Element("NAME")!.Value);
        Assert.Equal("+1 555 0202", Creatio.Data.Find("Account", Mueller)!["Phone"]);
        var again = await RunOnceAsync(client, "intacct-customers");
        Assert.Equal((0, 0), (again.UpdatedCount, again.FailedCount));
        Assert.Equal("+1 555 0202", Creatio.Data.Find("Account", Mueller)!["Phone"]);
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
