using Interweave.Sidecar.Storage;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Serilog.Core;

namespace Interweave.Sidecar.Tests.Infrastructure;

/// <summary>The real sidecar host in memory, on a store of the test's choosing, with logs captured.</summary>
public sealed class SidecarFactory(TestStore store) : WebApplicationFactory<Program>
{
    public const string AdminKey = "iw-test-bootstrap-admin-key-0123456789abcdef";

    /// <summary>
    /// What the tests list in Interweave:AllowedRemoteHosts: loopback, where the simulators and test servers run, then
    /// the default cloud domains (tests name such hosts in settings that are refused before any request).
    /// </summary>
    public static readonly string[] LoopbackHosts = ["127.0.0.1", "::1", "localhost", "*.intacct.com", "*.creatio.com"];

    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("interweave-data-").FullName;

    public CapturedLogs Logs { get; } = new();

    /// <summary>The host's clock; a test moves its "now" through <see cref="TestClock.Offset"/>.</summary>
    public TestClock Clock { get; } = new();

    public TestStore Store => store;

    public string DataDirectory => _dataDirectory;

    public Dictionary<string, string?> Settings { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("ConnectionStrings:Interweave", store.ConnectionString);
        builder.UseSetting("Interweave:Storage:Provider", store.Provider == StoreProvider.Postgres ? "postgres" : "sqlite");
        builder.UseSetting("Interweave:DataDirectory", _dataDirectory);
        builder.UseSetting("Interweave:BootstrapAdminKey", AdminKey);
        // Information, as a sidecar logs by default: Debug (Npgsql's commands, Quartz's polls, routing) made the
        // suite a sixth slower. The tests that prove Debug lines hold no secret raise it through Settings.
        builder.UseSetting("Serilog:MinimumLevel:Default", "Information");
        // Each test keeps its host's log (Logs); the console stays quiet so a CI failure is easy to find.
        builder.UseSetting("Interweave:LogFormat", "none");
        for (var i = 0; i < LoopbackHosts.Length; i++) builder.UseSetting($"Interweave:AllowedRemoteHosts:{i}", LoopbackHosts[i]);
        foreach (var (key, value) in Settings) builder.UseSetting(key, value);
        builder.ConfigureServices(services =>
        {
            services.AddSingleton<ILogEventSink>(Logs);
            services.AddSingleton<TimeProvider>(Clock);
        });
    }

    public HttpClient CreateClient(string? apiKey)
    {
        var client = CreateClient();
        if (apiKey is not null) client.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        return client;
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
