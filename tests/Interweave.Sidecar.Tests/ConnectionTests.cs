using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dapper;
using Interweave.Sidecar.Api;
using Interweave.Sidecar.Storage;
using Interweave.Sidecar.Tests.Infrastructure;
using Interweave.Simulators.Intacct;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Interweave.Sidecar.Tests;

public abstract class ConnectionTests(StoreProvider provider, PostgresServer postgres) : SidecarTestBase(provider, postgres)
{
    public sealed class OnSqlite(PostgresServer postgres) : ConnectionTests(StoreProvider.Sqlite, postgres);

    public sealed class OnPostgres(PostgresServer postgres) : ConnectionTests(StoreProvider.Postgres, postgres);

    private const string SenderPassword = "Sender-Pa55word-7f3a9c";
    private const string UserPassword = "User-Pa55word-b81e02";
    private const string CreatioPassword = "Creatio-Pa55word-44d1aa";
    private const string ClientSecret = "oauth-client-secret-9c0ffee";

    private IntacctSimulator? _intacct;

    private IntacctSimulator Intacct => _intacct!;

    private Interweave.Simulators.Creatio.CreatioSimulator? _creatio;

    private Interweave.Simulators.Creatio.CreatioSimulator Creatio => _creatio!;

    private string CreatioUrl => Creatio.BaseAddress.ToString().TrimEnd('/');

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        _intacct = await IntacctSimulator.StartAsync(new IntacctSimulatorOptions
        {
            Seed = "none",
            CompanyId = "ACME-DEMO",
            SenderPassword = SenderPassword,
            UserPassword = UserPassword,
        });
        _creatio = await Interweave.Simulators.Creatio.CreatioSimulator.StartAsync(new Interweave.Simulators.Creatio.CreatioSimulatorOptions
        {
            Seed = "none",
            UserPassword = CreatioPassword,
            ClientSecret = ClientSecret,
        });
        Sidecar.Settings["Interweave:Intacct:RetryBaseDelayMilliseconds"] = "1";
        Sidecar.Settings["Interweave:Creatio:RetryBaseDelayMilliseconds"] = "1";
    }

    public override async ValueTask DisposeAsync()
    {
        if (_intacct is not null) await _intacct.DisposeAsync();
        if (_creatio is not null) await _creatio.DisposeAsync();
        await base.DisposeAsync();
    }

    private object IntacctSettings(string? endpoint = null) => new
    {
        companyId = "ACME-DEMO",
        senderId = Intacct.Options.SenderId,
        senderPassword = SenderPassword,
        userId = Intacct.Options.UserId,
        userPassword = UserPassword,
        entityId = "US01",
        endpointUrl = endpoint ?? Intacct.EndpointUrl.ToString(),
    };

    [Fact]
    public async Task Intacct_settings_are_stored_and_read_back_with_secrets_masked()
    {
        var put = await AdminClient().PutAsJsonAsync("/api/connections/intacct", IntacctSettings(), Cancellation);
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);

        var view = await AdminClient().GetFromJsonAsync<IntacctConnectionView>("/api/connections/intacct", Cancellation);
        Assert.NotNull(view);
        Assert.Equal("ACME-DEMO", view.CompanyId);
        Assert.Equal("US01", view.EntityId);
        Assert.Equal(ConnectionsApi.SecretMask, view.SenderPassword);
        Assert.Equal(ConnectionsApi.SecretMask, view.UserPassword);
        Assert.True(view.State.Configured);
        var raw = await (await AdminClient().GetAsync("/api/connections/intacct", Cancellation)).Content.ReadAsStringAsync(Cancellation);
        Assert.DoesNotContain(SenderPassword, raw);
        Assert.DoesNotContain(UserPassword, raw);
    }

    [Fact]
    public async Task A_put_without_secrets_keeps_the_stored_ones()
    {
        await AdminClient().PutAsJsonAsync("/api/connections/intacct", IntacctSettings(), Cancellation);
        var view = await AdminClient().GetFromJsonAsync<IntacctConnectionView>("/api/connections/intacct", Cancellation);

        // The GET answer sent straight back, with another entity: the masks must not replace the passwords.
        var response = await AdminClient().PutAsJsonAsync("/api/connections/intacct", view! with { EntityId = "UK01" }, Cancellation);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var stored = await Sidecar.Services.GetRequiredService<ConnectionSettingsStore>()
            .GetAsync<Interweave.Sidecar.Intacct.IntacctConnectionSettings>("intacct", Cancellation);
        Assert.Equal(SenderPassword, stored!.SenderPassword);
        Assert.Equal(UserPassword, stored.UserPassword);
        Assert.Equal("UK01", stored.EntityId);
    }

    [Fact]
    public async Task Stored_secrets_are_never_sent_to_a_host_other_than_the_one_they_were_entered_for()
    {
        await AdminClient().PutAsJsonAsync("/api/connections/intacct", IntacctSettings(), Cancellation);
        await AdminClient().PutAsJsonAsync("/api/connections/creatio",
            new { baseUrl = CreatioUrl, authMode = "forms", userName = "Supervisor", password = CreatioPassword }, Cancellation);

        // Someone with the admin key points the connections at a host of theirs, keeping the masked secrets.
        using var listener = new System.Net.HttpListener();
        int port;
        using (var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
        }
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        var received = 0;
        _ = Task.Run(async () =>
        {
            while (listener.IsListening)
            {
                var context = await listener.GetContextAsync();
                Interlocked.Increment(ref received);
                context.Response.Close();
            }
        }, Cancellation);
        var elsewhere = $"http://127.0.0.1:{port}/ia/xml/xmlgw.phtml";
        var view = await AdminClient().GetFromJsonAsync<IntacctConnectionView>("/api/connections/intacct", Cancellation);
        var intacct = await AdminClient().PutAsJsonAsync("/api/connections/intacct", view! with { EndpointUrl = elsewhere }, Cancellation);
        var creatioView = await AdminClient().GetFromJsonAsync<CreatioConnectionView>("/api/connections/creatio", Cancellation);
        var creatio = await AdminClient().PutAsJsonAsync("/api/connections/creatio", creatioView! with { BaseUrl = $"http://127.0.0.1:{port}" }, Cancellation);

        Assert.Equal(HttpStatusCode.BadRequest, intacct.StatusCode);
        var problem = JsonNode.Parse(await intacct.Content.ReadAsStringAsync(Cancellation))!;
        Assert.Contains("Enter senderPassword again", (string?)problem["errors"]!["senderPassword"]![0]);
        Assert.NotNull(problem["errors"]!["userPassword"]);
        Assert.Equal(HttpStatusCode.BadRequest, creatio.StatusCode);
        Assert.Equal(0, received); // nothing, not even a login without the password, went to the other host
        var stored = await Sidecar.Services.GetRequiredService<ConnectionSettingsStore>()
            .GetAsync<Interweave.Sidecar.Intacct.IntacctConnectionSettings>("intacct", Cancellation);
        Assert.Equal(Intacct.EndpointUrl.ToString(), stored!.EndpointUrl);
        listener.Stop();
    }

    [Fact]
    public async Task Plain_http_is_refused_for_hosts_other_than_loopback_unless_an_admin_allows_it()
    {
        var remote = await AdminClient().PutAsJsonAsync("/api/connections/intacct", IntacctSettings("http://intacct.example.com/ia/xml/xmlgw.phtml"), Cancellation);
        Assert.Equal(HttpStatusCode.BadRequest, remote.StatusCode);
        var problem = JsonNode.Parse(await remote.Content.ReadAsStringAsync(Cancellation))!;
        Assert.Contains("must use https", (string?)problem["errors"]!["endpointUrl"]![0]);

        var creatio = await AdminClient().PutAsJsonAsync("/api/connections/creatio",
            new { baseUrl = "http://crm.example.com", authMode = "forms", userName = "Supervisor", password = CreatioPassword }, Cancellation);
        Assert.Equal(HttpStatusCode.BadRequest, creatio.StatusCode);

        // Loopback is fine: nothing crosses a network.
        Assert.Equal(HttpStatusCode.OK, (await AdminClient().PutAsJsonAsync("/api/connections/intacct", IntacctSettings(), Cancellation)).StatusCode);
    }

    [Fact]
    public async Task Malformed_intacct_settings_are_refused_with_every_problem_named_and_nothing_stored()
    {
        var response = await AdminClient().PutAsJsonAsync("/api/connections/intacct",
            new { companyId = "", senderId = "s", userId = "u", userPassword = "p", endpointUrl = "ftp://nowhere" }, Cancellation);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<HttpValidationProblemDetails>(Cancellation);
        Assert.Equal(["companyId", "endpointUrl", "senderPassword"], problem!.Errors.Keys.Order());
        Assert.Equal(HttpStatusCode.NotFound, (await AdminClient().GetAsync("/api/connections/intacct", Cancellation)).StatusCode);
    }

    [Fact]
    public async Task Unparseable_json_is_a_problem_detail_not_a_crash()
    {
        var response = await AdminClient().PutAsync("/api/connections/intacct",
            new StringContent("{\"companyId\": ", Encoding.UTF8, "application/json"), Cancellation);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Creatio_forms_and_oauth_settings_are_validated_per_mode()
    {
        var forms = await AdminClient().PutAsJsonAsync("/api/connections/creatio",
            new { baseUrl = CreatioUrl, authMode = "forms", userName = "Supervisor", password = CreatioPassword }, Cancellation);
        Assert.Equal(HttpStatusCode.OK, forms.StatusCode);
        var formsView = await forms.Content.ReadFromJsonAsync<CreatioConnectionView>(Cancellation);
        Assert.Equal(ConnectionsApi.SecretMask, formsView!.Password);

        var oauthMissing = await AdminClient().PutAsJsonAsync("/api/connections/creatio",
            new { baseUrl = "https://acme.creatio.com", authMode = "oauth", clientId = "abc" }, Cancellation);
        Assert.Equal(HttpStatusCode.BadRequest, oauthMissing.StatusCode);
        var problem = await oauthMissing.Content.ReadFromJsonAsync<HttpValidationProblemDetails>(Cancellation);
        Assert.Equal(["clientSecret", "identityUrl"], problem!.Errors.Keys.Order());

        var badMode = await AdminClient().PutAsJsonAsync("/api/connections/creatio",
            new { baseUrl = "https://u:p@acme.creatio.com", authMode = "ntlm" }, Cancellation);
        var badModeProblem = await badMode.Content.ReadFromJsonAsync<HttpValidationProblemDetails>(Cancellation);
        Assert.Equal(["authMode", "baseUrl"], badModeProblem!.Errors.Keys.Order());

        var oauth = await AdminClient().PutAsJsonAsync("/api/connections/creatio",
            new { baseUrl = CreatioUrl, authMode = "oauth", clientId = Creatio.Options.ClientId, clientSecret = ClientSecret, identityUrl = CreatioUrl }, Cancellation);
        Assert.Equal(HttpStatusCode.OK, oauth.StatusCode);
        var status = await AdminClient().GetFromJsonAsync<StatusView>("/api/status", Cancellation);
        Assert.True(status!.Creatio.Configured);
        Assert.False(status.Intacct.Configured);
    }

    [Fact]
    public async Task A_raw_read_of_the_store_shows_no_secret_in_plain_text()
    {
        var intacct = await AdminClient().PutAsJsonAsync("/api/connections/intacct", IntacctSettings(), Cancellation);
        Assert.Equal(HttpStatusCode.OK, intacct.StatusCode);
        var creatio = await AdminClient().PutAsJsonAsync("/api/connections/creatio",
            new { baseUrl = CreatioUrl, authMode = "forms", userName = "Supervisor", password = CreatioPassword }, Cancellation);
        Assert.Equal(HttpStatusCode.OK, creatio.StatusCode);
        var created = await (await AdminClient().PostAsJsonAsync("/api/keys", new { name = "n", role = "creatio" }, Cancellation))
            .Content.ReadFromJsonAsync<CreatedApiKey>(Cancellation);

        var dump = await DumpStoreAsync();

        // The dump does see both connection rows: their settings as Data Protection payloads (whose base64 starts "CfDJ8").
        Assert.True(System.Text.RegularExpressions.Regex.Count(dump, "CfDJ8") >= 2, "the dump holds fewer than two protected connection rows");
        foreach (var secret in new[] { SenderPassword, UserPassword, CreatioPassword, SidecarFactory.AdminKey, created!.Key, created.Key.Split('_')[2] })
            Assert.DoesNotContain(secret, dump);
    }

    [Fact]
    public async Task Settings_survive_a_restart_because_the_key_ring_is_persisted()
    {
        await AdminClient().PutAsJsonAsync("/api/connections/intacct", IntacctSettings(), Cancellation);

        await using var restarted = new SidecarFactory(TestStore);
        restarted.Settings["Interweave:DataDirectory"] = Sidecar.DataDirectory;
        var stored = await restarted.Services.GetRequiredService<ConnectionSettingsStore>()
            .GetAsync<Interweave.Sidecar.Intacct.IntacctConnectionSettings>("intacct", Cancellation);

        Assert.Equal(UserPassword, stored!.UserPassword);
    }

    [Fact]
    public async Task Credentials_intacct_refuses_answer_422_with_its_error_correction_and_a_hint_and_nothing_is_stored()
    {
        var cases = new (object Body, string ErrorNo, string Hint)[]
        {
            (new { companyId = "ACME-DEMO", senderId = Intacct.Options.SenderId, senderPassword = SenderPassword, userId = "ws_user", userPassword = "wrong" }, "XL03000006", "Web Services user"),
            (new { companyId = "ACME-DEMO", senderId = Intacct.Options.SenderId, senderPassword = "wrong", userId = "ws_user", userPassword = UserPassword }, "XL03000006", "sender ID or sender password is wrong"),
            (new { companyId = "ACME-DEMO", senderId = "other-sender", senderPassword = "other-pass", userId = "ws_user", userPassword = UserPassword }, "XL03000006", "Company > Setup > Company > Security > Web Services authorizations"),
        };
        foreach (var (body, errorNo, hint) in cases)
        {
            var withEndpoint = System.Text.Json.JsonSerializer.SerializeToNode(body)!.AsObject();
            withEndpoint["endpointUrl"] = Intacct.EndpointUrl.ToString();
            var response = await AdminClient().PutAsJsonAsync("/api/connections/intacct", withEndpoint, Cancellation);

            Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync(Cancellation))!;
            Assert.Equal(errorNo, (string?)problem["intacctErrors"]![0]!["errorNo"]);
            // Intacct's own text reaches the admin: a bad login carries it in description2 with no correction (SDK fixtures).
            Assert.False(string.IsNullOrEmpty((string?)problem["intacctErrors"]![0]!["description"] + (string?)problem["intacctErrors"]![0]!["description2"]));
            Assert.Contains(hint, (string?)problem["hint"]);
        }

        Assert.Equal(HttpStatusCode.NotFound, (await AdminClient().GetAsync("/api/connections/intacct", Cancellation)).StatusCode);
    }

    [Fact]
    public async Task An_unreachable_intacct_answers_502_and_nothing_is_stored()
    {
        var closedPort = new Uri(Intacct.EndpointUrl.ToString());
        await Intacct.DisposeAsync();
        _intacct = null;

        var response = await AdminClient().PutAsJsonAsync("/api/connections/intacct", new
        {
            companyId = "ACME-DEMO",
            senderId = "s",
            senderPassword = "p",
            userId = "u",
            userPassword = "p",
            endpointUrl = closedPort.ToString(),
        }, Cancellation);

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync(Cancellation))!;
        Assert.Equal("Transient", (string?)problem["failure"]);
        Assert.Equal(HttpStatusCode.NotFound, (await AdminClient().GetAsync("/api/connections/intacct", Cancellation)).StatusCode);
    }

    [Fact]
    public async Task The_connection_test_checks_the_stored_settings_and_records_the_outcome()
    {
        Assert.Equal(HttpStatusCode.NotFound, (await AdminClient().PostAsync("/api/connections/intacct/test", null, Cancellation)).StatusCode);
        await AdminClient().PutAsJsonAsync("/api/connections/intacct", IntacctSettings(), Cancellation);

        var test = await AdminClient().PostAsync("/api/connections/intacct/test", null, Cancellation);
        Assert.Equal(HttpStatusCode.OK, test.StatusCode);
        var result = await test.Content.ReadFromJsonAsync<ConnectionTestResult>(Cancellation);
        Assert.Equal(("ACME-DEMO", "ws_user", "US01"), (result!.Target, result.User, result.EntityId));

        Intacct.Options.UserPassword = "changed-in-intacct";
        Sidecar.Services.GetRequiredService<Interweave.Sidecar.Intacct.IntacctSessionCache>().Clear();
        var failed = await AdminClient().PostAsync("/api/connections/intacct/test", null, Cancellation);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, failed.StatusCode);
        var status = await AdminClient().GetFromJsonAsync<StatusView>("/api/status", Cancellation);
        Assert.NotNull(status!.Intacct.LastSucceededAt);
        Assert.NotNull(status.Intacct.LastFailedAt);
        Assert.Contains("XL03000006", status.Intacct.LastError);
    }

    [Fact]
    public async Task Creatio_settings_creatio_refuses_answer_422_with_a_plain_hint_and_nothing_is_stored()
    {
        var cases = new (object Body, string Hint)[]
        {
            (new { baseUrl = CreatioUrl, authMode = "forms", userName = "Supervisor", password = "wrong" }, "user name or password"),
            (new { baseUrl = CreatioUrl + "/no-such-folder", authMode = "forms", userName = "Supervisor", password = CreatioPassword }, "base URL"),
            (new { baseUrl = CreatioUrl, authMode = "oauth", clientId = "nope", clientSecret = "nope", identityUrl = CreatioUrl }, "OAuth 2.0 integrated applications"),
        };
        Creatio.Options.DeniedEntities.Add("Account");
        cases = [.. cases, (new { baseUrl = CreatioUrl, authMode = "forms", userName = "Supervisor", password = CreatioPassword }, "Object permissions")];
        foreach (var (body, hint) in cases)
        {
            var response = await AdminClient().PutAsJsonAsync("/api/connections/creatio", body, Cancellation);
            Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
            var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync(Cancellation))!;
            Assert.Contains(hint, (string?)problem["hint"]);
        }

        // A page of the application is no site address: refused before any request (400 naming baseUrl).
        var page = await AdminClient().PutAsJsonAsync("/api/connections/creatio", new { baseUrl = CreatioUrl + "/0/Shell", authMode = "forms", userName = "Supervisor", password = CreatioPassword }, Cancellation);
        Assert.Equal(HttpStatusCode.BadRequest, page.StatusCode);
        Assert.NotNull(JsonNode.Parse(await page.Content.ReadAsStringAsync(Cancellation))!["errors"]!["baseUrl"]);
        Assert.Equal(HttpStatusCode.NotFound, (await AdminClient().GetAsync("/api/connections/creatio", Cancellation)).StatusCode);
    }

    [Fact]
    public async Task The_creatio_connection_test_checks_the_stored_settings_and_records_the_outcome()
    {
        await AdminClient().PutAsJsonAsync("/api/connections/creatio", new { baseUrl = CreatioUrl, authMode = "forms", userName = "Supervisor", password = CreatioPassword }, Cancellation);
        Assert.Equal(HttpStatusCode.OK, (await AdminClient().PostAsync("/api/connections/creatio/test", null, Cancellation)).StatusCode);

        await Creatio.DisposeAsync();
        _creatio = null;
        var failed = await AdminClient().PostAsync("/api/connections/creatio/test", null, Cancellation);

        Assert.Equal(HttpStatusCode.BadGateway, failed.StatusCode);
        var status = await AdminClient().GetFromJsonAsync<StatusView>("/api/status", Cancellation);
        Assert.NotNull(status!.Creatio.LastSucceededAt);
        Assert.NotNull(status.Creatio.LastFailedAt);
    }

    /// <summary>Everything in the store as text: every byte of the SQLite file, or every row of every table on PostgreSQL.</summary>
    private async Task<string> DumpStoreAsync()
    {
        if (TestStore.SqliteFile is { } file)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            var text = new StringBuilder();
            foreach (var path in new[] { file, file + "-wal" }.Where(File.Exists))
            {
                await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
                using var reader = new StreamReader(stream, Encoding.Latin1);
                text.Append(await reader.ReadToEndAsync(Cancellation));
            }

            return text.ToString();
        }

        await using var connection = new Npgsql.NpgsqlConnection(TestStore.ConnectionString);
        var tables = await connection.QueryAsync<string>("select table_name from information_schema.tables where table_schema = 'public'");
        var dump = new StringBuilder();
        foreach (var table in tables)
            dump.AppendLine(JsonSerializer.Serialize(await connection.QueryAsync($"select * from \"{table}\"")));
        return dump.ToString();
    }
}
