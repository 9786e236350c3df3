using System.Net.Http.Json;
using Interweave.Sidecar.Storage;

namespace Interweave.Sidecar.Tests.Infrastructure;

/// <summary>
/// Base of every test that touches the store. Each concrete test class derives twice, once per provider
/// (nested OnSqlite and OnPostgres classes), so every store test runs on both; each test gets a fresh store.
/// </summary>
public abstract class StoreTestBase(StoreProvider provider, PostgresServer postgres) : IAsyncLifetime
{
    private TestStore? _store;

    protected StoreProvider Provider => provider;

    protected PostgresServer Postgres => postgres;

    protected TestStore TestStore => _store ?? throw new InvalidOperationException("The store is created in InitializeAsync.");

    protected static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    /// <summary>Whether each test's store starts with the migrations applied (as any running sidecar's store has).</summary>
    protected virtual bool StoreStartsMigrated => false;

    public virtual async ValueTask InitializeAsync()
    {
        _store = await TestStore.CreateAsync(provider, postgres, GetType().DeclaringType?.Name ?? GetType().Name, StoreStartsMigrated);
    }

    public virtual async ValueTask DisposeAsync()
    {
        if (_store is not null) await _store.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}

/// <summary>A store test class that also runs the sidecar host in memory over its store.</summary>
public abstract class SidecarTestBase(StoreProvider provider, PostgresServer postgres) : StoreTestBase(provider, postgres)
{
    private SidecarFactory? _factory;

    protected SidecarFactory Sidecar => _factory ??= CreateFactory();

    // The host still runs its migration check at start; the store it finds is current, as after any upgrade.
    protected override bool StoreStartsMigrated => true;

    protected HttpClient AdminClient() => Sidecar.CreateClient(SidecarFactory.AdminKey);

    /// <summary>A new API key of the role, made through the API as an admin would.</summary>
    protected async Task<Interweave.Sidecar.Api.CreatedApiKey> CreateKeyAsync(string name, string role)
    {
        var response = await AdminClient().PostAsJsonAsync("/api/keys", new { name, role }, Cancellation);
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<Interweave.Sidecar.Api.CreatedApiKey>(Cancellation))!;
    }

    protected virtual SidecarFactory CreateFactory() => new(TestStore);

    public override async ValueTask DisposeAsync()
    {
        if (_factory is not null) await _factory.DisposeAsync();
        await base.DisposeAsync();
    }
}
