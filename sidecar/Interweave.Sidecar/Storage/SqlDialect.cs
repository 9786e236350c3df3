namespace Interweave.Sidecar.Storage;

/// <summary>
/// Every difference between PostgreSQL and SQLite that our SQL depends on lives here, and only here.
/// Migrations use <c>${name}</c> placeholders for the column types; queries use the helpers below.
/// </summary>
public sealed class SqlDialect
{
    public static readonly SqlDialect Postgres = new(StoreProvider.Postgres, new Dictionary<string, string>
    {
        ["timestamptz"] = "timestamptz",
        ["identity"] = "bigint generated always as identity primary key",
        ["bytes"] = "bytea",
        ["bigint"] = "bigint",
        // Text compared byte by byte, whatever the database's collation, so "starts with" is a range an index serves.
        ["bytewise"] = "collate \"C\"",
    });

    public static readonly SqlDialect Sqlite = new(StoreProvider.Sqlite, new Dictionary<string, string>
    {
        // ISO 8601 text sorts chronologically as long as every writer stores UTC, which TimeProvider gives us.
        ["timestamptz"] = "text",
        ["identity"] = "integer primary key autoincrement",
        ["bytes"] = "blob",
        ["bigint"] = "integer",
        ["bytewise"] = "", // SQLite compares text byte by byte (BINARY) unless told otherwise
    });

    private readonly IReadOnlyDictionary<string, string> _types;

    private SqlDialect(StoreProvider provider, IReadOnlyDictionary<string, string> types)
    {
        Provider = provider;
        _types = types;
    }

    public StoreProvider Provider { get; }

    public static SqlDialect For(StoreProvider provider) => provider == StoreProvider.Postgres ? Postgres : Sqlite;

    /// <summary>
    /// "column is one of the list in @parameter". Dapper hands a list to Npgsql as one array parameter, which
    /// PostgreSQL compares with <c>= any</c>; for SQLite Dapper expands <c>in @parameter</c> into one parameter per item.
    /// </summary>
    public string In(string column, string parameter) => Provider == StoreProvider.Postgres ? $"{column} = any(@{parameter})" : $"{column} in @{parameter}";

    /// <summary>The collation clause that makes text compare byte by byte (see the bytewise placeholder), for queries.</summary>
    public string Bytewise => _types["bytewise"];

    /// <summary>Replaces <c>${type}</c> placeholders in a migration script.</summary>
    public string ExpandMigration(string script)
    {
        foreach (var (name, type) in _types)
            script = script.Replace("${" + name + "}", type, StringComparison.Ordinal);
        if (script.Contains("${", StringComparison.Ordinal))
            throw new InvalidOperationException("A migration uses a placeholder the dialect does not define.");
        return script;
    }
}
