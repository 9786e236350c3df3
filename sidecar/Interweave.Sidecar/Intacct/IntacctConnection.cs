using System.Runtime.CompilerServices;
using System.Xml.Linq;
using Interweave.Sidecar.Storage;
using Microsoft.Extensions.Options;

namespace Interweave.Sidecar.Intacct;

/// <summary>The outcome of a create that must happen at most once.</summary>
public sealed record CreateOnceResult(XElement Record, bool Created);

/// <summary>
/// Our own operations on one Intacct company. Flows use this, never XML: a REST transport could stand
/// behind the same methods later.
/// </summary>
public sealed class IntacctConnection(IntacctGatewayClient gateway, IntacctConnectionSettings settings, IntacctOptions options, ILogger log)
{
    private const int MaxUnknownOutcomeChecks = 3;

    public IntacctConnectionSettings Settings => settings;

    public Task<IntacctResponse> ExecuteAsync(IReadOnlyList<IntacctFunction> functions, bool transaction, CancellationToken cancellationToken) =>
        gateway.ExecuteAsync(settings, functions, transaction, cancellationToken);

    /// <summary>Runs one function and returns its result, or throws its failure.</summary>
    public async Task<IntacctResult> ExecuteOneAsync(IntacctFunction function, CancellationToken cancellationToken)
    {
        var result = (await ExecuteAsync([function], transaction: false, cancellationToken)).Results.Single();
        return result.Succeeded ? result : throw IntacctResponseParser.FunctionFailure(result);
    }

    /// <summary>An object's fields as lookup describes them: id (groups as dotted paths), type, custom or not, read-only or not.</summary>
    public async Task<IReadOnlyList<IntacctField>> FieldsAsync(string objectName, CancellationToken cancellationToken)
    {
        var result = await ExecuteOneAsync(new LookupObject(objectName), cancellationToken);
        return (result.Data?.Descendants("Field") ?? []).Select(f => new IntacctField(
            f.Element("ID")?.Value ?? "", f.Element("DATATYPE")?.Value ?? "", f.Element("ISCUSTOM")?.Value == "true", f.Element("READONLY")?.Value == "true"))
            .Where(f => f.Id.Length > 0).ToList();
    }

    /// <summary>Creates records in one request; returns each record's RECORDNO and id, in order.</summary>
    public async Task<IReadOnlyList<XElement>> CreateAsync(IReadOnlyList<IntacctRecord> records, CancellationToken cancellationToken) =>
        (await ExecuteOneAsync(new CreateRecords(records), cancellationToken)).Records;

    public async Task<XElement> UpdateAsync(IntacctRecord record, CancellationToken cancellationToken) =>
        (await ExecuteOneAsync(new UpdateRecord(record), cancellationToken)).Records.Single();

    public Task DeleteAsync(string objectName, IReadOnlyList<string> recordNos, CancellationToken cancellationToken) =>
        ExecuteOneAsync(new DeleteRecords(objectName, recordNos), cancellationToken);

    /// <summary>
    /// Functions per request when many independent ones are sent together. Sage documents several functions per
    /// request but no maximum that we found; 100 matches the SDKs' cap on keys per read and is our assumption.
    /// </summary>
    public const int MaxFunctionsPerRequest = 100;

    /// <summary>
    /// Runs independent, idempotent functions (updates that set values, reads) many to a request, each on its own:
    /// one entry per function, its result or its failure. A request whose answer was lost is sent again, which
    /// these functions allow. What stops every function (a refused sign-in, a transient fault that outlived the
    /// retries) is thrown.
    /// </summary>
    public async Task<IReadOnlyList<(IntacctResult? Result, IntacctException? Failure)>> ExecuteEachAsync(IReadOnlyList<IntacctFunction> functions,
        CancellationToken cancellationToken)
    {
        var outcomes = new List<(IntacctResult?, IntacctException?)>(functions.Count);
        foreach (var chunk in functions.Chunk(MaxFunctionsPerRequest))
        {
            IntacctResponse response;
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    response = await ExecuteAsync(chunk.Select(f => f with { ControlId = Guid.NewGuid().ToString("n") }).ToList(), transaction: false, cancellationToken);
                    break;
                }
                catch (IntacctException ex) when (ex.Failure == RemoteFailure.UnknownOutcome && attempt < MaxUnknownOutcomeChecks)
                {
                    log.LogWarning("A request of {Count} functions may have been carried out ({Reason}); they are idempotent, so it is sent again", chunk.Length, ex.Message);
                }
            }

            outcomes.AddRange(response.Results.Select(r => r.Succeeded ? (r, (IntacctException?)null) : ((IntacctResult?)null, IntacctResponseParser.FunctionFailure(r))));
        }

        return outcomes;
    }

    public async Task<IReadOnlyList<XElement>> ReadAsync(string objectName, IReadOnlyList<string> keys, bool byName, CancellationToken cancellationToken) =>
        (await ExecuteOneAsync(new ReadRecords(objectName, keys, byName), cancellationToken)).Records;

    /// <summary>The first record whose field equals the value (query function: the value travels as XML text).</summary>
    public async Task<XElement?> FindAsync(string objectName, string field, string value, IReadOnlyList<string> select, CancellationToken cancellationToken)
    {
        var result = await ExecuteOneAsync(new QueryRecords(objectName, select, QueryFilter.EqualTo(field, value), PageSize: 2), cancellationToken);
        return result.Records.Count > 0 ? result.Records[0] : null;
    }

    /// <summary>The whole first record whose field equals the value (readByQuery, every field, groups nested), or null.</summary>
    public async Task<XElement?> ReadOneAsync(string objectName, string field, string value, CancellationToken cancellationToken)
    {
        await foreach (var record in ReadByQueryAsync(objectName, ReadByQueryCondition.Equal(field, value), "*", cancellationToken: cancellationToken)) return record;
        return null;
    }

    /// <summary>
    /// The names of the company's active Order Entry transaction definitions, as Intacct lists them (SODOCUMENTPARAMS,
    /// https://developer.intacct.com/api/order-entry/order-entry-transaction-definitions/): each company names its own.
    /// </summary>
    public async Task<IReadOnlyList<string>> SalesTransactionDefinitionsAsync(CancellationToken cancellationToken)
    {
        var names = new List<string>();
        await foreach (var definition in ReadByQueryAsync("SODOCUMENTPARAMS", null, "DOCID,STATUS", cancellationToken: cancellationToken))
            if (definition.Element("DOCID")?.Value is { Length: > 0 } name && definition.Element("STATUS")?.Value != "inactive" && !names.Contains(name, StringComparer.Ordinal))
                names.Add(name);
        return names;
    }

    /// <summary>How many records match the condition (readByQuery's totalcount, one record read).</summary>
    public async Task<int> CountAsync(string objectName, ReadByQueryCondition? condition, CancellationToken cancellationToken) =>
        (await ExecuteOneAsync(new ReadByQuery(objectName, condition, PageSize: 1, Fields: "RECORDNO"), cancellationToken)).TotalCount ?? 0;

    /// <summary>Every record matching the condition, page by page through readMore.</summary>
    /// <remarks>
    /// A readMore whose answer was lost cannot be sent again (the gateway has moved on to the next page), so the
    /// query starts over and the records already handed out are skipped by RECORDNO: none is lost, none comes twice.
    /// </remarks>
    public async IAsyncEnumerable<XElement> ReadByQueryAsync(string objectName, ReadByQueryCondition? condition, string fields = "*", Action<int>? onTotal = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var handedOut = new HashSet<string>(StringComparer.Ordinal);
        for (var start = 1; ; start++)
        {
            var result = await ExecuteOneAsync(new ReadByQuery(objectName, condition, options.PageSize, fields), cancellationToken);
            if (result.TotalCount is { } total) onTotal?.Invoke(total); // the first page says how many the query selects
            while (true)
            {
                foreach (var record in result.Records)
                    if (record.Element("RECORDNO")?.Value is not { } recordNo || handedOut.Add(recordNo)) yield return record;
                if (result.NumRemaining is not > 0 || result.ResultId is null) yield break;
                var more = await ReadMoreAsync(result.ResultId, cancellationToken);
                if (more is null) break; // the answer was lost: start over
                result = more;
            }

            if (start == MaxUnknownOutcomeChecks)
                throw new IntacctException(RemoteFailure.Transient, IntacctErrorLevel.Transport, [], null, $"The read of {objectName} lost its place {start} times.");
            log.LogWarning("The answer to a readMore of {ObjectName} was lost; reading again from the start, skipping the {Count} records already read", objectName,
                handedOut.Count);
        }
    }

    /// <summary>The next page, or null when its answer was lost (it cannot be asked for again).</summary>
    private async Task<IntacctResult?> ReadMoreAsync(string resultId, CancellationToken cancellationToken)
    {
        try
        {
            return await ExecuteOneAsync(new ReadMore(resultId), cancellationToken);
        }
        catch (IntacctException ex) when (ex.Failure == RemoteFailure.UnknownOutcome)
        {
            return null;
        }
    }

    /// <summary>Every record the query selects, page by page through offset.</summary>
    public async IAsyncEnumerable<XElement> QueryAsync(string objectName, IReadOnlyList<string> select, QueryFilter? filter, IReadOnlyList<OrderBy>? order = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var offset = 0;
        while (true)
        {
            var result = await ExecuteOneAsync(new QueryRecords(objectName, select, filter, order, options.PageSize, offset), cancellationToken);
            foreach (var record in result.Records) yield return record;
            offset += result.Records.Count;
            if (result.NumRemaining is not > 0 || result.Records.Count == 0) yield break;
        }
    }

    /// <summary>
    /// Creates a record unless one with the key already exists. When the outcome of the create is unknown
    /// (timeout, dropped connection), the key is looked up before anything is sent again, so a retry can
    /// never make a second record.
    /// </summary>
    public Task<CreateOnceResult> CreateOnceAsync(IntacctRecord record, string keyField, string keyValue, IReadOnlyList<string> select, CancellationToken cancellationToken) =>
        CreateOnceAsync(record.ObjectName, new CreateRecords(record), keyField, keyValue, select, cancellationToken);

    /// <summary>The same guarantee for any create function (a legacy create_sotransaction, say), found afterwards in objectName.</summary>
    public async Task<CreateOnceResult> CreateOnceAsync(string objectName, IntacctFunction create, string keyField, string keyValue, IReadOnlyList<string> select, CancellationToken cancellationToken)
    {
        var existing = await FindAsync(objectName, keyField, keyValue, select, cancellationToken);
        if (existing is not null) return new CreateOnceResult(existing, Created: false);

        for (var check = 1; ; check++)
        {
            try
            {
                await ExecuteOneAsync(create with { ControlId = Guid.NewGuid().ToString("n") }, cancellationToken);
                var created = await FindAsync(objectName, keyField, keyValue, select, cancellationToken)
                    ?? throw new IntacctException(RemoteFailure.Rejected, IntacctErrorLevel.Function, [], null, $"The new {objectName} cannot be found by {keyField}.");
                return new CreateOnceResult(created, Created: true);
            }
            catch (IntacctException ex) when (ex.Failure == RemoteFailure.Conflict)
            {
                // Another worker (a concurrent click, a run) made the same record between our lookup and our create:
                // use it. A conflict with a record that is not ours (its id taken by another key) stays a refusal.
                var madeMeanwhile = await FindAsync(objectName, keyField, keyValue, select, cancellationToken);
                if (madeMeanwhile is null) throw;
                log.LogInformation("{ObjectName} {KeyField}={KeyValue} was created meanwhile by another request; using it", objectName, keyField, keyValue);
                return new CreateOnceResult(madeMeanwhile, Created: false);
            }
            catch (IntacctException ex) when (ex.Failure == RemoteFailure.UnknownOutcome && check < MaxUnknownOutcomeChecks)
            {
                log.LogWarning("Create of {ObjectName} {KeyField}={KeyValue} may not have been saved ({Reason}); looking it up before trying again",
                    objectName, keyField, keyValue, ex.Message);
                existing = await FindAsync(objectName, keyField, keyValue, select, cancellationToken);
                if (existing is not null) return new CreateOnceResult(existing, Created: true);
            }
        }
    }

    /// <summary>
    /// The connection test: a fresh login (sender, company, user) and a one-row read of customers, so a
    /// role without the permissions the flows need is caught now rather than in the first run.
    /// </summary>
    public async Task<IntacctSession> TestAsync(CancellationToken cancellationToken)
    {
        var session = await gateway.LoginAsync(settings, cancellationToken);
        await ExecuteOneAsync(new QueryRecords("CUSTOMER", ["RECORDNO"], PageSize: 1), cancellationToken);
        return session;
    }
}

/// <summary>Makes connections from the stored settings, or from settings an admin is about to save.</summary>
public sealed class IntacctConnectionFactory(IntacctGatewayClient gateway, ConnectionSettingsStore store, IOptions<IntacctOptions> options, ILoggerFactory loggers)
{
    public IntacctConnection Create(IntacctConnectionSettings settings) =>
        new(gateway, settings, options.Value, loggers.CreateLogger<IntacctConnection>());

    /// <summary>Null when Intacct is not configured.</summary>
    public async Task<IntacctConnection?> CreateFromStoreAsync(CancellationToken cancellationToken) =>
        await store.GetAsync<IntacctConnectionSettings>(IntacctConnectionSettings.System, cancellationToken) is { } settings ? Create(settings) : null;
}

/// <summary>A field of an Intacct object, from lookup.</summary>
/// <param name="Id">The field as a query names it; a field of a group is GROUP.FIELD.</param>
/// <param name="Type">Intacct's data type: TEXT, DECIMAL, INTEGER, DATE, TIMESTAMP, BOOLEAN, ENUM.</param>
/// <param name="IsCustom">A custom field the company added (ACCOUNTID, PRODUCTID).</param>
/// <param name="IsReadOnly">Set by Intacct; a flow can read it but not write it.</param>
public sealed record IntacctField(string Id, string Type, bool IsCustom, bool IsReadOnly);
