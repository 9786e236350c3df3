using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Interweave.Sidecar.Api.Contracts;
using Interweave.Sidecar.Flows.Engine;
using Interweave.Sidecar.Storage;
using Interweave.Simulators.Creatio;
using Interweave.Simulators.Intacct;

namespace Interweave.Sidecar.Tests.Infrastructure;

/// <summary>
/// The sidecar in memory, connected over real HTTP to both simulators (Intacct unseeded unless the test asks for its
/// demo company, Creatio with its demo pipeline), with fast retries and no schedules (runs start only when a test
/// starts them).
/// </summary>
public abstract class SimulatedSystemsTestBase(StoreProvider provider, PostgresServer postgres, int intacctRandomSeed, string intacctSeed = "none")
    : SidecarTestBase(provider, postgres)
{
    private IntacctSimulator? _intacct;
    private CreatioSimulator? _creatio;

    protected IntacctSimulator Intacct => _intacct!;

    protected CreatioSimulator Creatio => _creatio!;

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        _intacct = await IntacctSimulator.StartAsync(new IntacctSimulatorOptions { Seed = intacctSeed, RandomSeed = intacctRandomSeed });
        _creatio = await CreatioSimulator.StartAsync(new CreatioSimulatorOptions());
        Sidecar.Settings["Interweave:Intacct:RetryBaseDelayMilliseconds"] = "1";
        Sidecar.Settings["Interweave:Intacct:MaxRetries"] = "8";
        Sidecar.Settings["Interweave:Creatio:RetryBaseDelayMilliseconds"] = "1";
        Sidecar.Settings["Interweave:Flows:SchedulerEnabled"] = "false";
        var admin = AdminClient();
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync("/api/connections/intacct", IntacctTestSettings.Request(Intacct), Cancellation)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync("/api/connections/creatio",
            new { baseUrl = Creatio.BaseAddress.ToString(), authMode = "forms", userName = "Supervisor", password = "Supervisor" }, Cancellation)).StatusCode);
    }

    /// <summary>Starts a run over HTTP and follows it at its Location until it ends.</summary>
    protected async Task<FlowRun> RunAsync(string flowId)
    {
        var started = await AdminClient().PostAsync($"/api/flows/{flowId}/runs", null, Cancellation);
        Assert.True(started.StatusCode == HttpStatusCode.Accepted, await started.Content.ReadAsStringAsync(Cancellation));
        var location = started.Headers.Location!.ToString();
        return (await Eventually.UntilAsync(() => AdminClient().GetFromJsonAsync<FlowRun>(location, Cancellation),
            r => r!.State != RunState.Running, TimeSpan.FromSeconds(60), $"the end of {location}", Cancellation))!;
    }

    /// <summary>Requests each simulator answered (Creatio's sign-ins included) while the work ran.</summary>
    protected async Task<(int Intacct, int Creatio, T Result)> CountRequestsAsync<T>(Func<Task<T>> work)
    {
        var (intacctBefore, creatioBefore) = (Intacct.RequestsReceived, Creatio.RequestsReceived + Creatio.Logins);
        var result = await work();
        return (Intacct.RequestsReceived - intacctBefore, Creatio.RequestsReceived + Creatio.Logins - creatioBefore, result);
    }

    /// <summary>
    /// The environment of a sidecar process on this test's store and key ring (so it reads the connections stored
    /// here), with fast retries and no schedules.
    /// </summary>
    protected Dictionary<string, string?> SidecarProcessEnvironment(int pageSize) => new()
    {
        ["ConnectionStrings__Interweave"] = TestStore.ConnectionString,
        ["Interweave__Storage__Provider"] = Provider == StoreProvider.Postgres ? "postgres" : "sqlite",
        ["Interweave__DataDirectory"] = Sidecar.DataDirectory,
        ["Interweave__BootstrapAdminKey"] = SidecarFactory.AdminKey,
        ["Interweave__Flows__SchedulerEnabled"] = "false",
        ["Interweave__Flows__PageSize"] = pageSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Interweave__Intacct__RetryBaseDelayMilliseconds"] = "1",
        ["Interweave__Intacct__MaxRetries"] = "8",
        ["Interweave__Creatio__RetryBaseDelayMilliseconds"] = "1",
        ["Serilog__MinimumLevel__Default"] = "Warning",
    };

    /// <summary>An admin client for a sidecar process.</summary>
    protected static HttpClient AdminClientFor(Uri address)
    {
        var client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromMinutes(5) };
        client.DefaultRequestHeaders.Add("X-Api-Key", SidecarFactory.AdminKey);
        return client;
    }

    /// <summary>Changes a Creatio record as a user would (ModifiedOn moves, as it does in Creatio).</summary>
    protected void EditInCreatio(string entity, Guid id, JsonObject values)
    {
        lock (Creatio.Data.Lock) Creatio.Data.Update(Creatio.Data.Model.Find(entity)!, Creatio.Data.Find(entity, id)!, values, CreatioData.SupervisorId);
    }

    public override async ValueTask DisposeAsync()
    {
        if (_intacct is not null) await _intacct.DisposeAsync();
        if (_creatio is not null) await _creatio.DisposeAsync();
        await base.DisposeAsync();
    }
}
