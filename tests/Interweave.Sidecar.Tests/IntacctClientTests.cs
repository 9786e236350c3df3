using System.Xml.Linq;
using Interweave.Sidecar.Intacct;
using Interweave.Sidecar.Storage;
using Interweave.Sidecar.Tests.Infrastructure;
using Interweave.Simulators.Intacct;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Interweave.Sidecar.Tests;

/// <summary>The sidecar's Intacct client against the gateway simulator over real HTTP.</summary>
public sealed class IntacctClientTests(PostgresServer postgres) : SidecarTestBase(StoreProvider.Sqlite, postgres)
{
    private readonly FakeTimeProvider _simulatorClock = new(DateTimeOffset.UtcNow);
    private IntacctSimulator? _simulator;

    private IntacctSimulator Simulator => _simulator!;

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        _simulator = await IntacctSimulator.StartAsync(new IntacctSimulatorOptions { Seed = "none", RandomSeed = 7, FaultTimeoutMs = 20 }, time: _simulatorClock);
        Sidecar.Settings["Interweave:Intacct:RetryBaseDelayMilliseconds"] = "1";
        Sidecar.Settings["Interweave:Intacct:MaxRetries"] = "8";
        Sidecar.Settings["Interweave:Intacct:PageSize"] = "2";
        Sidecar.Settings["Interweave:Intacct:TimeoutSeconds"] = "5";
    }

    public override async ValueTask DisposeAsync()
    {
        if (_simulator is not null) await _simulator.DisposeAsync();
        await base.DisposeAsync();
    }

    private IntacctConnection Connect(Func<IntacctConnectionSettings, IntacctConnectionSettings>? change = null) =>
        Sidecar.Services.GetRequiredService<IntacctConnectionFactory>().Create(IntacctTestSettings.For(Simulator, change));

    private static IntacctRecord Customer(string id, string name, string? accountId = null) =>
        new IntacctRecord("CUSTOMER").Set("CUSTOMERID", id).Set("NAME", name).Set("ACCOUNTID", accountId);

    private int CustomersWithAccountId(string accountId) =>
        Simulator.Gateway.Company.All("CUSTOMER").Count(c => c.Element("ACCOUNTID")?.Value == accountId);

    [Fact]
    public async Task Values_with_quotes_ampersands_and_angle_brackets_survive_writes_queries_and_reads()
    {
        var intacct = Connect();
        const string name = "O'Brien & Sons <UK> \"Ltd\" \\ co";
        await intacct.CreateAsync([Customer("C-OB", name, "acct-ob")], Cancellation);

        var byQuery = await intacct.FindAsync("CUSTOMER", "NAME", name, ["CUSTOMERID", "NAME"], Cancellation);
        Assert.Equal("C-OB", byQuery?.Element("CUSTOMERID")?.Value);
        var byReadByQuery = await intacct.ReadByQueryAsync("CUSTOMER", ReadByQueryCondition.Equal("NAME", name), cancellationToken: Cancellation).ToListAsync(Cancellation);
        Assert.Equal(name, Assert.Single(byReadByQuery).Element("NAME")?.Value);
        var injection = await intacct.ReadByQueryAsync("CUSTOMER", ReadByQueryCondition.Equal("NAME", "x' OR NAME LIKE '%"), cancellationToken: Cancellation).ToListAsync(Cancellation);
        Assert.Empty(injection);

        var xml = IntacctGatewayClient.WriteRequest(IntacctTestSettings.For(Simulator), null, [new CreateRecords(Customer("C-X", name))], false, "c1");
        Assert.Contains("<NAME>O'Brien &amp; Sons &lt;UK&gt; \"Ltd\" \\ co</NAME>", xml);
        Assert.NotNull(XDocument.Parse(xml).Root);
    }

    [Fact]
    public async Task Every_function_works_create_update_read_read_by_name_read_by_query_read_more_query_delete()
    {
        var intacct = Connect();
        var created = await intacct.CreateAsync([Customer("C-1", "One", "a-1"), Customer("C-2", "Two", "a-2"), Customer("C-3", "Three"), Customer("C-4", "Four"), Customer("C-5", "Five")], Cancellation);
        Assert.Equal(["C-1", "C-2", "C-3", "C-4", "C-5"], created.Select(c => c.Element("CUSTOMERID")!.Value));
        var recordNo = created[0].Element("RECORDNO")!.Value;

        await intacct.UpdateAsync(new IntacctRecord("CUSTOMER").Set("CUSTOMERID", "C-1").Set("NAME", "One renamed"), Cancellation);
        var read = await intacct.ReadAsync("CUSTOMER", [recordNo], byName: false, Cancellation);
        Assert.Equal("One renamed", read.Single().Element("NAME")!.Value);
        Assert.Equal("a-1", read.Single().Element("ACCOUNTID")!.Value);
        var byName = await intacct.ReadAsync("CUSTOMER", ["C-2"], byName: true, Cancellation);
        Assert.Equal("Two", byName.Single().Element("NAME")!.Value);

        // Page size 2: five records take three pages through readMore, and three through offset.
        var all = await intacct.ReadByQueryAsync("CUSTOMER", ReadByQueryCondition.Like("CUSTOMERID", "C-%"), "CUSTOMERID", cancellationToken: Cancellation).ToListAsync(Cancellation);
        Assert.Equal(5, all.Count);
        var queried = await intacct.QueryAsync("CUSTOMER", ["CUSTOMERID"], QueryFilter.Like("CUSTOMERID", "C-%"), [new OrderBy("CUSTOMERID", Descending: true)], Cancellation).ToListAsync(Cancellation);
        Assert.Equal(["C-5", "C-4", "C-3", "C-2", "C-1"], queried.Select(c => c.Element("CUSTOMERID")!.Value));
        Assert.True(Simulator.Gateway.FunctionCounts["readMore"] >= 2);

        await intacct.DeleteAsync("CUSTOMER", [recordNo], Cancellation);
        Assert.Null(await intacct.FindAsync("CUSTOMER", "CUSTOMERID", "C-1", ["CUSTOMERID"], Cancellation));
    }

    [Fact]
    public async Task A_batch_is_one_request_and_a_failed_transaction_keeps_nothing()
    {
        var intacct = Connect();
        var before = Simulator.RequestsReceived;
        var batch = await intacct.ExecuteAsync([new CreateRecords(Customer("B-1", "One")), new CreateRecords(Customer("B-1", "Dup")), new ReadRecords("CUSTOMER", ["B-1"], ByName: true)], transaction: false, Cancellation);
        Assert.Equal(["success", "failure", "success"], batch.Results.Select(r => r.Status));
        Assert.Equal(2, Simulator.RequestsReceived - before); // the login and the batch

        var transaction = await intacct.ExecuteAsync([new CreateRecords(Customer("T-1", "One")), new CreateRecords(Customer("B-1", "Dup"))], transaction: true, Cancellation);
        Assert.Equal(["aborted", "failure"], transaction.Results.Select(r => r.Status));
        Assert.Null(await intacct.FindAsync("CUSTOMER", "CUSTOMERID", "T-1", ["CUSTOMERID"], Cancellation));
    }

    [Fact]
    public async Task Errors_arrive_typed_at_the_level_intacct_reports_them()
    {
        var control = await Assert.ThrowsAsync<IntacctException>(() => Connect(s => s with { SenderPassword = "wrong" }).TestAsync(Cancellation));
        Assert.Equal((IntacctErrorLevel.Control, RemoteFailure.Unauthorized, "XL03000006"), (control.Level, control.Failure, control.Errors[0].ErrorNo));
        Assert.Contains("sender", control.Hint);

        var unauthorized = await Assert.ThrowsAsync<IntacctException>(() => Connect(s => s with { SenderId = "other-sender", SenderPassword = "other-pass" }).TestAsync(Cancellation));
        Assert.Contains("Web Services authorizations", unauthorized.Errors[0].Correction);
        Assert.Contains("Company > Setup > Company > Security > Web Services authorizations", unauthorized.Hint);

        var login = await Assert.ThrowsAsync<IntacctException>(() => Connect(s => s with { UserPassword = "wrong" }).TestAsync(Cancellation));
        Assert.Equal((IntacctErrorLevel.Authentication, RemoteFailure.Unauthorized), (login.Level, login.Failure));
        Assert.Contains("Web Services user", login.Hint);

        var intacct = Connect();
        await intacct.CreateAsync([Customer("D-1", "One")], Cancellation);
        var create = new CreateRecords(Customer("D-1", "Again"));
        var duplicate = await Assert.ThrowsAsync<IntacctException>(() => intacct.ExecuteOneAsync(create, Cancellation));
        Assert.Equal((IntacctErrorLevel.Function, RemoteFailure.Conflict, create.ControlId), (duplicate.Level, duplicate.Failure, duplicate.ControlId));
        Assert.Equal("BL01001973", duplicate.Errors[0].ErrorNo);
        Assert.Contains("D-1 already exists", duplicate.Errors[0].Description2);
        Assert.NotEmpty(duplicate.Errors[0].Correction);

        var invalid = await Assert.ThrowsAsync<IntacctException>(() => intacct.CreateAsync([new IntacctRecord("CUSTOMER").Set("CUSTOMERID", "D-2").Set("NAME", "x").Set("FAVOURITECOLOUR", "blue")], Cancellation));
        Assert.Equal(RemoteFailure.Rejected, invalid.Failure);
        Assert.Contains("FAVOURITECOLOUR", invalid.Errors[0].Description2);
    }

    [Fact]
    public async Task The_session_is_reused_and_renewed_transparently_when_intacct_expires_it()
    {
        var intacct = Connect();
        await intacct.FindAsync("CUSTOMER", "CUSTOMERID", "none", ["CUSTOMERID"], Cancellation);
        await intacct.FindAsync("CUSTOMER", "CUSTOMERID", "none", ["CUSTOMERID"], Cancellation);
        Assert.Equal(1, Simulator.Gateway.FunctionCounts["getAPISession"]);

        _simulatorClock.Advance(TimeSpan.FromHours(2)); // Intacct forgets the session; our cache does not know yet
        await intacct.CreateAsync([Customer("S-1", "After expiry")], Cancellation);

        Assert.Equal(2, Simulator.Gateway.FunctionCounts["getAPISession"]);
        Assert.Equal(1, Simulator.Gateway.Company.All("CUSTOMER").Count(c => c.Element("CUSTOMERID")?.Value == "S-1"));
    }

    [Fact]
    public async Task Transient_faults_on_reads_are_retried_until_they_pass()
    {
        var intacct = Connect();
        await intacct.CreateAsync([Customer("R-1", "Retry")], Cancellation);
        Simulator.Options.FaultRate = 0.5;

        for (var i = 0; i < 10; i++)
            Assert.NotNull(await intacct.FindAsync("CUSTOMER", "CUSTOMERID", "R-1", ["CUSTOMERID"], Cancellation));

        Assert.True(Simulator.InjectedFaults > 3, $"only {Simulator.InjectedFaults} faults were injected");
    }

    [Fact]
    public async Task Reads_give_up_with_a_transient_failure_after_the_configured_retries()
    {
        var intacct = Connect();
        await intacct.FindAsync("CUSTOMER", "CUSTOMERID", "warm-up", ["CUSTOMERID"], Cancellation);
        Simulator.Options.FaultRate = 1;
        var before = Simulator.RequestsReceived;

        var failure = await Assert.ThrowsAsync<IntacctException>(() => intacct.FindAsync("CUSTOMER", "CUSTOMERID", "x", ["CUSTOMERID"], Cancellation));

        Assert.Equal(RemoteFailure.Transient, failure.Failure);
        Assert.Equal(9, Simulator.RequestsReceived - before); // one try and eight retries
    }

    [Fact]
    public async Task A_create_whose_response_is_lost_is_not_sent_again_blindly()
    {
        var intacct = Connect();
        await intacct.FindAsync("CUSTOMER", "CUSTOMERID", "warm-up", ["CUSTOMERID"], Cancellation);
        Simulator.Options.LostResponseRate = 1;

        var lost = await Assert.ThrowsAsync<IntacctException>(() => intacct.CreateAsync([Customer("L-1", "Lost", "acct-lost")], Cancellation));

        Simulator.Options.LostResponseRate = 0;
        Assert.Equal(RemoteFailure.UnknownOutcome, lost.Failure);
        Assert.Equal(1, CustomersWithAccountId("acct-lost")); // committed once, never re-sent
    }

    [Fact]
    public async Task Create_once_never_duplicates_under_lost_responses()
    {
        var intacct = Connect();
        await intacct.FindAsync("CUSTOMER", "CUSTOMERID", "warm-up", ["CUSTOMERID"], Cancellation);
        Simulator.Options.LostResponseRate = 0.4;

        for (var i = 0; i < 12; i++)
        {
            var accountId = $"acct-{i}";
            var result = await intacct.CreateOnceAsync(Customer($"CO-{i}", $"Customer {i}", accountId), "ACCOUNTID", accountId, ["RECORDNO", "CUSTOMERID", "ACCOUNTID"], Cancellation);
            Assert.Equal($"CO-{i}", result.Record.Element("CUSTOMERID")?.Value);
        }

        var again = await intacct.CreateOnceAsync(Customer("CO-0", "Customer 0", "acct-0"), "ACCOUNTID", "acct-0", ["RECORDNO", "CUSTOMERID"], Cancellation);
        Simulator.Options.LostResponseRate = 0;
        Assert.False(again.Created);
        Assert.True(Simulator.InjectedFaults >= 3, $"only {Simulator.InjectedFaults} responses were lost");
        for (var i = 0; i < 12; i++) Assert.Equal(1, CustomersWithAccountId($"acct-{i}"));
    }

    [Fact]
    public async Task The_concurrency_limit_keeps_requests_within_the_companys_allowance()
    {
        Simulator.Options.LatencyMs = 100;
        var intacct = Connect();
        await intacct.FindAsync("CUSTOMER", "CUSTOMERID", "warm-up", ["CUSTOMERID"], Cancellation);

        await Task.WhenAll(Enumerable.Range(0, 8).Select(i => intacct.FindAsync("CUSTOMER", "CUSTOMERID", $"x{i}", ["CUSTOMERID"], Cancellation)));

        Assert.Equal(0, Simulator.RefusedForConcurrency);
        Assert.Equal(2, Simulator.MostInFlight); // the requests did run side by side, up to the limit and not beyond
    }

    [Fact]
    public async Task Over_the_limit_intacct_refuses_and_the_refused_requests_are_retried()
    {
        Sidecar.Settings["Interweave:Intacct:MaxConcurrency"] = "6";
        Sidecar.Settings["Interweave:Intacct:RetryBaseDelayMilliseconds"] = "50"; // backoff must outlast the 100 ms requests in flight
        Simulator.Options.LatencyMs = 100;
        var intacct = Connect();
        await intacct.FindAsync("CUSTOMER", "CUSTOMERID", "warm-up", ["CUSTOMERID"], Cancellation);

        var results = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => intacct.ExecuteAsync([new CreateRecords(Customer($"P-{i}", $"Parallel {i}"))], false, Cancellation)));

        Assert.True(Simulator.RefusedForConcurrency > 0);
        Assert.All(results, r => Assert.True(r.Results[0].Succeeded));
        Assert.Equal(6, Simulator.Gateway.Company.All("CUSTOMER").Count(c => c.Element("CUSTOMERID")!.Value.StartsWith("P-", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Refusals_for_load_are_retried_past_the_transient_retry_count_until_the_storm_passes()
    {
        // One transient retry only, twelve requests at once to a company that takes one: most are refused many times.
        Sidecar.Settings["Interweave:Intacct:MaxConcurrency"] = "12";
        Sidecar.Settings["Interweave:Intacct:MaxRetries"] = "1";
        Sidecar.Settings["Interweave:Intacct:RetryBaseDelayMilliseconds"] = "20";
        Sidecar.Settings["Interweave:Intacct:MaxRetryDelaySeconds"] = "1";
        Simulator.Options.MaxConcurrency = 1;
        Simulator.Options.LatencyMs = 50;
        var intacct = Connect();
        await intacct.FindAsync("CUSTOMER", "CUSTOMERID", "warm-up", ["CUSTOMERID"], Cancellation);

        var results = await Task.WhenAll(Enumerable.Range(0, 12).Select(i => intacct.ExecuteAsync([new CreateRecords(Customer($"R-{i}", $"Storm {i}"))], false, Cancellation)));

        Assert.True(Simulator.RefusedForConcurrency > 12, $"only {Simulator.RefusedForConcurrency} refusals: the storm did not outlast one retry each");
        Assert.All(results, r => Assert.True(r.Results[0].Succeeded));
        Assert.Equal(12, Simulator.Gateway.Company.All("CUSTOMER").Count(c => c.Element("CUSTOMERID")!.Value.StartsWith("R-", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Refusals_for_load_end_in_a_rate_limited_failure_once_their_own_retries_are_spent()
    {
        Sidecar.Settings["Interweave:Intacct:MaxConcurrency"] = "4";
        Sidecar.Settings["Interweave:Intacct:RateLimitedRetries"] = "2";
        Simulator.Options.MaxConcurrency = 1;
        Simulator.Options.LatencyMs = 300;
        var intacct = Connect();
        await intacct.FindAsync("CUSTOMER", "CUSTOMERID", "warm-up", ["CUSTOMERID"], Cancellation);
        Simulator.MostInFlight = 0; // the warm-up already reached 1: without this the wait below proves nothing and the second request can overtake the holder

        // One slow request holds the company's only slot while another is refused three times in a row.
        var holder = intacct.FindAsync("CUSTOMER", "CUSTOMERID", "holder", ["CUSTOMERID"], Cancellation);
        await Eventually.UntilAsync(() => Task.FromResult(Simulator.MostInFlight), n => n >= 1, TimeSpan.FromSeconds(5), "the slot taken", Cancellation);
        var refused = await Assert.ThrowsAsync<IntacctException>(() => intacct.FindAsync("CUSTOMER", "CUSTOMERID", "refused", ["CUSTOMERID"], Cancellation));
        await holder;

        Assert.Equal(RemoteFailure.RateLimited, refused.Failure);
        Assert.Equal(3, Simulator.RefusedForConcurrency);
    }

    [Fact]
    public async Task Request_and_response_logs_mask_passwords_and_session_ids()
    {
        Sidecar.Settings["Serilog:MinimumLevel:Default"] = "Debug"; // the exchanges are logged at Debug only
        var intacct = Connect();
        await intacct.CreateAsync([Customer("M-1", "Masked")], Cancellation);
        var sessionId = (await intacct.TestAsync(Cancellation)).SessionId;

        var logs = Sidecar.Logs.AllText();
        Assert.Contains("Intacct request", logs);
        Assert.Contains("<password>***</password>", logs);
        Assert.Contains("<sessionid>***</sessionid>", logs);
        foreach (var secret in new[] { Simulator.Options.SenderPassword, Simulator.Options.UserPassword, sessionId })
            Assert.DoesNotContain(secret, logs);
    }
}
