using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Interweave.Simulators.Creatio;

namespace Interweave.Sidecar.Tests;

/// <summary>The Creatio simulator's wire format, compared with the shapes Creatio Academy and clio's captures show (see tools/README.md).</summary>
public sealed class CreatioSimulatorTests : IAsyncLifetime
{
    private CreatioSimulator? _simulator;
    private readonly HttpClient _http = new();

    private CreatioSimulator Simulator => _simulator!;

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _simulator = await CreatioSimulator.StartAsync(new CreatioSimulatorOptions());

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        if (_simulator is not null) await _simulator.DisposeAsync();
    }

    private async Task<(string Cookie, string Csrf)> LoginAsync()
    {
        var response = await _http.PostAsync(new Uri(Simulator.BaseAddress, "ServiceModel/AuthService.svc/Login"),
            new StringContent("{\"UserName\":\"Supervisor\",\"UserPassword\":\"Supervisor\"}", Encoding.UTF8, "application/json"), Cancellation);
        var cookies = response.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]).ToList();
        return (string.Join("; ", cookies), cookies.Single(c => c.StartsWith("BPMCSRF=", StringComparison.Ordinal))["BPMCSRF=".Length..]);
    }

    private async Task<(HttpStatusCode Status, JsonNode? Body)> SendAsync(HttpMethod method, string path, string? cookie, string? csrf = null, string? body = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(Simulator.BaseAddress, path));
        if (cookie is not null) request.Headers.Add("Cookie", cookie);
        if (csrf is not null) request.Headers.Add("BPMCSRF", csrf);
        if (body is not null) request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await _http.SendAsync(request, Cancellation);
        var text = await response.Content.ReadAsStringAsync(Cancellation);
        return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    [Fact]
    public async Task The_package_data_bindings_are_installed_like_a_first_install()
    {
        var (cookie, _) = await LoginAsync();
        var (status, body) = await SendAsync(HttpMethod.Get, "0/odata/UsrIntacctSyncStatus?$select=Id,Name,Description&$orderby=Name", cookie);

        Assert.Equal(HttpStatusCode.OK, status);
        var values = body!["value"]!.AsArray().Select(v => ((string?)v!["Name"], (string?)v["Id"])).ToList();
        Assert.Equal([("Error", "2f6e5c1a-7d3b-4b8e-9a51-0c1d2e3f4a03"), ("Not synced", "2f6e5c1a-7d3b-4b8e-9a51-0c1d2e3f4a01"), ("Synced", "2f6e5c1a-7d3b-4b8e-9a51-0c1d2e3f4a02")], values);
        Assert.All(body["value"]!.AsArray(), v => Assert.False(string.IsNullOrEmpty((string?)v!["Description"])));
    }

    [Fact]
    public async Task Metadata_is_a_csdl_document_with_every_object_its_custom_columns_and_its_lookups()
    {
        var (cookie, _) = await LoginAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(Simulator.BaseAddress, "0/odata/$metadata"));
        request.Headers.Add("Cookie", cookie);
        using var response = await _http.SendAsync(request, Cancellation);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/xml", response.Content.Headers.ContentType?.MediaType);

        var csdl = System.Xml.Linq.XDocument.Parse(await response.Content.ReadAsStringAsync(Cancellation));
        System.Xml.Linq.XNamespace edm = "http://docs.oasis-open.org/odata/ns/edm";
        var schema = csdl.Descendants(edm + "Schema").Single();
        Assert.Equal("Terrasoft.Configuration.OData", (string?)schema.Attribute("Namespace"));
        var opportunity = schema.Elements(edm + "EntityType").Single(e => (string?)e.Attribute("Name") == "Opportunity");
        string? TypeOf(System.Xml.Linq.XElement entity, string property) =>
            (string?)entity.Elements(edm + "Property").SingleOrDefault(p => (string?)p.Attribute("Name") == property)?.Attribute("Type");
        Assert.Equal("Edm.Guid", TypeOf(opportunity, "AccountId"));
        Assert.Equal("Edm.String", TypeOf(opportunity, "UsrIntacctDocumentNo")); // a column of the package
        Assert.Equal("Edm.Decimal", TypeOf(opportunity, "UsrIntacctAmountDue"));
        Assert.Equal("Terrasoft.Configuration.OData.Account",
            (string?)opportunity.Elements(edm + "NavigationProperty").Single(n => (string?)n.Attribute("Name") == "Account").Attribute("Type"));
        Assert.Contains(schema.Descendants(edm + "EntitySet"), s => (string?)s.Attribute("Name") == "UsrIntacctInvoice");

        using var cookieless = new HttpClient(new HttpClientHandler { UseCookies = false }); // _http keeps the login's cookies
        using var anonymous = await cookieless.GetAsync(new Uri(Simulator.BaseAddress, "0/odata/$metadata"), Cancellation);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode); // like any OData address
    }

    [Fact]
    public async Task Login_always_answers_200_with_a_code_and_sets_the_four_cookies()
    {
        var ok = await _http.PostAsync(new Uri(Simulator.BaseAddress, "ServiceModel/AuthService.svc/Login"), new StringContent("{\"UserName\":\"Supervisor\",\"UserPassword\":\"Supervisor\"}", Encoding.UTF8, "application/json"), Cancellation);
        var bad = await _http.PostAsync(new Uri(Simulator.BaseAddress, "0/ServiceModel/AuthService.svc/Login"), new StringContent("{\"UserName\":\"Supervisor\",\"UserPassword\":\"nope\"}", Encoding.UTF8, "application/json"), Cancellation);

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (ok.StatusCode, bad.StatusCode));
        Assert.Equal(0, (int)JsonNode.Parse(await ok.Content.ReadAsStringAsync(Cancellation))!["Code"]!);
        Assert.Equal(1, (int)JsonNode.Parse(await bad.Content.ReadAsStringAsync(Cancellation))!["Code"]!);
        var names = ok.Headers.GetValues("Set-Cookie").Select(c => c.Split('=')[0]).Order();
        Assert.Equal([".ASPXAUTH", "BPMCSRF", "BPMLOADER", "UserName"], names);
        Assert.Contains(ok.Headers.GetValues("Set-Cookie"), c => c.StartsWith("UserName=83|117|112|101|114|118|105|115|111|114;", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Without_a_session_401_and_a_write_without_bpmcsrf_is_refused()
    {
        var (status, body) = await SendAsync(HttpMethod.Get, "0/odata/Account", cookie: null);
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("Authentication failed.", (string?)body!["Message"]);

        var (cookie, csrf) = await LoginAsync();
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Get, "0/odata/Account?$top=1", cookie)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(HttpMethod.Post, "0/odata/Account", cookie, body: "{\"Name\":\"x\"}")).Status);
        Assert.Equal(HttpStatusCode.Created, (await SendAsync(HttpMethod.Post, "0/odata/Account", cookie, csrf, "{\"Name\":\"x\"}")).Status);
    }

    [Fact]
    public async Task Odata_answers_on_both_paths_with_creatio_shapes()
    {
        var (cookie, csrf) = await LoginAsync();
        var (_, collection) = await SendAsync(HttpMethod.Get, "odata/Account?$select=Id,Name&$count=true&$top=2", cookie);
        Assert.EndsWith("/odata/$metadata#Account(Id,Name)", (string?)collection!["@odata.context"]);
        Assert.True((int)collection["@odata.count"]! >= 4);
        Assert.Equal(2, collection["value"]!.AsArray().Count);

        var (created, entity) = await SendAsync(HttpMethod.Post, "0/odata/Contact", cookie, csrf, "{\"Name\":\"John Best\"}");
        Assert.Equal(HttpStatusCode.Created, created);
        Assert.EndsWith("/0/odata/$metadata#Contact/$entity", (string?)entity!["@odata.context"]);
        Assert.Equal(("John", "Best"), ((string?)entity["GivenName"], (string?)entity["Surname"]));
        Assert.Equal("00000000-0000-0000-0000-000000000000", (string?)entity["AccountId"]);
        Assert.Equal("0001-01-01T00:00:00Z", (string?)entity["BirthDate"]);
        Assert.Equal(0, (int)entity["ProcessListeners"]!);
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}Z$", (string?)entity["CreatedOn"]);

        var id = (string)entity["Id"]!;
        var (patched, patchBody) = await SendAsync(HttpMethod.Patch, $"0/odata/Contact({id})", cookie, csrf, "{\"JobTitle\":\"CFO\",\"Account\":\"ignored navigation\"}");
        Assert.Equal((HttpStatusCode.NoContent, null), (patched, patchBody));
        var (deleted, deleteBody) = await SendAsync(HttpMethod.Delete, $"0/odata/Contact({id})", cookie, csrf);
        Assert.Equal((HttpStatusCode.NoContent, null), (deleted, deleteBody));
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(HttpMethod.Get, $"0/odata/Contact({id})", cookie)).Status);
    }

    [Fact]
    public async Task Errors_come_in_creatios_envelopes()
    {
        var (cookie, csrf) = await LoginAsync();

        var (quoted, quotedBody) = await SendAsync(HttpMethod.Get, "0/odata/Account?$filter=Id eq 'a0000000-0000-4000-8000-000000000001'", cookie);
        Assert.Equal(HttpStatusCode.BadRequest, quoted);
        Assert.Equal("", (string?)quotedBody!["error"]!["code"]);
        Assert.Contains("incompatible types", (string?)quotedBody["error"]!["message"]);

        var (select, selectBody) = await SendAsync(HttpMethod.Get, "0/odata/Account?$select=Name,Foo,Bar", cookie);
        Assert.Equal(HttpStatusCode.BadRequest, select);
        Assert.Equal("The query specified in the URI is not valid. Could not find a property named 'Foo' on type 'Terrasoft.Configuration.OData.Account'.", (string?)selectBody!["error"]!["message"]);

        var (unknown, unknownBody) = await SendAsync(HttpMethod.Get, "0/odata/UsrNothing", cookie);
        Assert.Equal(HttpStatusCode.NotFound, unknown);
        Assert.Equal("No type was found that matches the controller named 'UsrNothing'.", (string?)unknownBody!["MessageDetail"]);

        var (column, columnBody) = await SendAsync(HttpMethod.Post, "0/odata/Account", cookie, csrf, "{\"Name\":\"x\",\"UsrNotInPackage\":\"y\"}");
        Assert.Equal(HttpStatusCode.BadRequest, column);
        Assert.Contains("The property 'UsrNotInPackage' does not exist on type 'Terrasoft.Configuration.OData.Account'", (string?)columnBody!["error"]!["message"]);

        var (fk, fkBody) = await SendAsync(HttpMethod.Post, "0/odata/Contact", cookie, csrf, "{\"Name\":\"x\",\"AccountId\":\"" + Guid.NewGuid() + "\"}");
        Assert.Equal(HttpStatusCode.InternalServerError, fk);
        Assert.Equal("An error has occurred.", (string?)fkBody!["error"]!["message"]);
        Assert.Equal("Npgsql.PostgresException", (string?)fkBody["error"]!["innererror"]!["type"]);

        var (top, _) = await SendAsync(HttpMethod.Get, "0/odata/Account?$top=20001", cookie);
        Assert.Equal(HttpStatusCode.BadRequest, top);
    }

    [Fact]
    public async Task A_batch_stops_at_the_first_failure_unless_told_to_continue_and_holds_at_most_100()
    {
        var (cookie, csrf) = await LoginAsync();
        const string requests = "{\"requests\":[{\"method\":\"POST\",\"url\":\"Product\",\"id\":\"1\",\"body\":{\"Name\":\"A\"}},{\"method\":\"POST\",\"url\":\"Product\",\"id\":\"2\",\"body\":{\"Nope\":1}},{\"method\":\"POST\",\"url\":\"Product\",\"id\":\"3\",\"body\":{\"Name\":\"C\"}}]}";

        var (_, stopped) = await SendAsync(HttpMethod.Post, "0/odata/$batch", cookie, csrf, requests);
        Assert.Equal([201, 400], stopped!["responses"]!.AsArray().Select(r => (int)r!["status"]!));

        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(Simulator.BaseAddress, "0/odata/$batch")) { Content = new StringContent(requests, Encoding.UTF8, "application/json") };
        request.Headers.Add("Cookie", cookie);
        request.Headers.Add("BPMCSRF", csrf);
        request.Headers.Add("Prefer", "continue-on-error");
        var continued = JsonNode.Parse(await (await _http.SendAsync(request, Cancellation)).Content.ReadAsStringAsync(Cancellation))!;
        Assert.Equal([201, 400, 201], continued["responses"]!.AsArray().Select(r => (int)r!["status"]!));

        var tooMany = "{\"requests\":[" + string.Join(',', Enumerable.Range(0, 101).Select(i => $"{{\"method\":\"GET\",\"url\":\"Account\",\"id\":\"{i}\"}}")) + "]}";
        Assert.Equal(HttpStatusCode.BadRequest, (await SendAsync(HttpMethod.Post, "0/odata/$batch", cookie, csrf, tooMany)).Status);
    }

    [Fact]
    public async Task Oauth_tokens_come_from_connect_token_and_need_no_csrf()
    {
        var token = await _http.PostAsync(new Uri(Simulator.BaseAddress, "connect/token"), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["client_id"] = Simulator.Options.ClientId,
            ["client_secret"] = Simulator.Options.ClientSecret,
            ["grant_type"] = "client_credentials",
        }), Cancellation);
        var json = JsonNode.Parse(await token.Content.ReadAsStringAsync(Cancellation))!;
        Assert.Equal(("Bearer", 3600), ((string?)json["token_type"], (int)json["expires_in"]!));

        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(Simulator.BaseAddress, "0/odata/Account")) { Content = new StringContent("{\"Name\":\"Bearer Co\"}", Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", (string)json["access_token"]!);
        Assert.Equal(HttpStatusCode.Created, (await _http.SendAsync(request, Cancellation)).StatusCode);
    }
}
