using System.Net;
using System.Net.Http.Json;
using Interweave.Sidecar.Api.Contracts;
using Interweave.Sidecar.Flows.Engine;
using Interweave.Sidecar.Storage;
using Interweave.Sidecar.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Interweave.Sidecar.Tests;

/// <summary>
/// A record's history is its own: an Intacct RECORDNO is unique only within its object (invoice 1, payment 1 and customer 1
/// are three records), so the history is scoped to the object, and each entry appears once however many of its keys match.
/// </summary>
public abstract class RecordHistoryTests(StoreProvider provider, PostgresServer postgres) : SidecarTestBase(provider, postgres)
{
    public sealed class OnSqlite(PostgresServer postgres) : RecordHistoryTests(StoreProvider.Sqlite, postgres);

    public sealed class OnPostgres(PostgresServer postgres) : RecordHistoryTests(StoreProvider.Postgres, postgres);

    private const string Account = "a0000000-0000-4000-8000-000000000001";

    /// <summary>Logs one record as a run of the flow would (the flows are installed when the host starts).</summary>
    private async Task<long> LogAsync(string flowId, string sourceKey, string targetKey, string label)
    {
        _ = AdminClient();
        var flows = Sidecar.Services.GetRequiredService<FlowStore>();
        var run = (await flows.TryStartRunAsync(flowId, "manual", Cancellation))!;
        await flows.AddRunRecordsAsync(run.Id, [new RunRecordEntry(sourceKey, targetKey, RecordAction.Created, null, label)], Cancellation);
        await flows.UpdateRunAsync(run with { State = RunState.Succeeded, FinishedAt = DateTimeOffset.UtcNow }, Cancellation);
        return run.Id;
    }

    private async Task<RecordHistoryEntry[]> HistoryAsync(string query) =>
        (await AdminClient().GetFromJsonAsync<RecordHistoryEntry[]>($"/api/runs/records?{query}", Cancellation))!;

    [Fact]
    public async Task A_record_number_shared_by_an_invoice_and_a_payment_finds_only_the_object_asked_for()
    {
        var invoiceRun = await LogAsync("intacct-invoices", "1", "f0000000-0000-4000-8000-000000000001", "ARINV-0001");
        var paymentRun = await LogAsync("intacct-payments", "1", "f0000000-0000-4000-8000-000000000002", "PAY-0001");

        var invoice = Assert.Single(await HistoryAsync("key=1&object=ARINVOICE"));
        Assert.Equal((invoiceRun, "ARINVOICE", "UsrIntacctInvoice"), (invoice.RunId, invoice.SourceObject, invoice.TargetObject));
        Assert.Equal(paymentRun, Assert.Single(await HistoryAsync("key=1&object=ARPYMT")).RunId);
        Assert.Empty(await HistoryAsync("key=1&object=CUSTOMER"));
        // Unscoped, the key matches in every object (each entry once).
        Assert.Equal([paymentRun, invoiceRun], (await HistoryAsync("key=1")).Select(h => h.RunId));
    }

    [Fact]
    public async Task A_binding_s_history_holds_the_runs_of_its_two_objects_each_once_and_no_other_object_s_record_number()
    {
        _ = AdminClient();
        await Sidecar.Services.GetRequiredService<BindingRepository>().RecordAsync(BindingKinds.AccountCustomer, Account, "C-1001", "1", Cancellation);
        var push = await LogAsync("creatio-accounts", Account, "C-1001", "O'Brien & Sons");
        var pull = await LogAsync("intacct-customers", "C-1001", Account, "O'Brien & Sons");
        await LogAsync("intacct-invoices", "1", "f0000000-0000-4000-8000-000000000001", "ARINV-0001");
        await LogAsync("intacct-adjustments", "1", "f0000000-0000-4000-8000-000000000003", "ADJ-0001");

        // Asked by any of the binding's keys (the Creatio Id, CUSTOMERID, or the customer's RECORDNO "1"): the same two entries.
        foreach (var key in new[] { Account, "C-1001", "1" })
        {
            var history = await HistoryAsync($"kind=account-customer&key={key}");
            Assert.Equal([pull, push], history.Select(h => h.RunId));
            Assert.Equal(["intacct-customers", "creatio-accounts"], history.Select(h => h.FlowId));
        }
    }

    [Fact]
    public async Task An_unknown_binding_kind_or_an_overlong_object_is_a_validation_problem()
    {
        Assert.Equal(HttpStatusCode.BadRequest, (await AdminClient().GetAsync("/api/runs/records?key=1&kind=invoice", Cancellation)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await AdminClient().GetAsync($"/api/runs/records?key=1&object={new string('x', 101)}", Cancellation)).StatusCode);
    }
}
