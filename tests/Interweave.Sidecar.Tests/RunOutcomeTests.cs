using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Interweave.Sidecar.Api.Contracts;
using Interweave.Sidecar.Flows.Engine;
using Interweave.Sidecar.Storage;
using Interweave.Sidecar.Tests.Infrastructure;

namespace Interweave.Sidecar.Tests;

/// <summary>
/// What a user sees when things go wrong, on both stores: a run that stops as a whole is an error in the queue and
/// marks its connection failing until a call on it succeeds.
/// </summary>
public abstract class RunOutcomeTests(StoreProvider provider, PostgresServer postgres) : SimulatedSystemsTestBase(provider, postgres, intacctRandomSeed: 11)
{
    public sealed class OnSqlite(PostgresServer postgres) : RunOutcomeTests(StoreProvider.Sqlite, postgres);

    public sealed class OnPostgres(PostgresServer postgres) : RunOutcomeTests(StoreProvider.Postgres, postgres);

    private async Task<JsonObject> ConnectionStatusAsync(string system) =>
        (await AdminClient().GetFromJsonAsync<JsonObject>("/api/status", Cancellation))![system]!.AsObject();

    private static DateTimeOffset? At(JsonObject state, string name) =>
        (string?)state[name] is { } text ? DateTimeOffset.Parse(text, System.Globalization.CultureInfo.InvariantCulture) : null;

    [Fact]
    public async Task An_intacct_outage_queues_one_run_error_marks_intacct_failing_since_its_first_failure_and_a_good_retry_clears_both()
    {
        Intacct.Options.FaultTimeoutMs = 10;
        Intacct.Options.FaultRate = 1; // every request answers 503, a proxy's HTML page or a timeout

        var first = await RunAsync("intacct-invoices");
        var failingSince = At(await ConnectionStatusAsync("intacct"), "failingSince");
        var second = await RunAsync("intacct-invoices");

        Assert.Equal((RunState.Failed, RunState.Failed), (first.State, second.State));
        // The queue said "No open errors" during an outage, and the dashboard "connected".
        var error = Assert.Single((await AdminClient().GetFromJsonAsync<SyncError[]>("/api/errors", Cancellation))!);
        Assert.Equal((ErrorScope.Run, "intacct-invoices", "", "Intacct", second.Id, 2), (error.Scope, error.FlowId, error.RecordKey, error.System, error.RunId, error.Occurrences));
        Assert.Contains("Retry runs intacct-invoices", error.Hint);
        var intacct = await ConnectionStatusAsync("intacct");
        Assert.NotNull(failingSince);
        Assert.Equal(failingSince, At(intacct, "failingSince")); // since the first failure, not the latest
        Assert.InRange(failingSince!.Value, first.StartedAt, second.StartedAt); // written as the first run stopped
        Assert.False(string.IsNullOrEmpty((string?)intacct["lastError"]));
        Assert.Null(At(await ConnectionStatusAsync("creatio"), "failingSince")); // only the system that failed

        Intacct.Options.FaultRate = 0;
        var retried = await AdminClient().PostAsync($"/api/errors/{error.Id}/retry", null, Cancellation);

        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
        Assert.Equal(ErrorStatus.Resolved, (await retried.Content.ReadFromJsonAsync<SyncError>(Cancellation))!.Status);
        var rerun = (await AdminClient().GetFromJsonAsync<FlowRun[]>("/api/runs?flowId=intacct-invoices", Cancellation))![0];
        Assert.Equal(("retry", RunState.Succeeded), (rerun.Trigger, rerun.State));
        intacct = await ConnectionStatusAsync("intacct");
        Assert.Null(At(intacct, "failingSince"));
        Assert.True(At(intacct, "lastSucceededAt") >= rerun.StartedAt);
        Assert.Empty((await AdminClient().GetFromJsonAsync<SyncError[]>("/api/errors", Cancellation))!);
    }

    [Fact]
    public async Task A_failing_connection_is_cleared_by_any_call_that_succeeds_on_it_and_a_refused_record_does_not_mark_it()
    {
        Intacct.Options.FaultTimeoutMs = 10;
        Intacct.Options.FaultRate = 1;
        await RunAsync("intacct-customers");
        Assert.NotNull(At(await ConnectionStatusAsync("intacct"), "failingSince"));
        Intacct.Options.FaultRate = 0;

        // A record Intacct refuses is that record's problem: the run goes on and the connection works.
        await IntacctDirect.CreateAsync(Intacct, "CUSTOMER", ("CUSTOMERID", "C-9301"), ("NAME", "Nobody in Creatio"));
        IntacctDirect.Invoice(Intacct, "C-9301", new DateOnly(2026, 11, 2), 12m);
        var pull = await RunAsync("intacct-invoices");

        Assert.Equal((RunState.Failed, 1), (pull.State, pull.FailedCount)); // its one record failed, not the run
        Assert.Null(At(await ConnectionStatusAsync("intacct"), "failingSince")); // the pull's calls worked
        var errors = (await AdminClient().GetFromJsonAsync<SyncError[]>("/api/errors", Cancellation))!;
        Assert.Equal([(ErrorScope.Run, "intacct-customers"), (ErrorScope.Record, "intacct-invoices")], errors.Select(e => (e.Scope, e.FlowId)).OrderBy(e => e.FlowId, StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_retry_of_several_errors_says_how_many_were_fixed_and_how_many_still_fail()
    {
        for (var i = 0; i < 2; i++)
        {
            await IntacctDirect.CreateAsync(Intacct, "CUSTOMER", ("CUSTOMERID", $"C-94{i}"), ("NAME", $"Unlinked {i}"));
            IntacctDirect.Invoice(Intacct, $"C-94{i}", new DateOnly(2026, 11, 2), 10m + i);
        }

        await RunAsync("intacct-invoices");
        var ids = (await AdminClient().GetFromJsonAsync<SyncError[]>("/api/errors", Cancellation))!.Select(e => e.Id).ToArray();

        var unfixed = await RetryAsync([.. ids, 999_999]);

        Assert.Equal((2, 0, 2), (unfixed.Retried, unfixed.Resolved, unfixed.StillFailing)); // nothing was fixed, and the answer says so
        Assert.Equal([999_999L], unfixed.NotRetried);
        Assert.All(unfixed.Errors, e => Assert.Equal((ErrorStatus.Open, 2), (e.Status, e.Occurrences)));
        var retryRuns = (await AdminClient().GetFromJsonAsync<FlowRun[]>("/api/runs?flowId=intacct-invoices", Cancellation))!.Where(r => r.Trigger == "retry").ToList();
        Assert.Equal(2, retryRuns.Count);
        Assert.All(retryRuns, r => Assert.Equal(RunState.Failed, r.State)); // a retry run whose record failed again is no success either

        // One customer is linked meanwhile: one fixed, one failing still.
        var obrien = Guid.Parse("a0000000-0000-4000-8000-000000000001");
        IntacctDirect.Update(Intacct, "CUSTOMER", ("CUSTOMERID", "C-940"), ("ACCOUNTID", obrien.ToString()));
        Assert.Equal(HttpStatusCode.OK, (await AdminClient().PostAsync($"/api/accounts/{obrien}/sync", null, Cancellation)).StatusCode);
        var half = await RetryAsync(ids);
        Assert.Equal((2, 1, 1), (half.Retried, half.Resolved, half.StillFailing));
        Assert.Equal(HttpStatusCode.BadRequest, (await AdminClient().PostAsJsonAsync("/api/errors/retry", new { ids = Array.Empty<long>() }, Cancellation)).StatusCode);
    }

    private async Task<ErrorRetryReport> RetryAsync(long[] ids)
    {
        var response = await AdminClient().PostAsJsonAsync("/api/errors/retry", new { ids }, Cancellation);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync(Cancellation));
        return (await response.Content.ReadFromJsonAsync<ErrorRetryReport>(Cancellation))!;
    }
}
