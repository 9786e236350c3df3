using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Interweave.Sidecar.Tests.Infrastructure;

namespace Interweave.Sidecar.Tests;

/// <summary>
/// Which addresses the sidecar calls (security review 2026-12-07, F6): only hosts that Interweave:AllowedRemoteHosts
/// lists, never a loopback or private address it does not list (checked on the resolved addresses when connecting), and
/// URLs built with UriBuilder from a base that has no query, fragment or application path.
/// </summary>
public sealed class RemoteHostsTests(PostgresServer postgres) : HostileRemoteTestBase(postgres, remoteRetries: null)
{
    /// <summary>The default list (Intacct's and Creatio's cloud domains), plus <paramref name="extra"/> in the last place.</summary>
    private void AllowOnly(string extra)
    {
        Sidecar.Settings["Interweave:AllowedRemoteHosts:0"] = "*.intacct.com";
        Sidecar.Settings["Interweave:AllowedRemoteHosts:1"] = "*.creatio.com";
        Sidecar.Settings["Interweave:AllowedRemoteHosts:2"] = extra;
    }

    private async Task PutAsync(string system, Uri url, HttpStatusCode expected, string? field = null)
    {
        var response = await AdminClient().PutAsJsonAsync($"/api/connections/{system}",
            system == "intacct" ? IntacctRequest(url) : CreatioRequest(url), Cancellation);
        var problem = await HostileEndpointTests.ProblemAsync(response, expected);
        if (field is not null) Assert.NotNull(problem["errors"]?[field]);
        Assert.True(Remote.Captured.IsEmpty, "The listener received: " + string.Join("\n", Remote.Captured));
    }

    [Theory]
    [InlineData("creatio", "internal/admin?action=delete&id=42#", "baseUrl")]
    [InlineData("creatio", "site#", "baseUrl")]
    [InlineData("creatio", "0/", "baseUrl")]
    [InlineData("creatio", "ServiceModel/AuthService.svc/Login", "baseUrl")]
    [InlineData("intacct", "internal/other?cmd=1", "endpointUrl")]
    [InlineData("intacct", "ia/xml/xmlgw.phtml#x", "endpointUrl")]
    public async Task A_url_with_a_query_a_fragment_or_an_application_path_is_refused_before_anything_is_sent(string system, string path, string field) =>
        await PutAsync(system, new Uri(Remote.CaptureAddress + path), HttpStatusCode.BadRequest, field);

    [Theory]
    [InlineData("creatio", "baseUrl")]
    [InlineData("intacct", "endpointUrl")]
    public async Task A_host_that_AllowedRemoteHosts_does_not_list_is_refused_when_entered(string system, string field)
    {
        AllowOnly("*.intacct.com");

        await PutAsync(system, Remote.CaptureAddress, HttpStatusCode.BadRequest, field);
    }

    [Theory]
    [InlineData("creatio")]
    [InlineData("intacct")]
    public async Task A_listed_name_that_resolves_to_loopback_is_refused_when_connecting(string system)
    {
        // localhost is listed by name, but its address (127.0.0.1) is not: what a public name pointing at 127.0.0.1 meets.
        AllowOnly("localhost");
        var url = new UriBuilder(Remote.CaptureAddress) { Host = "localhost" }.Uri;

        await PutAsync(system, url, HttpStatusCode.UnprocessableEntity);
    }

    [Fact]
    public async Task An_on_premises_creatio_under_a_folder_is_accepted_and_called_there()
    {
        var response = await AdminClient().PutAsJsonAsync("/api/connections/creatio", CreatioRequest(new Uri(Remote.Address, "cr/plain/")), Cancellation);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("http://" + Remote.Address.Authority + "/cr/plain/", (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync(Cancellation))!["baseUrl"]);
    }
}
