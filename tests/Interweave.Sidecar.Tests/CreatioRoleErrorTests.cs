using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Interweave.Sidecar.Storage;
using Interweave.Sidecar.Tests.Infrastructure;

namespace Interweave.Sidecar.Tests;

/// <summary>
/// What the creatio role (every Creatio user, through the package) learns of a remote failure (security review
/// 2026-12-07, F7): its class and a fixed sentence, never an internal address; admins keep the details.
/// </summary>
public sealed class CreatioRoleErrorTests(PostgresServer postgres) : SidecarTestBase(StoreProvider.Sqlite, postgres)
{
    private HostileRemote? _remote;

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        _remote = await HostileRemote.StartAsync();
        Sidecar.Settings["Interweave:Creatio:RetryBaseDelayMilliseconds"] = "1";
        Sidecar.Settings["Interweave:Creatio:MaxRetries"] = "0";
        Sidecar.Settings["Interweave:Intacct:RetryBaseDelayMilliseconds"] = "1";
        Sidecar.Settings["Interweave:Intacct:MaxRetries"] = "0";
    }

    public override async ValueTask DisposeAsync()
    {
        if (_remote is not null) await _remote.DisposeAsync();
        await base.DisposeAsync();
    }

    [Fact]
    public async Task The_creatio_role_sees_failure_classes_and_fixed_messages_and_admins_see_the_address()
    {
        var admin = AdminClient();
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync("/api/connections/intacct", HostileEndpointTests.IntacctRequest(new Uri(_remote!.Address, "endpoint/xmlgw")), Cancellation)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync("/api/connections/creatio", HostileEndpointTests.CreatioRequest(new Uri(_remote.Address, "cr/plain")), Cancellation)).StatusCode);
        var creatio = Sidecar.CreateClient((await CreateKeyAsync("package", "creatio")).Key);
        var address = $"127.0.0.1:{_remote.Address.Port}";
        await _remote.StopHostileAsync(); // both systems now refuse connections: the message names the address
        await admin.PostAsync("/api/connections/creatio/test", null, Cancellation);
        const string click = "/api/accounts/e0000000-0000-4000-8000-0000000000e2/sync";

        var status = await creatio.GetStringAsync("/api/status", Cancellation);
        var button = await HostileEndpointTests.ProblemAsync(await creatio.PostAsync(click, null, Cancellation), HttpStatusCode.BadGateway);

        Assert.DoesNotContain(address, status, StringComparison.Ordinal);
        Assert.Contains("An administrator has the details", (string?)JsonNode.Parse(status)!["creatio"]!["lastError"], StringComparison.Ordinal);
        Assert.DoesNotContain(address, button.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal("Transient", (string?)button["failure"]);
        Assert.Contains(address, await admin.GetStringAsync("/api/status", Cancellation), StringComparison.Ordinal);
        var adminButton = await HostileEndpointTests.ProblemAsync(await admin.PostAsync(click, null, Cancellation), HttpStatusCode.BadGateway);
        Assert.Contains(address, (string?)adminButton["detail"], StringComparison.Ordinal);
    }
}
