using System.Data.Common;
using Interweave.Sidecar.Configuration;
using Microsoft.Extensions.Options;

namespace Interweave.Sidecar.Storage;

public enum StoreProvider
{
    Sqlite,
    Postgres,
}

/// <summary>
/// <c>Interweave:Storage:Provider</c> (sqlite | postgres) and <c>ConnectionStrings:Interweave</c>.
/// With neither set, the embedded SQLite store lives in the data folder.
/// </summary>
public sealed class StorageOptions
{
    public const string Section = "Interweave:Storage";

    public string? Provider { get; set; }

    /// <summary>Filled from <c>ConnectionStrings:Interweave</c>.</summary>
    public string? ConnectionString { get; set; }

    internal StoreProvider ResolvedProvider { get; set; }

    internal string ResolvedConnectionString { get; set; } = "";
}

/// <summary>Works out provider and connection string once, so every consumer sees the same answer.</summary>
internal sealed class StorageOptionsSetup(IConfiguration configuration, IOptions<InterweaveOptions> interweave)
    : IPostConfigureOptions<StorageOptions>
{
    public void PostConfigure(string? name, StorageOptions options)
    {
        options.ConnectionString ??= configuration.GetConnectionString("Interweave");
        if (string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            var file = Path.Combine(interweave.Value.ResolveDataDirectory(), "interweave.db");
            options.ResolvedProvider = ParseProvider(options.Provider) ?? StoreProvider.Sqlite;
            options.ResolvedConnectionString = $"Data Source={file}";
            return;
        }

        options.ResolvedConnectionString = options.ConnectionString;
        options.ResolvedProvider = ParseProvider(options.Provider) ?? InferProvider(options.ConnectionString);
    }

    internal static StoreProvider? ParseProvider(string? provider) => provider?.Trim().ToLowerInvariant() switch
    {
        null or "" => null,
        "sqlite" => StoreProvider.Sqlite,
        "postgres" or "postgresql" or "npgsql" => StoreProvider.Postgres,
        _ => (StoreProvider)(-1),
    };

    /// <summary>PostgreSQL strings name a Host; SQLite strings name a Data Source.</summary>
    internal static StoreProvider InferProvider(string connectionString)
    {
        var builder = new DbConnectionStringBuilder();
        try
        {
            builder.ConnectionString = connectionString;
        }
        catch (ArgumentException)
        {
            return (StoreProvider)(-1);
        }
        if (builder.ContainsKey("Host") || builder.ContainsKey("Server")) return StoreProvider.Postgres;
        if (builder.ContainsKey("Data Source") || builder.ContainsKey("DataSource") || builder.ContainsKey("Filename"))
            return StoreProvider.Sqlite;
        return (StoreProvider)(-1);
    }
}

internal sealed class StorageOptionsValidator : IValidateOptions<StorageOptions>
{
    public ValidateOptionsResult Validate(string? name, StorageOptions options)
    {
        if (!Enum.IsDefined(options.ResolvedProvider))
        {
            return ValidateOptionsResult.Fail(string.IsNullOrWhiteSpace(options.Provider)
                ? "ConnectionStrings:Interweave is neither a PostgreSQL (Host=...) nor a SQLite (Data Source=...) connection string; set Interweave:Storage:Provider to 'postgres' or 'sqlite'."
                : $"Interweave:Storage:Provider must be 'sqlite' or 'postgres' (was '{options.Provider}').");
        }

        if (options.ResolvedProvider == StoreProvider.Postgres && string.IsNullOrWhiteSpace(options.ConnectionString))
            return ValidateOptionsResult.Fail("Interweave:Storage:Provider is 'postgres' but ConnectionStrings:Interweave is empty; give the PostgreSQL connection string.");

        try
        {
            _ = options.ResolvedProvider == StoreProvider.Postgres
                ? new Npgsql.NpgsqlConnectionStringBuilder(options.ResolvedConnectionString).Host
                : new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(options.ResolvedConnectionString).DataSource;
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or KeyNotFoundException)
        {
            // The message of these exceptions names the bad keyword, never the password.
            return ValidateOptionsResult.Fail($"ConnectionStrings:Interweave is not a valid {options.ResolvedProvider} connection string: {ex.Message}");
        }

        return ValidateOptionsResult.Success;
    }
}
