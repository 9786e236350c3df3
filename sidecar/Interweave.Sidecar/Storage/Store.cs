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
        var folder = Path.GetDirectoryName(Path.GetFullPath(builder.DataSource));
        if (folder is not null && builder.Mode != SqliteOpenMode.Memory) Directory.CreateDirectory(folder);
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
        // WAL lets readers run beside the single writer; busy_timeout waits instead of failing on a held lock.
        pragma.CommandText = "pragma journal_mode = wal; pragma busy_timeout = 30000;";
        await pragma.ExecuteNonQueryAsync(cancellationToken);
        return connection;
    }

    public async ValueTask DisposeAsync()
    {
        if (_postgres is not null) await _postgres.DisposeAsync();
    }
}
