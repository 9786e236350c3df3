using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Interweave.Sidecar.Api.Contracts;
using Interweave.Sidecar.Flows.Engine;
using Interweave.Sidecar.Storage;
using Interweave.Sidecar.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Quartz;

namespace Interweave.Sidecar.Tests;

/// <summary>
/// A flow an admin turned off does nothing: its button, its runs, its retries and bulk loads are refused in words that
/// name the flow and who can turn it on, and its schedule does not fire; on both stores.
/// </summary>
public abstract class FlowSwitchTests(StoreProvider provider, PostgresServer postgres) : SimulatedSystemsTestBase(provider, postgres, intacctRandomSeed: 3)
{
    public sealed class OnSqlite(PostgresServer postgres) : FlowSwitchTests(StoreProvider.Sqlite, postgres);

    public sealed class OnPostgres(PostgresServer postgres) : FlowSwitchTests(StoreProvider.Postgres, postgres);

    private static readonly Guid WidgetRollout = Guid.Parse("d0000000-0000-4000-8000-000000000001");
    private static readonly Guid WidgetStandard = Guid.Parse("b0000000-0000-4000-8000-000000000001");

    private async Task SwitchAsync(string flowId, bool enabled)
    {
        var put = await AdminClient().PutAsJsonAsync($"/api/flows/{flowId}", new { enabled }, Cancellation);
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.Equal(enabled, (await put.Content.ReadFromJsonAsync<FlowView>(Cancellation))!.Enabled);
    }

    /// <summary>Asserts the refusal of a turned-off flow: 409, problem details naming the flow and how an admin turns it on.</summary>
    private static async Task AssertTurnedOffAsync(HttpResponseMessage response, string flowId)
    {
        var body = await response.Content.ReadAsStringAsync(Cancellation);
        Assert.True(response.StatusCode == HttpStatusCode.Conflict, $"{(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(body)!;
        Assert.Equal("disabled", (string?)problem["reason"]);
        Assert.Equal(flowId, (string?)problem["flowId"]);
        Assert.Contains($"'{flowId}'", (string?)problem["detail"]);
        Assert.Contains("is turned off", (string?)problem["detail"]);
        Assert.Contains($"PUT /api/flows/{flowId}", (string?)problem["hint"]);
        Assert.Contains("Flows page", (string?)problem["hint"]);
    }

    [Fact]
    public async Task A_turned_off_send_to_intacct_refuses_the_button_and_creates_nothing_until_it_is_turned_on()
    {
        await SwitchAsync("send-to-intacct", enabled: false);
        var creatioKey = await CreateKeyAsync("package", "creatio");

        var refused = await Sidecar.CreateClient(creatioKey.Key).PostAsync($"/api/opportunities/{WidgetRollout}/send-to-intacct", null, Cancellation);

        await AssertTurnedOffAsync(refused, "send-to-intacct");
        Assert.Contains("Send to Intacct is turned off", (string?)JsonNode.Parse(await refused.Content.ReadAsStringAsync(Cancellation))!["title"]);
        Assert.Empty(Intacct.Gateway.Company.All("SODOCUMENT"));
        Assert.Empty(Intacct.Gateway.Company.All("CUSTOMER"));
        Assert.True(string.IsNullOrEmpty(Creatio.Data.Find("Opportunity", WidgetRollout)!["UsrIntacctDocumentNo"] as string));

        await SwitchAsync("send-to-intacct", enabled: true);
        var sent = await AdminClient().PostAsync($"/api/opportunities/{WidgetRollout}/send-to-intacct", null, Cancellation);
        Assert.Equal(HttpStatusCode.OK, sent.StatusCode);
        Assert.Single(Intacct.Gateway.Company.All("SODOCUMENT"));
    }

    [Theory]
    [InlineData("creatio-accounts", "accounts", "a0000000-0000-4000-8000-000000000001", "CUSTOMER")]
    [InlineData("creatio-products", "products", "b0000000-0000-4000-8000-000000000001", "ITEM")]
    public async Task A_turned_off_push_refuses_its_sync_button_and_writes_nothing_to_Intacct(string flowId, string route, string recordId, string intacctObject)
    {
        await SwitchAsync(flowId, enabled: false);

        var refused = await AdminClient().PostAsync($"/api/{route}/{recordId}/sync", null, Cancellation);

        await AssertTurnedOffAsync(refused, flowId);
        Assert.Empty(Intacct.Gateway.Company.All(intacctObject));
    }

    [Fact]
    public async Task With_the_pull_back_turned_off_a_sync_button_pushes_and_brings_nothing_back_from_Intacct()
    {
        Assert.Equal(HttpStatusCode.OK, (await AdminClient().PostAsync($"/api/products/{WidgetStandard}/sync", null, Cancellation)).StatusCode);
        await SwitchAsync("intacct-items", enabled: false);
        var product = Creatio.Data.Find("Product", WidgetStandard)!;
        product["Name"] = "Standard Widget v2";
        product["Price"] = 55.25m; // Intacct owns the price: the pull back would set it to the item's 49.50

        var synced = await AdminClient().PostAsync($"/api/products/{WidgetStandard}/sync", null, Cancellation);

        Assert.Equal(HttpStatusCode.OK, synced.StatusCode);
        Assert.Equal("Standard Widget v2", Assert.Single(Intacct.Gateway.Company.All("ITEM")).Element("NAME")!.Value);
        Assert.Equal(55.25m, Creatio.Data.Find("Product", WidgetStandard)!["Price"]);
    }

    [Fact]
    public async Task A_turned_off_pull_refuses_manual_runs_retries_and_bulk_loads_and_starts_no_run()
    {
        // An open error on intacct-invoices: its customer is not linked.
        await IntacctDirect.CreateAsync(Intacct, "CUSTOMER", ("CUSTOMERID", "C-9001"), ("NAME", "Unlinked Ltd"));
        IntacctDirect.Invoice(Intacct, "C-9001", new DateOnly(2026, 11, 2), 120.00m);
        Assert.Equal(1, (await RunAsync("intacct-invoices")).FailedCount);
        var error = Assert.Single((await AdminClient().GetFromJsonAsync<SyncError[]>("/api/errors", Cancellation))!);
        var runsBefore = (await AdminClient().GetFromJsonAsync<FlowRun[]>("/api/runs", Cancellation))!.Length;
        await SwitchAsync("intacct-invoices", enabled: false);

        await AssertTurnedOffAsync(await AdminClient().PostAsync("/api/flows/intacct-invoices/runs", null, Cancellation), "intacct-invoices");
        await AssertTurnedOffAsync(await AdminClient().PostAsync($"/api/errors/{error.Id}/retry", null, Cancellation), "intacct-invoices");
        await AssertTurnedOffAsync(await AdminClient().PostAsJsonAsync("/api/bulk-loads", new { }, Cancellation), "intacct-invoices");

        Assert.Equal(runsBefore, (await AdminClient().GetFromJsonAsync<FlowRun[]>("/api/runs", Cancellation))!.Length);
        var still = Assert.Single((await AdminClient().GetFromJsonAsync<SyncError[]>("/api/errors", Cancellation))!);
        Assert.Equal((ErrorStatus.Open, error.Occurrences), (still.Status, still.Occurrences));
        Assert.Empty(await AdminClient().GetFromJsonAsync<JsonArray>("/api/bulk-loads", Cancellation) ?? []);
    }

    [Fact]
    public async Task A_turned_off_flow_has_no_scheduled_job_and_a_scheduled_start_that_races_the_switch_is_refused()
    {
        await using var scheduled = new SidecarFactory(TestStore);
        scheduled.Settings["Interweave:Flows:SchedulerEnabled"] = "true";
        var admin = scheduled.CreateClient(SidecarFactory.AdminKey);
        var scheduler = await scheduled.Services.GetRequiredService<ISchedulerFactory>().GetScheduler(Cancellation);
        var job = new JobKey("intacct-payments", FlowScheduler.JobGroup);
        Assert.NotNull(await scheduler.GetJobDetail(job, Cancellation));

        var off = await admin.PutAsJsonAsync("/api/flows/intacct-payments", new { enabled = false }, Cancellation);

        Assert.Equal(HttpStatusCode.OK, off.StatusCode);
        Assert.Null(await scheduler.GetJobDetail(job, Cancellation));
        Assert.Null((await off.Content.ReadFromJsonAsync<FlowView>(Cancellation))!.NextRunAt);
        var refused = await Assert.ThrowsAsync<FlowRefusedException>(() => scheduled.Services.GetRequiredService<FlowRunner>().RunAsync("intacct-payments", "schedule", Cancellation));
        Assert.Equal(RefusalReason.Disabled, refused.Reason);

        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync("/api/flows/intacct-payments", new { enabled = true }, Cancellation)).StatusCode);
        Assert.NotNull(await scheduler.GetJobDetail(job, Cancellation));
    }
}
