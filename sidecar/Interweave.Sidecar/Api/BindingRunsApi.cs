using System.ComponentModel.DataAnnotations;
using Interweave.Sidecar.Flows;
using Interweave.Sidecar.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Interweave.Sidecar.Api;

/// <summary>What a binding run pairs.</summary>
/// <param name="Kind">account-customer (accounts with customers) or product-item (products with items).</param>
public sealed record BindingRunRequest([property: Required, AllowedValues("account-customer", "product-item")] string Kind);

public static class BindingRunsApi
{
    public static IEndpointRouteBuilder MapBindingRuns(this IEndpointRouteBuilder endpoints)
    {
        var runs = endpoints.MapGroup("/api/binding-runs").WithTags("Binding runs").RequireAuthorization(Policies.Admin);
        runs.MapPost("/", Start).WithName("StartBindingRun").ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity).ProducesProblem(StatusCodes.Status502BadGateway).ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        runs.MapGet("/", List).WithName("ListBindingRuns");
        runs.MapGet("/{reportId:long}", Get).WithName("GetBindingRun").ProducesProblem(StatusCodes.Status404NotFound);
        runs.MapGet("/{reportId:long}/report.csv", Csv).WithName("GetBindingRunCsv").Produces<string>(StatusCodes.Status200OK, "text/csv")
            .ProducesProblem(StatusCodes.Status404NotFound);
        runs.MapPost("/{reportId:long}/commit", Commit).WithName("CommitBindingRun")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status502BadGateway).ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .Audited("binding-run", "commit", h => AuditApi.Route(h, "reportId"));
        return endpoints;
    }

    /// <summary>Runs a dry run of the binding run: matches records by normalized name and reports, writing nothing to either system.</summary>
    /// <remarks>
    /// Reads every Creatio account (or product) and every Intacct customer (or item), leaves alone whatever is linked
    /// on either side or in the sidecar's bindings (reporting links that disagree), and matches the rest by exact
    /// normalized name: case, accents, spacing, punctuation, "&amp;" and legal suffixes such as Inc, Ltd or GmbH do not
    /// count. Answers the report, also kept for commit and as CSV.
    /// </remarks>
    internal static Task<Results<Created<BindingReport>, ProblemHttpResult, JsonHttpResult<ProblemDetails>>> Start(BindingRunRequest request, BindingRun run,
        CancellationToken cancellationToken) =>
        Refusals.AnswerAsync(async () =>
        {
            var report = await run.DryRunAsync(request.Kind, cancellationToken);
            return TypedResults.Created($"/api/binding-runs/{report.Id}", report);
        }, "Intacct could not be read.", "Creatio could not be read.");

    /// <summary>Lists binding runs, newest first.</summary>
    /// <remarks>
    /// <c>limit</c> (1 to 100, default 20) caps the count, and a larger one is clamped to 100, never refused. Each report is
    /// whole, with its commit time once committed.
    /// </remarks>
    internal static async Task<Ok<BindingReport[]>> List(int? limit, BindingRun run, CancellationToken cancellationToken) =>
        TypedResults.Ok((await run.ListAsync(Math.Clamp(limit ?? 20, 1, 100), cancellationToken)).ToArray());

    /// <summary>Shows one binding run's report.</summary>
    /// <remarks>Matched pairs, ambiguous names with their candidates, unmatched records on each side, and links that disagree.</remarks>
    internal static async Task<Results<Ok<BindingReport>, ProblemHttpResult>> Get(long reportId, BindingRun run, CancellationToken cancellationToken) =>
        await run.GetAsync(reportId, cancellationToken) is { } report ? TypedResults.Ok(report) : NotFound(reportId);

    /// <summary>Downloads one binding run's report as CSV.</summary>
    /// <remarks>
    /// One line per record or pair with its section (matched, ambiguous, unmatched-creatio, unmatched-intacct,
    /// disagreement). Cells that a spreadsheet would run as formulas are escaped with a leading apostrophe.
    /// </remarks>
    internal static async Task<Results<PushStreamHttpResult, ProblemHttpResult>> Csv(long reportId, BindingRun run, CancellationToken cancellationToken) =>
        await run.GetAsync(reportId, cancellationToken) is { } report
            ? TypedResults.Stream(stream => BindingRun.WriteCsvAsync(report, stream, CancellationToken.None), "text/csv; charset=utf-8", $"binding-run-{reportId}.csv")
            : NotFound(reportId);

    /// <summary>Commits a binding run: writes the accepted pairs into both systems.</summary>
    /// <remarks>
    /// Without a body, or without <c>accept</c>, every matched pair is written; <c>reject</c> leaves pairs out, and
    /// <c>accept</c> may pick pairs from an ambiguous name. Each pair is checked against both systems first; one that
    /// got linked meanwhile is skipped, because a commit never moves a link and never creates a record. Intacct gets
    /// ACCOUNTID or PRODUCTID, Creatio the Intacct id, in batches. A report commits once (409 after that).
    /// </remarks>
    internal static Task<Results<Ok<BindingCommitResult>, ProblemHttpResult, JsonHttpResult<ProblemDetails>>> Commit(long reportId, BindingCommit? commit,
        BindingRun run, CancellationToken cancellationToken) =>
        Refusals.AnswerAsync(async () => TypedResults.Ok(await run.CommitAsync(reportId, commit ?? new BindingCommit(null, null), cancellationToken)),
            "Intacct could not be read or updated.", "Creatio could not be read or updated.");

    private static ProblemHttpResult NotFound(long reportId) =>
        TypedResults.Problem(title: "No such binding run.", detail: $"There is no binding run {reportId}.", statusCode: StatusCodes.Status404NotFound);
}
