using Dapper;

namespace Interweave.Sidecar.Storage;

/// <summary>A row as Dapper reads it: settable properties, so type handlers apply (positional records bypass them).</summary>
public sealed record ApiKeyRecord
{
    public string Id { get; init; } = "";
    public string Name { get; init; } = "";
    public string Role { get; init; } = "";
    public string Prefix { get; init; } = "";
    public string KeyHash { get; init; } = "";
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? LastUsedAt { get; init; }
    public DateTimeOffset? RevokedAt { get; init; }
}

public sealed class ApiKeyRepository(Store store)
{
    private const string Columns = "id as Id, name as Name, role as Role, prefix as Prefix, key_hash as KeyHash, created_at as CreatedAt, last_used_at as LastUsedAt, revoked_at as RevokedAt";

    public async Task InsertAsync(ApiKeyRecord key, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            insert into api_keys (id, name, role, prefix, key_hash, created_at)
            values (@Id, @Name, @Role, @Prefix, @KeyHash, @CreatedAt)
            """, key, cancellationToken: cancellationToken));
    }

    /// <summary>
    /// Inserts the key unless an active key already has its name (compared without case, so "Ops" and "ops" cannot
    /// both be live); false then. One statement, so a second create racing the first finds the first's row.
    /// </summary>
    public async Task<bool> TryInsertWithUniqueNameAsync(ApiKeyRecord key, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            """
            insert into api_keys (id, name, role, prefix, key_hash, created_at)
            select @Id, @Name, @Role, @Prefix, @KeyHash, @CreatedAt
            where not exists (select 1 from api_keys where lower(name) = lower(@Name) and revoked_at is null)
            """, key, cancellationToken: cancellationToken)) == 1;
    }

    public async Task<ApiKeyRecord?> FindByPrefixAsync(string prefix, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<ApiKeyRecord>(new CommandDefinition(
            $"select {Columns} from api_keys where prefix = @prefix", new { prefix }, cancellationToken: cancellationToken));
    }

    /// <summary>Rows whose prefix starts with <paramref name="start"/> (which holds no LIKE wildcard).</summary>
    public async Task<IReadOnlyList<ApiKeyRecord>> ListByPrefixStartAsync(string start, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<ApiKeyRecord>(new CommandDefinition(
            $"select {Columns} from api_keys where prefix like @pattern order by created_at, id", new { pattern = start + "%" }, cancellationToken: cancellationToken));
        return rows.AsList();
    }

    /// <summary>Stores a key's row under a new prefix and hash (the key itself is unchanged).</summary>
    public async Task ReplaceHashAsync(string id, string prefix, string keyHash, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "update api_keys set prefix = @prefix, key_hash = @keyHash where id = @id", new { id, prefix, keyHash }, cancellationToken: cancellationToken));
    }

    public async Task<ApiKeyRecord?> FindByIdAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<ApiKeyRecord>(new CommandDefinition(
            $"select {Columns} from api_keys where id = @id", new { id }, cancellationToken: cancellationToken));
    }

    public async Task<IReadOnlyList<ApiKeyRecord>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<ApiKeyRecord>(new CommandDefinition(
            $"select {Columns} from api_keys order by created_at, id", cancellationToken: cancellationToken));
        return rows.AsList();
    }

    /// <returns>False when no active key has that id.</returns>
    public async Task<bool> RevokeAsync(string id, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        var changed = await connection.ExecuteAsync(new CommandDefinition(
            "update api_keys set revoked_at = @now where id = @id and revoked_at is null", new { id, now }, cancellationToken: cancellationToken));
        return changed == 1;
    }

    public async Task TouchAsync(string id, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "update api_keys set last_used_at = @now where id = @id", new { id, now }, cancellationToken: cancellationToken));
    }
}
