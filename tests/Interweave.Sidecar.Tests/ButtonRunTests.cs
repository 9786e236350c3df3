using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Interweave.Sidecar.Api.Contracts;
using Interweave.Sidecar.Flows;
using Interweave.Sidecar.Flows.Engine;
using Interweave.Sidecar.Security;
using Interweave.Sidecar.Storage;
using Interweave.Sidecar.Tests.Infrastructure;

namespace Interweave.Sidecar.Tests;

/// <summary>A click (Send to Intacct, Sync with Intacct) is a run like any other: in the Runs list, with who asked, the answer and what it touched.</summary>
public abstract class ButtonRunTests(StoreProvider provider, PostgresServer postgres) : SimulatedSystemsTestBase(provider, postgres, intacctRandomSeed: 17)
{
    public sealed class OnSqlite(PostgresServer postgres) : ButtonRunTests(StoreProvider.Sqlite, postgres);

    public sealed class OnPostgres(PostgresServer postgres) : ButtonRunTests(StoreProvider.Postgres, postgres);

    private static readonly Guid WidgetRollout = Guid.Parse("d0000000-0000-4000-8000-000000000001"); // O'Brien & Sons, 2 lines
    private static readonly Guid OBrien = Guid.Parse("a0000000-0000-4000-8000-000000000001");

    private async Task<FlowRun[]> RunsOfAsync(string flowId) => (await AdminClient().GetFromJsonAsync<FlowRun[]>($"/api/runs?flowId={flowId}", Cancellation))!;

    private async Task<FlowRunRecord[]> RecordsOfAsync(long runId) => (await AdminClient().GetFromJsonAsync<FlowRunRecord[]>($"/api/runs/{runId}/records", Cancellation))!;

    [Fact]
    public async Task A_send_is_a_run_with_its_trigger_the_key_that_asked_the_document_number_and_every_record_it_touched()
    {
        var package = Sidecar.CreateClient((await CreateKeyAsync("creatio-prod", Roles.Creatio)).Key);

        var sent = await (await package.PostAsync($"/api/opportunities/{WidgetRollout}/send-to-intacct", null, Cancellation))
            .Content.ReadFromJsonAsync<SendToIntacctResult>(Cancellation);

        var run = Assert.Single(await RunsOfAsync(SendOpportunityToIntacct.FlowId));
        Assert.Equal(("button", RunState.Succeeded, "creatio-prod"), (run.Trigger, run.State, run.RequestedBy));
        Assert.NotNull(run.FinishedAt);
        Assert.Equal((4, 4, 0), (run.ReadCount, run.CreatedCount, run.FailedCount));
        var records = await RecordsOfAsync(run.Id);
        var document = Assert.Single(records, r => r.SourceObject == "Opportunity");
        Assert.Equal((WidgetRollout.ToString(), "SODOCUMENT", sent!.DocumentNo, RecordAction.Created), (document.SourceKey, document.TargetObject, document.TargetKey, document.Action));
        Assert.False(string.IsNullOrEmpty(document.Label));
        var customer = Assert.Single(records, r => r.SourceObject == "Account");
        Assert.Equal((OBrien.ToString(), "CUSTOMER", sent.CustomerId, RecordAction.Created, "O'Brien & Sons <UK>"),
            (customer.SourceKey, customer.TargetObject, customer.TargetKey, customer.Action, customer.Label));
        Assert.Equal(["SVC-INSTALL", "WIDGET-STD"], records.Where(r => r.SourceObject == "Product").Select(r => r.TargetKey).Order());
        Assert.All(records.Where(r => r.SourceObject == "Product"), r => Assert.Equal(("ITEM", RecordAction.Created), (r.TargetObject, r.Action)));

        // A second click finds the document: its run says so, and the document's history has both.
        await package.PostAsync($"/api/opportunities/{WidgetRollout}/send-to-intacct", null, Cancellation);
        var again = (await RunsOfAsync(SendOpportunityToIntacct.FlowId))[0];
        Assert.Equal(RecordAction.Unchanged, Assert.Single(await RecordsOfAsync(again.Id)).Action);
        var history = (await AdminClient().GetFromJsonAsync<RecordHistoryEntry[]>($"/api/runs/records?key={sent.DocumentNo}&object=SODOCUMENT", Cancellation))!;
        Assert.Equal([again.Id, run.Id], history.Select(h => h.RunId));
    }

    [Fact]
    public async Task A_send_Intacct_refuses_is_a_failed_run_with_Intacct_s_answer_on_the_opportunity_s_record()
    {
        // A term the company does not have: Intacct refuses create_sotransaction.
        await AdminClient().PutAsJsonAsync("/api/flows/send-to-intacct", new { settings = new { paymentTerm = "Net 45" } }, Cancellation);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await AdminClient().PostAsync($"/api/opportunities/{WidgetRollout}/send-to-intacct", null, Cancellation)).StatusCode);

        var run = Assert.Single(await RunsOfAsync(SendOpportunityToIntacct.FlowId));
        Assert.Equal(("button", RunState.Failed, "bootstrap"), (run.Trigger, run.State, run.RequestedBy));
        Assert.Contains("Invalid Term 'Net 45'", run.Error);
        var failed = Assert.Single(await RecordsOfAsync(run.Id));
        Assert.Equal((WidgetRollout.ToString(), "Opportunity", RecordAction.Failed), (failed.SourceKey, failed.SourceObject, failed.Action));
        Assert.Contains("Invalid Term 'Net 45'", failed.Error);
        Assert.False(string.IsNullOrEmpty(failed.Label));
    }

    [Fact]
    public async Task Sync_with_intacct_is_a_run_of_the_account_flow_with_the_push_and_the_pull_back()
    {
        var societe = Guid.Parse("a0000000-0000-4000-8000-000000000003");

        var synced = await (await AdminClient().PostAsync($"/api/accounts/{societe}/sync", null, Cancellation)).Content.ReadFromJsonAsync<SyncResult>(Cancellation);

        var run = Assert.Single(await RunsOfAsync(SyncRecordWithIntacct.AccountsPush));
        Assert.Equal(("button", RunState.Succeeded, "bootstrap"), (run.Trigger, run.State, run.RequestedBy));
        var records = await RecordsOfAsync(run.Id);
        Assert.Equal(2, records.Length);
        Assert.Contains(records, r => (r.SourceObject, r.SourceKey, r.TargetObject, r.TargetKey, r.Action) == ("Account", societe.ToString(), "CUSTOMER", synced!.IntacctId, RecordAction.Created));
        Assert.Contains(records, r => (r.SourceObject, r.SourceKey, r.TargetObject, r.TargetKey) == ("CUSTOMER", synced!.IntacctId, "Account", societe.ToString()));
    }

    [Fact]
    public async Task A_run_started_by_hand_names_the_key_that_started_it_and_a_scheduled_one_none()
    {
        var ops = Sidecar.CreateClient((await CreateKeyAsync("ops on call", Roles.Admin)).Key);

        var started = await ops.PostAsync("/api/flows/intacct-customers/runs", null, Cancellation);

        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        Assert.Equal("ops on call", (await started.Content.ReadFromJsonAsync<FlowRun>(Cancellation))!.RequestedBy);
        var finished = await Eventually.UntilAsync(() => AdminClient().GetFromJsonAsync<FlowRun>(started.Headers.Location!.ToString(), Cancellation),
            r => r!.State != RunState.Running, TimeSpan.FromSeconds(60), "the run's end", Cancellation);
        Assert.Equal("ops on call", finished!.RequestedBy);
    }

    [Fact]
    public async Task Sync_with_intacct_closes_the_account_s_open_push_error_as_the_pull_back_closes_its_own()
    {
        // Société's account is paired, then a scheduled push of an edit fails (a mapping row naming a field Intacct does
        // not have, vouched for by the admin): the error queue holds the account's push error.
        var societe = Guid.Parse("a0000000-0000-4000-8000-000000000003");
        Assert.Equal(HttpStatusCode.OK, (await AdminClient().PostAsync($"/api/accounts/{societe}/sync", null, Cancellation)).StatusCode);
        await EditAccountMappingAsync(mapping => mapping.Add(new JsonObject { ["target"] = "NOSUCHFIELD", ["constant"] = "x", ["unlisted"] = true }));
        EditInCreatio("Account", societe, new JsonObject { ["Phone"] = "+33 1 55 00 03 03" });
        var started = await AdminClient().PostAsync($"/api/flows/{SyncRecordWithIntacct.AccountsPush}/runs", null, Cancellation);
        var refused = await Eventually.UntilAsync(() => AdminClient().GetFromJsonAsync<FlowRun>(started.Headers.Location!.ToString(), Cancellation),
            r => r!.State != RunState.Running, TimeSpan.FromSeconds(60), "the push run's end", Cancellation);
        Assert.Equal((RunState.Failed, 1), (refused!.State, refused.FailedCount));
        var error = Assert.Single((await AdminClient().GetFromJsonAsync<SyncError[]>("/api/errors", Cancellation))!);
        Assert.Equal((SyncRecordWithIntacct.AccountsPush, societe.ToString()), (error.FlowId, error.RecordKey));

        // The admin removes the row and the user clicks Sync with Intacct: the edit goes through, so its error is closed.
        await EditAccountMappingAsync(mapping => mapping.RemoveAt(mapping.Count - 1));
        Assert.Equal(HttpStatusCode.OK, (await AdminClient().PostAsync($"/api/accounts/{societe}/sync", null, Cancellation)).StatusCode);

        Assert.Equal(ErrorStatus.Resolved, (await AdminClient().GetFromJsonAsync<SyncError>($"/api/errors/{error.Id}", Cancellation))!.Status);
        Assert.Empty((await AdminClient().GetFromJsonAsync<SyncError[]>("/api/errors", Cancellation))!);
    }

    private async Task EditAccountMappingAsync(Action<JsonArray> edit)
    {
        var path = $"/api/flows/{SyncRecordWithIntacct.AccountsPush}";
        var mapping = (await AdminClient().GetFromJsonAsync<JsonObject>(path, Cancellation))!["mapping"]!.AsArray();
        edit(mapping);
        var put = await AdminClient().PutAsJsonAsync(path, new JsonObject { ["mapping"] = mapping.DeepClone() }, Cancellation);
        Assert.True(put.StatusCode == HttpStatusCode.OK, await put.Content.ReadAsStringAsync(Cancellation));
    }
}
