using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Interweave.Sidecar.Storage;

/// <summary>One data source per store; connections are opened per operation and disposed by the caller.</summary>
public sealed class Store : IAsyncDisposable
{
    private readonly NpgsqlDataSource? _postgres;
    private readonly string _sqliteConnectionString = "";
    private bool _walSet;

    static Store() => DateTimeOffsetHandler.Register();

    public Store(IOptions<StorageOptions> options)
    {
        var storage = options.Value;
        Provider = storage.ResolvedProvider;
        Dialect = SqlDialect.For(Provider);
        if (Provider == StoreProvider.Postgres)
        {
            _postgres = NpgsqlDataSource.Create(storage.ResolvedConnectionString);
            var postgres = new NpgsqlConnectionStringBuilder(storage.ResolvedConnectionString);
            Description = $"postgres:{postgres.Host}:{postgres.Port}/{postgres.Database}";
            return;
        }

        var builder = new SqliteConnectionStringBuilder(storage.ResolvedConnectionString)
        {
            ForeignKeys = true,
            DefaultTimeout = 30,
            Pooling = true,
        };
        if (builder.Mode == SqliteOpenMode.ReadWriteCreate && builder.DataSource is { Length: > 0 } file && file != ":memory:" && !file.StartsWith("file:", StringComparison.Ordinal))
            Security.PrivatePaths.EnsureFile(file); // 0600 in a 0700 folder when we create it: it holds hashes and protected secrets
        _sqliteConnectionString = builder.ToString();
        Description = $"sqlite:{builder.DataSource}";
    }

    public StoreProvider Provider { get; }

    public SqlDialect Dialect { get; }

    /// <summary>Where the store is, without credentials: safe for logs.</summary>
    public string Description { get; }

    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        if (_postgres is not null) return await _postgres.OpenConnectionAsync(cancellationToken);

        var connection = new SqliteConnection(_sqliteConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var pragma = connection.CreateCommand();
        // busy_timeout is per connection: wait instead of failing on a held lock. WAL (readers beside the single
        // writer) is stored in the database file, so it is set once per store.
        pragma.CommandText = Volatile.Read(ref _walSet) ? "pragma busy_timeout = 30000;" : "pragma busy_timeout = 30000; pragma journal_mode = wal;";
        await pragma.ExecuteNonQueryAsync(cancellationToken);
        Volatile.Write(ref _walSet, true);
        return connection;
    }

    public async ValueTask DisposeAsync()
    {
        if (_postgres is not null) await _postgres.DisposeAsync();
    }
}
