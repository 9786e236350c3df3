using System.Net.Http.Json;
using Interweave.Sidecar.Security;
using Interweave.Sidecar.Storage;
using Interweave.Sidecar.Tests.Infrastructure;
using Interweave.Simulators.Intacct;
using Serilog;
using Serilog.Events;

namespace Interweave.Sidecar.Tests;

public abstract class LoggingTests(StoreProvider provider, PostgresServer postgres) : SidecarTestBase(provider, postgres)
{
    public sealed class OnSqlite(PostgresServer postgres) : LoggingTests(StoreProvider.Sqlite, postgres);

    public sealed class OnPostgres(PostgresServer postgres) : LoggingTests(StoreProvider.Postgres, postgres);

    [Fact]
    public async Task No_secret_reaches_a_log_line()
    {
        Sidecar.Settings["Serilog:MinimumLevel:Default"] = "Debug"; // the Intacct exchanges are logged at Debug
        string[] secrets = ["Sender-Secret-51a2", "User-Secret-9be3", "Creatio-Secret-77c0", "iw_wrongkey_Wr0ngSecretValue123"];
        await using var intacct = await IntacctSimulator.StartAsync(new IntacctSimulatorOptions { Seed = "none", SenderPassword = secrets[0], UserPassword = secrets[1] });
        var admin = AdminClient();
        var saved = await admin.PutAsJsonAsync("/api/connections/intacct", IntacctTestSettings.Request(intacct), Cancellation);
        Assert.Equal(System.Net.HttpStatusCode.OK, saved.StatusCode);
        await admin.PutAsJsonAsync("/api/connections/intacct", IntacctTestSettings.Request(intacct, userPassword: secrets[1] + "-wrong"), Cancellation);
        await admin.PostAsync("/api/connections/intacct/test", null, Cancellation);
        await using var creatio = await Interweave.Simulators.Creatio.CreatioSimulator.StartAsync(new Interweave.Simulators.Creatio.CreatioSimulatorOptions { Seed = "none", UserPassword = secrets[2] });
        var creatioSaved = await admin.PutAsJsonAsync("/api/connections/creatio",
            new { baseUrl = creatio.BaseAddress.ToString(), authMode = "forms", userName = "Supervisor", password = secrets[2] }, Cancellation);
        Assert.Equal(System.Net.HttpStatusCode.OK, creatioSaved.StatusCode);
        await admin.PostAsync("/api/connections/creatio/test", null, Cancellation);
        await admin.PutAsJsonAsync("/api/connections/creatio", new { baseUrl = "nope", password = secrets[2] }, Cancellation);
        await Sidecar.CreateClient(secrets[3]).GetAsync("/api/status", Cancellation);
        var created = await (await admin.PostAsJsonAsync("/api/keys", new { name = "n", role = "admin" }, Cancellation))
            .Content.ReadFromJsonAsync<Interweave.Sidecar.Api.CreatedApiKey>(Cancellation);
        await Sidecar.CreateClient(created!.Key).GetAsync("/api/connections/intacct", Cancellation);

        await Sidecar.Logs.WaitForAsync("HTTP \"GET\" \"/api/connections/intacct\" responded 200", TimeSpan.FromSeconds(10));
        var logs = Sidecar.Logs.AllText();

        Assert.Contains("Rejected an API key", logs);
        Assert.Contains("<password>***</password>", logs); // the Intacct exchange was logged, masked
        foreach (var secret in secrets.Append(secrets[1] + "-wrong").Append(SidecarFactory.AdminKey).Append(created.Key))
            Assert.DoesNotContain(secret, logs);
    }

    [Fact]
    public void Properties_named_like_secrets_are_masked_however_deeply_nested()
    {
        var captured = new CapturedLogs();
        using (var logger = new LoggerConfiguration().Enrich.With<LogRedaction>().WriteTo.Sink(captured).CreateLogger())
        {
            logger.Information("Login {UserName} with {Password}", "ws_user", "hunter2-plain");
            logger.Information("Settings {@Settings}", new { CompanyId = "ACME", SenderPassword = "nested-plain", Inner = new { SessionId = "sess-plain" } });
            logger.Information("Headers {@Headers}", new Dictionary<string, string> { ["Cookie"] = "BPMCSRF=cookie-plain", ["Accept"] = "application/json" });
        }

        var text = captured.AllText();
        Assert.Contains("ws_user", text);
        Assert.Contains("ACME", text);
        Assert.Contains("application/json", text);
        foreach (var secret in new[] { "hunter2-plain", "nested-plain", "sess-plain", "cookie-plain" })
            Assert.DoesNotContain(secret, text);
        Assert.All(captured.Events, e => Assert.Equal(LogEventLevel.Information, e.Level));
    }
}
