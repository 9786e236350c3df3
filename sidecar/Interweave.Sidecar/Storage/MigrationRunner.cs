using System.Data.Common;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using Dapper;

namespace Interweave.Sidecar.Storage;

public sealed record Migration(int Version, string Name, string Script, string Checksum);

/// <summary>
/// Applies the numbered scripts in Storage/Migrations in order, each in its own transaction, forward only.
/// On PostgreSQL an advisory lock makes concurrent start-ups take turns; an applied script whose text
/// changed afterwards stops the start-up, because the schema would no longer match the code.
/// </summary>
public sealed class MigrationRunner(Store store, ILogger<MigrationRunner> log)
{
    // Any constant will do as long as nothing else in the database uses it: "interweave" in ASCII, truncated.
    private const long AdvisoryLockKey = 0x696e746572776561;

    public static IReadOnlyList<Migration> Embedded { get; } = LoadEmbedded();

    public async Task<int> ApplyAsync(CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        if (store.Provider == StoreProvider.Postgres)
            await connection.ExecuteAsync(new CommandDefinition("select pg_advisory_lock(@key)", new { key = AdvisoryLockKey }, cancellationToken: cancellationToken));
        try
        {
            return await ApplyLockedAsync(connection, cancellationToken);
        }
        finally
        {
            if (store.Provider == StoreProvider.Postgres)
                await connection.ExecuteAsync(new CommandDefinition("select pg_advisory_unlock(@key)", new { key = AdvisoryLockKey }, cancellationToken: CancellationToken.None));
        }
    }

    /// <summary>True when every embedded migration is applied: the readiness probe's question.</summary>
    public async Task<bool> IsCurrentAsync(CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        try
        {
            var applied = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                "select count(*) from schema_migrations", cancellationToken: cancellationToken));
            return applied >= Embedded.Count;
        }
        catch (DbException)
        {
            return false;
        }
    }

    private async Task<int> ApplyLockedAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        await connection.ExecuteAsync(new CommandDefinition(store.Dialect.ExpandMigration("""
            create table if not exists schema_migrations (
                version integer not null constraint pk_schema_migrations primary key,
                name text not null,
                checksum text not null,
                applied_at ${timestamptz} not null
            )
            """), cancellationToken: cancellationToken));

        var applied = (await connection.QueryAsync<(long Version, string Name, string Checksum)>(new CommandDefinition(
            "select version, name, checksum from schema_migrations", cancellationToken: cancellationToken)))
            .ToDictionary(row => (int)row.Version);

        var count = 0;
        foreach (var migration in Embedded)
        {
            if (applied.TryGetValue(migration.Version, out var existing))
            {
                if (existing.Checksum != migration.Checksum)
                    throw new InvalidOperationException(
                        $"Migration {migration.Version:0000}_{migration.Name} was changed after it was applied; add a new migration instead.");
                continue;
            }

            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await connection.ExecuteAsync(new CommandDefinition(store.Dialect.ExpandMigration(migration.Script), transaction: transaction, cancellationToken: cancellationToken));
            await connection.ExecuteAsync(new CommandDefinition(
                "insert into schema_migrations (version, name, checksum, applied_at) values (@Version, @Name, @Checksum, @AppliedAt)",
                new { migration.Version, migration.Name, migration.Checksum, AppliedAt = DateTimeOffset.UtcNow },
                transaction, cancellationToken: cancellationToken));
            await transaction.CommitAsync(cancellationToken);
            log.LogInformation("Applied migration {Version} {Name} to {Store}", migration.Version, migration.Name, store.Description);
            count++;
        }

        return count;
    }

    private static List<Migration> LoadEmbedded()
    {
        var assembly = Assembly.GetExecutingAssembly();
        var migrations = new List<Migration>();
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith("Migrations.", StringComparison.Ordinal)))
        {
            var fileName = resource["Migrations.".Length..^".sql".Length];
            var separator = fileName.IndexOf('_', StringComparison.Ordinal);
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream, Encoding.UTF8);
            var script = reader.ReadToEnd().Replace("\r\n", "\n", StringComparison.Ordinal);
            var checksum = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(script)));
            migrations.Add(new Migration(int.Parse(fileName[..separator], System.Globalization.CultureInfo.InvariantCulture), fileName[(separator + 1)..], script, checksum));
        }

        migrations.Sort((a, b) => a.Version.CompareTo(b.Version));
        if (migrations.Select(m => m.Version).Distinct().Count() != migrations.Count)
            throw new InvalidOperationException("Two migrations share a version number.");
        return migrations;
    }
}

/// <summary>Applies migrations before the server accepts requests.</summary>
internal sealed class MigrationHostedService(MigrationRunner runner) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => runner.ApplyAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
