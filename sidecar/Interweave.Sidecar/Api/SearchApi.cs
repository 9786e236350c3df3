using Interweave.Sidecar.Api.Contracts;
using Interweave.Sidecar.Creatio;
using Interweave.Sidecar.Flows.Engine;
using Interweave.Sidecar.Security;
using Interweave.Sidecar.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Interweave.Sidecar.Api;

public static class SearchApi
{
    public const int MaxQueryLength = 100;

    public static IEndpointRouteBuilder MapSearch(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/search", Search).WithTags("Search").WithName("Search").RequireAuthorization(Policies.Operations).ProducesValidationProblem();
        return endpoints;
    }

    /// <summary>Finds a record by either system's id, by its document number or by its name, across the run log, the bindings and the errors.</summary>
    /// <remarks>
    /// <c>q</c> (1 to 100 characters) is matched exactly against keys: a Creatio Id, an Intacct id (CUSTOMERID, ITEMID,
    /// a document number) or RECORDNO, and a Case number (SR00003); and from its start, without case, against the names and
    /// numbers runs logged (O'Brien finds "O'Brien &amp; Sons", ARINV-0 finds ARINV-0001). <c>limit</c> (1 to 50, default
    /// 10) caps each kind. Records come once each, as their latest entry shows them, with the run, the objects and the
    /// record's pages; bindings also for the records found by name.
    /// </remarks>
    internal static async Task<Results<Ok<SearchResults>, ValidationProblem>> Search(string? q, int? limit, RecordSearch search, FlowStore flows, CreatioLinks pages,
        CancellationToken cancellationToken)
    {
        var validation = new RequestValidation();
        var query = validation.Required("q", q?.Trim());
        validation.MaxLength("q", query, MaxQueryLength);
        validation.PlainText("q", query);
        if (limit is < 1 or > 50) validation.Add("limit", "Give a limit from 1 to 50.");
        if (!validation.IsValid) return TypedResults.ValidationProblem(validation.Errors, title: "The search is empty or malformed.");

        var count = limit ?? 10;
        // A record is logged once per run that met it: read a few entries per record wanted, keep each record's latest.
        var entries = await search.RunRecordsAsync(query!, count * 5, cancellationToken);
        var records = entries.DistinctBy(e => (e.FlowId, e.Record.SourceKey, e.Record.SourceObject)).Take(count).ToList();
        var keys = records.SelectMany(e => new[] { e.Record.SourceKey, e.Record.TargetKey }).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var (site, objects) = (await pages.SiteAsync(cancellationToken), await RecordObjects.OfFlowsAsync(flows, cancellationToken));
        var found = records.Select(e =>
        {
            var entry = FlowRunRecord.From(e.Record, e.FlowId, objects, site);
            return new FoundRecord(e.FlowId, entry.RunId, entry.SourceKey, entry.TargetKey, entry.SourceObject, entry.TargetObject, entry.Label, entry.Action, entry.At,
                entry.Error, entry.Places);
        }).ToList();
        var bindings = (await search.BindingsAsync(query!, keys, count, cancellationToken)).Select(b => Binding.From(b, site)).ToList();
        var errors = (await search.ErrorsAsync(query!, count, cancellationToken)).Select(e => SyncError.From(e, site, objects)).ToList();
        return TypedResults.Ok(new SearchResults(query!, found, bindings, errors));
    }
}
