using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Interweave.Sidecar.Creatio;
using Interweave.Sidecar.Storage;
using Interweave.Sidecar.Tests.Infrastructure;
using Interweave.Simulators.Creatio;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Interweave.Sidecar.Tests;

/// <summary>The sidecar's Creatio client against the OData simulator over real HTTP.</summary>
public sealed class CreatioClientTests(PostgresServer postgres) : SidecarTestBase(StoreProvider.Sqlite, postgres)
{
    private static readonly Guid OBrien = Guid.Parse("a0000000-0000-4000-8000-000000000001");
    private static readonly Guid WidgetRollout = Guid.Parse("d0000000-0000-4000-8000-000000000001");
    private readonly FakeTimeProvider _simulatorClock = new(DateTimeOffset.UtcNow);
    private CreatioSimulator? _simulator;

    private CreatioSimulator Simulator => _simulator!;

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        _simulator = await CreatioSimulator.StartAsync(new CreatioSimulatorOptions { RandomSeed = 3 }, time: _simulatorClock);
        Sidecar.Settings["Interweave:Creatio:RetryBaseDelayMilliseconds"] = "1";
        Sidecar.Settings["Interweave:Creatio:MaxRetries"] = "8";
        Sidecar.Settings["Interweave:Creatio:PageSize"] = "2";
    }

    public override async ValueTask DisposeAsync()
    {
        if (_simulator is not null) await _simulator.DisposeAsync();
        await base.DisposeAsync();
    }

    private CreatioConnectionSettings Forms(string? password = null) =>
        new(Simulator.BaseAddress.ToString(), CreatioAuthModes.Forms, Simulator.Options.UserName, password ?? Simulator.Options.UserPassword, null, null, null);

    private CreatioConnectionSettings OAuth(string? secret = null) =>
        new(Simulator.BaseAddress.ToString(), CreatioAuthModes.OAuth, null, null, Simulator.Options.ClientId, secret ?? Simulator.Options.ClientSecret, Simulator.BaseAddress.ToString());

    private CreatioConnection Connect(CreatioConnectionSettings? settings = null) =>
        Sidecar.Services.GetRequiredService<CreatioConnectionFactory>().Create(settings ?? Forms());

    [Fact]
    public async Task Forms_login_sends_cookies_and_csrf_and_signs_in_again_once_when_the_session_expires()
    {
        var creatio = Connect();
        var account = await creatio.GetAsync("Account", OBrien, ["Id", "Name"], cancellationToken: Cancellation);
        Assert.Equal("O'Brien & Sons <UK>", (string?)account!["Name"]);
        await creatio.UpdateAsync("Account", OBrien, new JsonObject { ["UsrIntacctCustomerId"] = "C-1001" }, Cancellation); // a write: needs BPMCSRF
        Assert.Equal(1, Simulator.Logins);

        Simulator.ExpireSessions();
        var again = await creatio.GetAsync("Account", OBrien, ["UsrIntacctCustomerId"], cancellationToken: Cancellation);

        Assert.Equal("C-1001", (string?)again!["UsrIntacctCustomerId"]);
        Assert.Equal(2, Simulator.Logins);
    }

    [Fact]
    public async Task An_idle_session_times_out_and_is_renewed()
    {
        var creatio = Connect();
        await creatio.QueryAsync("Account", new CreatioQuery(Top: 1), Cancellation);
        _simulatorClock.Advance(TimeSpan.FromHours(1));

        await creatio.QueryAsync("Account", new CreatioQuery(Top: 1), Cancellation);

        Assert.Equal(2, Simulator.Logins);
    }

    [Fact]
    public async Task OAuth_client_credentials_give_a_bearer_token_that_is_reused()
    {
        var creatio = Connect(OAuth());
        var created = await creatio.CreateAsync("Case", new JsonObject { ["Subject"] = "Intacct rejected a document", ["AccountId"] = OBrien.ToString() }, Cancellation);
        await creatio.QueryAsync("Case", new CreatioQuery(CreatioFilter.Lookup("Account", OBrien)), Cancellation);

        Assert.StartsWith("SR", (string?)created["Number"]);
        Assert.Equal(1, Simulator.TokensIssued);
        Assert.Equal(0, Simulator.Logins);
        var refused = await Assert.ThrowsAsync<CreatioException>(() => Connect(OAuth("wrong")).TestAsync(Cancellation));
        Assert.Equal(RemoteFailure.Unauthorized, refused.Failure);
        Assert.Contains("OAuth 2.0 integrated applications", refused.Hint);
    }

    [Fact]
    public async Task Create_update_delete_with_creatio_defaults()
    {
        var creatio = Connect();
        var created = await creatio.CreateAsync("Account", new JsonObject { ["Name"] = "Nørrebro Design ApS" }, Cancellation);

        var id = Guid.Parse((string)created["Id"]!);
        Assert.Equal("00000000-0000-0000-0000-000000000000", (string?)created["UsrIntacctSyncStatusId"]);
        Assert.Equal("", (string?)created["UsrIntacctCustomerId"]);
        Assert.Equal("0001-01-01T00:00:00Z", (string?)created["UsrIntacctLastSyncedOn"]);
        Assert.Equal("410006e1-ca4e-4502-a9ec-e54d922d2c00", (string?)created["CreatedById"]);

        await creatio.UpdateAsync("Account", id, new JsonObject { ["UsrIntacctLastSyncedOn"] = "2026-11-24T10:00:00Z" }, Cancellation);
        Assert.StartsWith("2026-11-24T10:00:00", (string?)(await creatio.GetAsync("Account", id, cancellationToken: Cancellation))!["UsrIntacctLastSyncedOn"]);
        await creatio.DeleteAsync("Account", id, Cancellation);
        Assert.Null(await creatio.GetAsync("Account", id, cancellationToken: Cancellation));
        await creatio.DeleteAsync("Account", id, Cancellation); // a retried delete finds nothing and is fine
    }

    [Fact]
    public async Task Filters_escape_values_and_filter_lookups_through_the_navigation_path()
    {
        var creatio = Connect();
        var (byName, _) = await creatio.QueryAsync("Account", new CreatioQuery(CreatioFilter.Equal("Name", "O'Brien & Sons <UK>"), ["Id"]), Cancellation);
        Assert.Equal(OBrien.ToString(), (string?)Assert.Single(byName)["Id"]);

        var (lines, total) = await creatio.QueryAsync("OpportunityProductInterest",
            new CreatioQuery(CreatioFilter.Lookup("Opportunity", WidgetRollout), ["Quantity", "Price", "ProductId"], ["Product"], Count: true), Cancellation);
        Assert.Equal(2, total);
        Assert.Contains(lines, l => (string?)l["Product"]!["Code"] == "WIDGET-STD" && (decimal)l["Quantity"]! == 10m);

        var flat = await Assert.ThrowsAsync<CreatioException>(() => creatio.QueryAsync("Opportunity", new CreatioQuery(CreatioFilter.Equal("AccountId", OBrien)), Cancellation));
        Assert.Contains("Column by path AccountId not found", flat.Detail);
    }

    [Fact]
    public async Task Paging_reads_every_row_in_pages_of_the_configured_size()
    {
        var creatio = Connect();
        for (var i = 0; i < 5; i++) await creatio.CreateAsync("Product", new JsonObject { ["Name"] = $"Paged {i}", ["Code"] = $"PG-{i}" }, Cancellation);
        var before = Simulator.Calls.GetValueOrDefault("GET Product");

        var all = await creatio.QueryAllAsync("Product", new CreatioQuery(CreatioFilter.StartsWith("Code", "PG-"), ["Code"]), cancellationToken: Cancellation).ToListAsync(Cancellation);

        Assert.Equal(["PG-0", "PG-1", "PG-2", "PG-3", "PG-4"], all.Select(p => (string)p["Code"]!).Order());
        Assert.Equal(3, Simulator.Calls["GET Product"] - before);
    }

    [Fact]
    public async Task Batch_sends_many_writes_in_requests_of_at_most_100_and_reports_each()
    {
        var creatio = Connect();
        var operations = Enumerable.Range(0, 150)
            .Select(i => new CreatioBatchOperation(HttpMethod.Post, "Product", new JsonObject { ["Name"] = $"Batch {i}", ["Code"] = $"B-{i}" }))
            .Append(new CreatioBatchOperation(HttpMethod.Post, "Product", new JsonObject { ["NoSuchColumn"] = 1 }))
            .ToList();

        var results = await creatio.BatchAsync(operations, Cancellation);

        Assert.Equal(151, results.Count);
        Assert.Equal(150, results.Count(r => r.Status == 201));
        Assert.Equal(400, results[^1].Status);
        Assert.Equal(150, Simulator.Data.Rows("Product").Count(p => ((string)p["Code"]!).StartsWith("B-", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Transient_faults_are_retried_and_a_create_is_never_doubled()
    {
        var creatio = Connect();
        await creatio.QueryAsync("Account", new CreatioQuery(Top: 1), Cancellation);
        Simulator.Options.FaultRate = 0.4;

        for (var i = 0; i < 8; i++)
            await creatio.CreateAsync("Product", new JsonObject { ["Name"] = $"Retry {i}", ["Code"] = $"R-{i}" }, Cancellation);

        Simulator.Options.FaultRate = 0;
        Assert.True(Simulator.InjectedFaults > 0);
        for (var i = 0; i < 8; i++) Assert.Single(Simulator.Data.Rows("Product"), p => (string)p["Code"]! == $"R-{i}");
    }

    [Fact]
    public async Task Every_column_the_sidecar_uses_exists_in_the_model_read_from_the_package()
    {
        foreach (var (entitySet, columns) in CreatioSchema.Used)
        {
            var entity = Simulator.Data.Model.Find(entitySet);
            Assert.True(entity is not null, $"creatio-package/ and the standard model have no object {entitySet}.");
            foreach (var column in columns)
                Assert.True(entity.ByProperty(column) is not null, $"{entitySet}.{column} is used by the sidecar but the package does not define it.");
        }

        var (rows, _) = await Connect().QueryAsync("UsrIntacctSyncStatus", new CreatioQuery(Select: ["Name"]), Cancellation);
        Assert.Equal(["Error", "Not synced", "Synced"], rows.Select(r => (string)r["Name"]!).Order());
    }

    [Fact]
    public void A_column_removed_from_the_package_disappears_from_the_model()
    {
        var copy = Directory.CreateTempSubdirectory("interweave-package-").FullName;
        try
        {
            var source = Path.Combine(RepositoryRoot.Find(), "creatio-package", "Interweave");
            foreach (var file in Directory.GetFiles(source, "*", SearchOption.AllDirectories))
            {
                var target = Path.Combine(copy, Path.GetRelativePath(source, file));
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Copy(file, target);
            }

            var metadata = Path.Combine(copy, "Schemas", "Account", "metadata.json");
            var (columns, _) = CreatioModel.ReadDiffColumns(File.ReadAllText(metadata));
            Assert.Contains(columns, c => (string?)c["A2"] == "UsrIntacctCustomerId");
            File.WriteAllText(metadata, File.ReadAllText(metadata).Replace("\"UsrIntacctCustomerId\"", "\"UsrSomethingElse\"", StringComparison.Ordinal));

            var model = CreatioModel.Standard();
            model.LoadPackage(copy);
            Assert.Null(model.Find("Account")!.ByProperty("UsrIntacctCustomerId"));
            Assert.NotNull(model.Find("Account")!.ByProperty("UsrSomethingElse"));
        }
        finally
        {
            Directory.Delete(copy, recursive: true);
        }
    }
}
