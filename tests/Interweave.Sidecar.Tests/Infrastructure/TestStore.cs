using Interweave.Sidecar.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Interweave.Sidecar.Tests.Infrastructure;

/// <summary>A fresh, empty store of one provider: a new SQLite file or a new PostgreSQL database.</summary>
public sealed class TestStore : IAsyncDisposable
{
    private readonly string? _sqliteFolder;

    private TestStore(StoreProvider provider, string connectionString, string? sqliteFolder)
    {
        Provider = provider;
        ConnectionString = connectionString;
        _sqliteFolder = sqliteFolder;
    }

    public StoreProvider Provider { get; }

    public string ConnectionString { get; }

    /// <summary>The SQLite database file, for tests that read the raw bytes.</summary>
    public string? SqliteFile => _sqliteFolder is null ? null : Path.Combine(_sqliteFolder, "interweave.db");

    public static async Task<TestStore> CreateAsync(StoreProvider provider, PostgresServer postgres, string hint)
    {
        if (provider == StoreProvider.Postgres)
            return new TestStore(provider, await postgres.CreateDatabaseAsync(hint), null);

        var folder = Directory.CreateTempSubdirectory("interweave-sqlite-").FullName;
        return new TestStore(provider, $"Data Source={Path.Combine(folder, "interweave.db")}", folder);
    }

    /// <summary>A Store over this database, outside any host: for repository and migration tests.</summary>
    public Store OpenStore()
    {
        var options = new StorageOptions
        {
            ResolvedProvider = Provider,
            ResolvedConnectionString = ConnectionString,
        };
        return new Store(Options.Create(options));
    }

    public async Task<Store> OpenMigratedStoreAsync()
    {
        var store = OpenStore();
        await new MigrationRunner(store, NullLogger<MigrationRunner>.Instance).ApplyAsync(CancellationToken.None);
        return store;
    }

    public ValueTask DisposeAsync()
    {
        if (_sqliteFolder is not null)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(_sqliteFolder, recursive: true);
            }
            catch (IOException)
            {
                // A pooled handle may outlive the test by a moment; the OS temp cleaner gets the rest.
            }
        }

        return ValueTask.CompletedTask;
    }
}
