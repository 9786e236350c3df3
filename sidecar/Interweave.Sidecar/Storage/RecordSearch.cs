using Dapper;
using Interweave.Sidecar.Flows.Engine;

namespace Interweave.Sidecar.Storage;

/// <summary>
/// The search behind GET /api/search: a record by either system's key, by its number or by its name, in the run log,
/// the bindings and the error queue. A key (a Creatio Id, a CUSTOMERID, a RECORDNO, a Case number) matches exactly; a
/// name or a document number matches from its start without case (O'Brien finds "O'Brien &amp; Sons", so0 finds
/// SO0001), as a range over lower(label) compared byte by byte, which the indexes of migration 0018 serve. Each query
/// is bounded: it reads at most <c>limit</c> rows, newest first.
/// </summary>
public sealed class RecordSearch(Store store)
{
    // The highest code point: every text that starts with the query sorts below the query followed by it, byte by byte.
    private const string Highest = "\U0010FFFF";

    /// <summary>The run log's entries whose key on either side is the query, or whose name starts with it; newest first.</summary>
    public async Task<IReadOnlyList<(StoredRunRecord Record, string FlowId)>> RunRecordsAsync(string query, int limit, CancellationToken cancellationToken)
    {
        var c = store.Dialect.Bytewise;
        await using var connection = await store.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<StoredRunRecord, string, (StoredRunRecord, string)>(new CommandDefinition($"""
            select {Prefixed(FlowStore.RunRecordColumns, "r")}, f.flow_id as FlowId
            from flow_run_records r join flow_runs f on f.id = r.run_id
            where r.id in (select id from (select id from flow_run_records where source_key = @query order by id desc limit @limit) s
                           union select id from (select id from flow_run_records where target_key = @query order by id desc limit @limit) t
                           union select id from (select id from flow_run_records
                                                 where lower(label) {c} >= lower(@query) {c} and lower(label) {c} < (lower(@query) || @highest) {c}
                                                 order by id desc limit @limit) n)
            order by r.id desc limit @limit
            """, new { query, limit, highest = Highest }, cancellationToken: cancellationToken), (record, flowId) => (record, flowId), splitOn: "FlowId");
        return rows.AsList();
    }

    /// <summary>Bindings of which one side is the query (Creatio Id, Intacct id, RECORDNO) or one of <paramref name="keys"/> (records the query found by name).</summary>
    public async Task<IReadOnlyList<StoredBinding>> BindingsAsync(string query, IReadOnlyCollection<string> keys, int limit, CancellationToken cancellationToken)
    {
        var all = keys.Append(query).Distinct(StringComparer.Ordinal).ToArray();
        await using var connection = await store.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<StoredBinding>(new CommandDefinition($"""
            select {BindingRepository.Columns} from bindings
            where {store.Dialect.In("creatio_id", "all")} or {store.Dialect.In("intacct_id", "all")} or intacct_record_no = @query
            order by updated_at desc limit @limit
            """, new { query, all, limit }, cancellationToken: cancellationToken))).AsList();
    }

    /// <summary>Errors whose record key, account or Case number is the query, or whose record's name starts with it; newest first.</summary>
    public async Task<IReadOnlyList<StoredError>> ErrorsAsync(string query, int limit, CancellationToken cancellationToken)
    {
        var c = store.Dialect.Bytewise;
        await using var connection = await store.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<StoredError>(new CommandDefinition($"""
            select {ErrorQueue.Columns} from sync_errors
            where record_key = @query or case_number = @query
               or (lower(record_label) {c} >= lower(@query) {c} and lower(record_label) {c} < (lower(@query) || @highest) {c})
            order by id desc limit @limit
            """, new { query, limit, highest = Highest }, cancellationToken: cancellationToken))).AsList();
    }

    /// <summary>"id as Id, run_id as RunId" read from alias <paramref name="alias"/>: "r.id as Id, r.run_id as RunId".</summary>
    private static string Prefixed(string columns, string alias) =>
        string.Join(", ", columns.Split(',', StringSplitOptions.TrimEntries).Select(c => $"{alias}.{c}"));
}
