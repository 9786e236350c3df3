using System.Data.Common;
using Dapper;

namespace Interweave.Sidecar.Storage;

public static class BindingKinds
{
    public const string AccountCustomer = "account-customer";
    public const string ProductItem = "product-item";
    public const string OpportunityDocument = "opportunity-document";
}

/// <summary>A row of bindings: which Creatio record is which Intacct record (a claim while the Intacct id is not known yet).</summary>
public sealed record StoredBinding
{
    public string Kind { get; init; } = "";
    public string CreatioId { get; init; } = "";
    public string? IntacctId { get; init; }
    public string? IntacctRecordNo { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
}

public sealed class BindingRepository(Store store, TimeProvider time)
{
    internal const string Columns = "kind as Kind, creatio_id as CreatioId, intacct_id as IntacctId, intacct_record_no as IntacctRecordNo, created_at as CreatedAt, updated_at as UpdatedAt";

    public async Task<StoredBinding?> GetAsync(string kind, string creatioId, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<StoredBinding>(new CommandDefinition(
            $"select {Columns} from bindings where kind = @kind and creatio_id = @creatioId", new { kind, creatioId }, cancellationToken: cancellationToken));
    }

    /// <summary>The Creatio record bound to an Intacct id (claims, which have no Intacct id yet, never match).</summary>
    public async Task<StoredBinding?> FindByIntacctIdAsync(string kind, string intacctId, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<StoredBinding>(new CommandDefinition(
            $"select {Columns} from bindings where kind = @kind and intacct_id = @intacctId", new { kind, intacctId }, cancellationToken: cancellationToken));
    }

    /// <summary>The bindings of many Intacct ids at once (claims never match), by Intacct id.</summary>
    public async Task<IReadOnlyDictionary<string, StoredBinding>> FindManyByIntacctIdAsync(string kind, IEnumerable<string> intacctIds, CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, StoredBinding>(StringComparer.Ordinal);
        await using var connection = await store.OpenAsync(cancellationToken);
        foreach (var ids in intacctIds.Distinct(StringComparer.Ordinal).Chunk(500))
            foreach (var binding in await connection.QueryAsync<StoredBinding>(new CommandDefinition(
                         $"select {Columns} from bindings where kind = @kind and {store.Dialect.In("intacct_id", "ids")}", new { kind, ids }, cancellationToken: cancellationToken)))
                found[binding.IntacctId!] = binding;
        return found;
    }

    /// <summary>The bindings (and claims) of many Creatio records at once, by Creatio Id as stored.</summary>
    public async Task<IReadOnlyDictionary<string, StoredBinding>> GetManyAsync(string kind, IEnumerable<string> creatioIds, CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, StoredBinding>(StringComparer.OrdinalIgnoreCase);
        await using var connection = await store.OpenAsync(cancellationToken);
        foreach (var ids in creatioIds.Distinct(StringComparer.OrdinalIgnoreCase).Chunk(500))
            foreach (var binding in await connection.QueryAsync<StoredBinding>(new CommandDefinition(
                         $"select {Columns} from bindings where kind = @kind and {store.Dialect.In("creatio_id", "ids")}", new { kind, ids }, cancellationToken: cancellationToken)))
                found[binding.CreatioId] = binding;
        return found;
    }

    /// <summary>Records (or moves) many bindings in one transaction.</summary>
    public async Task RecordManyAsync(string kind, IReadOnlyList<(string CreatioId, string IntacctId, string? RecordNo)> bindings, CancellationToken cancellationToken)
    {
        if (bindings.Count == 0) return;
        var now = time.GetUtcNow();
        await using var connection = await store.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(RecordSql,
            bindings.Select(b => new { kind, creatioId = b.CreatioId, intacctId = b.IntacctId, recordNo = b.RecordNo, now }), transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
    }

    private const string RecordSql = """
        insert into bindings (kind, creatio_id, intacct_id, intacct_record_no, created_at, updated_at)
        values (@kind, @creatioId, @intacctId, @recordNo, @now, @now)
        on conflict (kind, creatio_id) do update set
            intacct_id = excluded.intacct_id, intacct_record_no = excluded.intacct_record_no, updated_at = excluded.updated_at
        """;

    /// <summary>The bindings with this key on either side (Creatio Id, Intacct id, Intacct record number), of one kind or all, at most <paramref name="limit"/>.</summary>
    public async Task<IReadOnlyList<StoredBinding>> FindByAnyKeyAsync(string? kind, string key, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<StoredBinding>(new CommandDefinition($"""
            select {Columns} from bindings
            where (@kind is null or kind = @kind) and (lower(creatio_id) = lower(@key) or intacct_id = @key or intacct_record_no = @key)
            order by kind, creatio_id limit @limit
            """, new { kind, key, limit }, cancellationToken: cancellationToken));
        return rows.AsList();
    }

    /// <summary>
    /// A page of bindings in the API's order (kind, then Creatio id): at most <paramref name="limit"/>, after
    /// <paramref name="afterCreatioId"/> within <paramref name="kind"/> (the caller gives a kind with it).
    /// </summary>
    public async Task<IReadOnlyList<StoredBinding>> ListPageAsync(string? kind, string? afterCreatioId, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<StoredBinding>(new CommandDefinition(
            $"""
            select {Columns} from bindings where (@kind is null or kind = @kind) and (@afterCreatioId is null or creatio_id > @afterCreatioId)
            order by kind, creatio_id limit @limit
            """, new { kind, afterCreatioId, limit }, cancellationToken: cancellationToken));
        return rows.AsList();
    }

    public async Task<IReadOnlyList<StoredBinding>> ListAsync(string? kind, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<StoredBinding>(new CommandDefinition(
            $"select {Columns} from bindings where (@kind is null or kind = @kind) order by kind, creatio_id", new { kind }, cancellationToken: cancellationToken));
        return rows.AsList();
    }

    /// <summary>A claim older than this was left by a process that crashed mid-send; the next caller takes it over.</summary>
    public static readonly TimeSpan StaleClaim = TimeSpan.FromMinutes(5);

    /// <summary>Takes the record for this caller; false when another caller holds a live claim or has bound it.</summary>
    public async Task<bool> TryClaimAsync(string kind, string creatioId, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        var now = time.GetUtcNow();
        try
        {
            if (await connection.ExecuteAsync(new CommandDefinition(
                    "insert into bindings (kind, creatio_id, created_at, updated_at) values (@kind, @creatioId, @now, @now) on conflict do nothing",
                    new { kind, creatioId, now }, cancellationToken: cancellationToken)) == 1)
                return true;
            return await connection.ExecuteAsync(new CommandDefinition(
                "update bindings set updated_at = @now where kind = @kind and creatio_id = @creatioId and intacct_id is null and updated_at < @stale",
                new { kind, creatioId, now, stale = now - StaleClaim }, cancellationToken: cancellationToken)) == 1;
        }
        catch (DbException)
        {
            return false;
        }
    }

    /// <summary>
    /// Releases every claim that never became a binding. Called at start-up: the sidecar is the only process that
    /// sends from its store (as it is for runs), so a claim found then was left by a process that died mid-send.
    /// Safe against duplicates: a send looks for the opportunity's document in Intacct before it creates one.
    /// </summary>
    public async Task<int> ReleaseAllClaimsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition("delete from bindings where intacct_id is null", cancellationToken: cancellationToken));
    }

    /// <summary>Gives up a claim that never became a binding (the send failed before anything was created).</summary>
    public async Task ReleaseClaimAsync(string kind, string creatioId, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "delete from bindings where kind = @kind and creatio_id = @creatioId and intacct_id is null", new { kind, creatioId }, cancellationToken: cancellationToken));
    }

    /// <summary>Records (or moves) a binding. Not named BindAsync: minimal APIs would take that for a parameter binder.</summary>
    public async Task RecordAsync(string kind, string creatioId, string intacctId, string? recordNo, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        var now = time.GetUtcNow();
        await connection.ExecuteAsync(new CommandDefinition(
            """
            insert into bindings (kind, creatio_id, intacct_id, intacct_record_no, created_at, updated_at)
            values (@kind, @creatioId, @intacctId, @recordNo, @now, @now)
            on conflict (kind, creatio_id) do update set
                intacct_id = excluded.intacct_id, intacct_record_no = excluded.intacct_record_no, updated_at = excluded.updated_at
            """, new { kind, creatioId, intacctId, recordNo, now }, cancellationToken: cancellationToken));
    }

    /// <summary>Removes a binding (an admin's unlink); a send's claim, which has no Intacct id yet, is left alone.</summary>
    public async Task<bool> DeleteAsync(string kind, string creatioId, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition("delete from bindings where kind = @kind and creatio_id = @creatioId and intacct_id is not null",
            new { kind, creatioId }, cancellationToken: cancellationToken)) > 0;
    }
}
