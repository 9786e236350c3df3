using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Interweave.Sidecar.Tests.Infrastructure;

namespace Interweave.Sidecar.Tests;

/// <summary>
/// What the creatio role (every Creatio user, through the package) learns of a remote failure (security review
/// 2026-12-07, F7): its class and a fixed sentence, never an internal address; admins keep the details.
/// </summary>
public sealed class CreatioRoleErrorTests(PostgresServer postgres) : HostileRemoteTestBase(postgres, remoteRetries: 0)
{
    [Fact]
    public async Task The_creatio_role_sees_failure_classes_and_fixed_messages_and_admins_see_the_address()
    {
        var admin = AdminClient();
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync("/api/connections/intacct", IntacctRequest(new Uri(Remote.Address, "endpoint/xmlgw")), Cancellation)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync("/api/connections/creatio", CreatioRequest(new Uri(Remote.Address, "cr/plain")), Cancellation)).StatusCode);
        var creatio = Sidecar.CreateClient((await CreateKeyAsync("package", "creatio")).Key);
        var address = $"127.0.0.1:{Remote.Address.Port}";
        await Remote.StopHostileAsync(); // both systems now refuse connections: the message names the address
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
