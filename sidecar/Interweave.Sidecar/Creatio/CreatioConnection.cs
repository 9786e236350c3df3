using System.Globalization;
using System.Net;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Interweave.Sidecar.Storage;
using Microsoft.Extensions.Options;

namespace Interweave.Sidecar.Creatio;

/// <summary>Our own operations on one Creatio site; flows use these, never URLs.</summary>
public sealed class CreatioConnection(CreatioGatewayClient gateway, CreatioConnectionSettings settings, CreatioOptions options, ILogger log)
{
    public const int MaxBatchSize = 100;

    private static readonly Dictionary<string, string> ContinueOnError = new() { ["Prefer"] = "continue-on-error" };

    public CreatioConnectionSettings Settings => settings;

    public async Task<JsonObject?> GetAsync(string entitySet, Guid id, IReadOnlyList<string>? select = null, IReadOnlyList<string>? expand = null, CancellationToken cancellationToken = default)
    {
        try
        {
            var (_, body) = await gateway.SendAsync(settings, HttpMethod.Get, $"{Name(entitySet)}({id:D}){new CreatioQuery(Select: select, Expand: expand).ToQueryString()}", null, cancellationToken);
            return body?.AsObject();
        }
        catch (CreatioException ex) when (ex.Failure == RemoteFailure.NotFound && ex.Hint is null)
        {
            return null;
        }
    }

    /// <summary>One page; <c>Count</c> asks Creatio for the total as well.</summary>
    public async Task<(IReadOnlyList<JsonObject> Rows, int? Total)> QueryAsync(string entitySet, CreatioQuery query, CancellationToken cancellationToken = default)
    {
        var (_, body) = await gateway.SendAsync(settings, HttpMethod.Get, Name(entitySet) + query.ToQueryString(), null, cancellationToken);
        var rows = (body?["value"] as JsonArray)?.OfType<JsonObject>().ToList() ?? [];
        return (rows, (int?)body?["@odata.count"]);
    }

    /// <summary>
    /// Every row, page by page with $top/$skip over a stable order (Creatio sends no next links). With
    /// <paramref name="onTotal"/>, the first page also asks for $count and hands the total over.
    /// </summary>
    public async IAsyncEnumerable<JsonObject> QueryAllAsync(string entitySet, CreatioQuery query, Action<int>? onTotal = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var skip = 0;
        while (true)
        {
            var first = skip == 0 && onTotal is not null;
            var (rows, total) = await QueryAsync(entitySet, query with { Top = options.PageSize, Skip = skip, OrderBy = query.OrderBy ?? "Id", Count = first }, cancellationToken);
            if (first && total is { } count) onTotal!(count);
            foreach (var row in rows) yield return row;
            if (rows.Count < options.PageSize) yield break;
            skip += rows.Count;
        }
    }

    /// <summary>
    /// Creates a row with an id chosen here, so an unknown outcome can be settled by reading that id: a retry
    /// never makes a second row.
    /// </summary>
    public async Task<JsonObject> CreateAsync(string entitySet, JsonObject values, CancellationToken cancellationToken = default)
    {
        var id = values["Id"] is { } given ? Guid.Parse((string)given!) : Guid.NewGuid();
        values["Id"] = id.ToString("D");
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var (_, body) = await gateway.SendAsync(settings, HttpMethod.Post, Name(entitySet), values, cancellationToken);
                return body!.AsObject();
            }
            catch (CreatioException ex) when (ex.Failure is RemoteFailure.UnknownOutcome or RemoteFailure.Conflict && attempt <= 3)
            {
                log.LogWarning("Create of {EntitySet} {Id} may have been saved ({Reason}); reading it before trying again", entitySet, id, ex.Message);
                if (await GetAsync(entitySet, id, cancellationToken: cancellationToken) is { } existing) return existing;
                if (ex.Failure == RemoteFailure.Conflict) throw;
            }
        }
    }

    public Task UpdateAsync(string entitySet, Guid id, JsonObject values, CancellationToken cancellationToken = default) =>
        gateway.SendAsync(settings, HttpMethod.Patch, $"{Name(entitySet)}({id:D})", values, cancellationToken);

    public async Task DeleteAsync(string entitySet, Guid id, CancellationToken cancellationToken = default)
    {
        try
        {
            await gateway.SendAsync(settings, HttpMethod.Delete, $"{Name(entitySet)}({id:D})", null, cancellationToken);
        }
        catch (CreatioException ex) when (ex.Failure == RemoteFailure.NotFound)
        {
            // Already gone: what a retried delete finds.
        }
    }

    /// <summary>Sends the operations in $batch requests of at most 100, continuing past failures; one result per operation.</summary>
    public Task<IReadOnlyList<CreatioBatchResult>> BatchAsync(IReadOnlyList<CreatioBatchOperation> operations, CancellationToken cancellationToken = default) =>
        BatchAsync(operations, replaySafe: false, cancellationToken);

    /// <summary>The same, saying whether a lost answer may be met by sending the batch again (a batch of reads always may).</summary>
    public async Task<IReadOnlyList<CreatioBatchResult>> BatchAsync(IReadOnlyList<CreatioBatchOperation> operations, bool replaySafe, CancellationToken cancellationToken)
    {
        var results = new List<CreatioBatchResult>();
        foreach (var chunk in operations.Select((op, i) => op with { Id = op.Id ?? i.ToString(System.Globalization.CultureInfo.InvariantCulture) }).Chunk(MaxBatchSize))
        {
            var requests = new JsonArray(chunk.Select(op => (JsonNode)new JsonObject
            {
                ["method"] = op.Method.Method,
                ["url"] = op.Url,
                ["id"] = op.Id,
                ["headers"] = new JsonObject { ["Content-Type"] = "application/json;odata=verbose", ["Accept"] = "application/json;odata=verbose", ["Prefer"] = "continue-on-error" },
                ["body"] = op.Body?.DeepClone(),
            }).ToArray());
            var (_, body) = await gateway.SendAsync(settings, HttpMethod.Post, "$batch", new JsonObject { ["requests"] = requests }, cancellationToken, ContinueOnError,
                replaySafe || chunk.All(op => op.Method == HttpMethod.Get));
            foreach (var response in (body?["responses"] as JsonArray)?.OfType<JsonObject>() ?? [])
                results.Add(new CreatioBatchResult((string?)response["id"] ?? "", (int?)response["status"] ?? 0, response["body"]?.DeepClone()));
        }

        return results;
    }

    /// <summary>
    /// Rows by id in $batch requests of at most 100: one entry per id, the row or null when Creatio has none; a
    /// sub-request Creatio refused is that id's <see cref="CreatioException"/>.
    /// </summary>
    public Task<IReadOnlyList<(JsonObject? Row, CreatioException? Failure)>> GetManyAsync(string entitySet, IReadOnlyList<Guid> ids, IReadOnlyList<string> select,
        CancellationToken cancellationToken = default) =>
        GetEachAsync(ids.Select(id => new CreatioRead(entitySet, id, new CreatioQuery(Select: select))).ToList(), cancellationToken);

    /// <summary>
    /// Several reads in $batch requests of at most 100: one entry per read, its body (a row, or a page under
    /// "value"), null for a row Creatio does not have, or the refusal of that read alone.
    /// </summary>
    public async Task<IReadOnlyList<(JsonObject? Row, CreatioException? Failure)>> GetEachAsync(IReadOnlyList<CreatioRead> reads, CancellationToken cancellationToken = default)
    {
        var operations = reads.Select((read, i) => new CreatioBatchOperation(HttpMethod.Get,
            (read.Id is { } id ? $"{Name(read.EntitySet)}({id:D})" : Name(read.EntitySet)) + read.Query.ToQueryString(), Id: i.ToString(CultureInfo.InvariantCulture))).ToList();
        var results = (await BatchAsync(operations, cancellationToken)).ToDictionary(r => r.Id);
        return operations.Select(op => results.TryGetValue(op.Id!, out var result)
                ? result.Succeeded ? (result.Body as JsonObject, (CreatioException?)null)
                : result.Status == 404 ? (null, null)
                : (null, CreatioGatewayClient.Failure((HttpStatusCode)result.Status, result.Body, op.Method, op.Url, idempotent: true))
                : (null, new CreatioException(RemoteFailure.Transient, $"Creatio's $batch answered nothing for {op.Url}.")))
            .ToList();
    }

    /// <summary>
    /// Creates (with ids chosen here) and updates in $batch requests of at most 100, each on its own: one entry per
    /// operation, null when it went through or the refusal. A batch whose answer was lost is sent again (a create
    /// that then finds its row already there counts as done), so a retry never makes a second row.
    /// </summary>
    public async Task<IReadOnlyList<CreatioException?>> WriteManyAsync(IReadOnlyList<CreatioWrite> writes, CancellationToken cancellationToken = default)
    {
        var operations = writes.Select((w, i) => w.Create
            ? new CreatioBatchOperation(HttpMethod.Post, Name(w.EntitySet), With(w.Values, "Id", w.Id.ToString("D")), i.ToString(CultureInfo.InvariantCulture))
            : new CreatioBatchOperation(HttpMethod.Patch, $"{Name(w.EntitySet)}({w.Id:D})", w.Values, i.ToString(CultureInfo.InvariantCulture))).ToList();
        IReadOnlyList<CreatioBatchResult> results;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                // Safe to send again: creates carry their Ids (a repeat conflicts and is settled below), updates set values.
                results = await BatchAsync(operations, replaySafe: true, cancellationToken);
                break;
            }
            catch (CreatioException ex) when (ex.Failure == RemoteFailure.UnknownOutcome && attempt < 3)
            {
                log.LogWarning("A $batch of {Count} writes may have been saved ({Reason}); sending it again, creates that are there already count as done", operations.Count, ex.Message);
            }
        }

        var byId = results.ToDictionary(r => r.Id);
        var outcome = new CreatioException?[writes.Count];
        for (var i = 0; i < writes.Count; i++)
        {
            var op = operations[i];
            if (byId.TryGetValue(op.Id!, out var result) && result.Succeeded) continue;
            var failure = result is null
                ? new CreatioException(RemoteFailure.Transient, $"Creatio's $batch answered nothing for {op.Method} {op.Url}.")
                : CreatioGatewayClient.Failure((HttpStatusCode)result.Status, result.Body, op.Method, op.Url, idempotent: !writes[i].Create);
            if (writes[i].Create && failure.Failure == RemoteFailure.Conflict && await GetAsync(writes[i].EntitySet, writes[i].Id, ["Id"], cancellationToken: cancellationToken) is not null)
                continue; // our own create, sent twice
            outcome[i] = failure;
        }

        return outcome;
    }

    private static JsonObject With(JsonObject values, string name, string value)
    {
        var copy = (JsonObject)values.DeepClone();
        copy[name] = value;
        return copy;
    }

    /// <summary>
    /// The columns of an object as the site's OData service describes them in $metadata (CSDL: each EntityType's
    /// Property elements, custom columns included, in the namespace Terrasoft.Configuration.OData); empty when the
    /// service does not know the object.
    /// </summary>
    public async Task<IReadOnlyList<CreatioColumn>> ColumnsAsync(string entitySet, CancellationToken cancellationToken)
    {
        System.Xml.Linq.XDocument csdl;
        try
        {
            csdl = RemoteAnswers.ParseXml(await gateway.GetMetadataAsync(settings, cancellationToken));
        }
        catch (System.Xml.XmlException ex)
        {
            // A malformed answer is Creatio's failure (502), not ours; a DTD is refused, as Creatio never sends one.
            throw new CreatioException(RemoteFailure.Transient, "Creatio's $metadata is not XML, or is XML with a DTD, which Creatio never sends.", null, null, ex);
        }

        var entity = csdl.Descendants().FirstOrDefault(e => e.Name.LocalName == "EntityType" && (string?)e.Attribute("Name") == Name(entitySet));
        if (entity is null) return [];
        var lookups = entity.Elements().Where(e => e.Name.LocalName == "NavigationProperty").Select(e => (string?)e.Attribute("Name")).ToHashSet(StringComparer.Ordinal);
        return entity.Elements().Where(e => e.Name.LocalName == "Property")
            .Select(e => new CreatioColumn((string)e.Attribute("Name")!, ((string?)e.Attribute("Type") ?? "").Replace("Edm.", "", StringComparison.Ordinal),
                // A lookup's value column is its navigation property's name plus "Id" (AccountId for Account).
                ((string)e.Attribute("Name")!).EndsWith("Id", StringComparison.Ordinal) && lookups.Contains(((string)e.Attribute("Name")!)[..^2])))
            .ToList();
    }

    /// <summary>The connection test: a fresh sign-in and a one-row read of accounts through OData.</summary>
    public async Task TestAsync(CancellationToken cancellationToken)
    {
        await gateway.SignInFreshAsync(settings, cancellationToken);
        await QueryAsync("Account", new CreatioQuery(Select: ["Id"], Top: 1), cancellationToken);
    }

    private static string Name(string entitySet) =>
        entitySet.All(char.IsAsciiLetterOrDigit) ? entitySet : throw new ArgumentException($"'{entitySet}' is not an entity set name.", nameof(entitySet));
}

public sealed class CreatioConnectionFactory(CreatioGatewayClient gateway, ConnectionSettingsStore store, IOptions<CreatioOptions> options, ILoggerFactory loggers)
{
    public CreatioConnection Create(CreatioConnectionSettings settings) => new(gateway, settings, options.Value, loggers.CreateLogger<CreatioConnection>());

    public async Task<CreatioConnection?> CreateFromStoreAsync(CancellationToken cancellationToken) =>
        await store.GetAsync<CreatioConnectionSettings>(CreatioConnectionSettings.System, cancellationToken) is { } settings ? Create(settings) : null;
}

/// <summary>A column of a Creatio object, from $metadata.</summary>
/// <param name="Name">The column as OData names it (a lookup's value column ends in Id).</param>
/// <param name="Type">Its EDM type without the Edm. prefix: Guid, String, Decimal, DateTimeOffset, Boolean, Int32.</param>
/// <param name="IsLookup">Whether it holds the Id of a row of another object.</param>
public sealed record CreatioColumn(string Name, string Type, bool IsLookup);
