using Interweave.Sidecar.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Interweave.Sidecar.Tests.Infrastructure;

/// <summary>A fresh, empty store of one provider: a new SQLite file or a new PostgreSQL database.</summary>
public sealed class TestStore : IAsyncDisposable
{
    private readonly string? _sqliteFolder;
    private readonly PostgresServer? _reusedBy;

    private TestStore(StoreProvider provider, string connectionString, string? sqliteFolder, PostgresServer? reusedBy = null)
    {
        Provider = provider;
        ConnectionString = connectionString;
        _sqliteFolder = sqliteFolder;
        _reusedBy = reusedBy;
    }

    public StoreProvider Provider { get; }

    public string ConnectionString { get; }

    /// <summary>The SQLite database file, for tests that read the raw bytes.</summary>
    public string? SqliteFile => _sqliteFolder is null ? null : Path.Combine(_sqliteFolder, "interweave.db");

    private static readonly Lazy<Task<string>> MigratedSqliteTemplate = new(CreateMigratedSqliteTemplateAsync);

    /// <summary>
    /// A new store: empty, or with every migration applied (copied from a template migrated once per run, since
    /// the migrations are what a sidecar test would otherwise spend most of its start-up on; on PostgreSQL, a
    /// finished test's database emptied again where one is free).
    /// </summary>
    public static async Task<TestStore> CreateAsync(StoreProvider provider, PostgresServer postgres, string hint, bool migrated = false)
    {
        if (provider == StoreProvider.Postgres)
            return new TestStore(provider, await postgres.CreateDatabaseAsync(hint, migrated), null, migrated ? postgres : null);

        var folder = Directory.CreateTempSubdirectory("interweave-sqlite-").FullName;
        var file = Path.Combine(folder, "interweave.db");
        if (migrated) File.Copy(await MigratedSqliteTemplate.Value, file);
        return new TestStore(provider, $"Data Source={file}", folder);
    }

    /// <summary>Applies every migration to the store at <paramref name="connectionString"/>.</summary>
    public static async Task MigrateAsync(StoreProvider provider, string connectionString)
    {
        await using var store = new Store(Options.Create(new StorageOptions { ResolvedProvider = provider, ResolvedConnectionString = connectionString }));
        await new MigrationRunner(store, NullLogger<MigrationRunner>.Instance).ApplyAsync(CancellationToken.None);
    }

    private static async Task<string> CreateMigratedSqliteTemplateAsync()
    {
        var file = Path.Combine(Directory.CreateTempSubdirectory("interweave-sqlite-template-").FullName, "interweave.db");
        // Unpooled, so the file is closed and whole when the first copy is taken.
        await MigrateAsync(StoreProvider.Sqlite, $"Data Source={file};Pooling=false");
        return file;
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
        // Everything that wrote to it (hosts, processes) was stopped first; the next test gets it emptied.
        _reusedBy?.GiveBack(ConnectionString);
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
