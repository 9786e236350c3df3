using Interweave.Sidecar.Flows;
using Interweave.Sidecar.Flows.Engine;
using Interweave.Sidecar.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Interweave.Sidecar.Api;

/// <summary>The period a bulk load covers; both ends included, both optional.</summary>
/// <param name="From">First day (default: 1 January of the prior year).</param>
/// <param name="To">Last day (default: today).</param>
public sealed record BulkLoadRequest(DateOnly? From, DateOnly? To);

public static class BulkLoadsApi
{
    public static IEndpointRouteBuilder MapBulkLoads(this IEndpointRouteBuilder endpoints)
    {
        var loads = endpoints.MapGroup("/api/bulk-loads").WithTags("Bulk loads").RequireAuthorization(Policies.Admin);
        loads.MapPost("/", Start).WithName("StartBulkLoad").ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status502BadGateway).ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        loads.MapGet("/", List).WithName("ListBulkLoads");
        loads.MapGet("/estimate", Estimate).WithName("EstimateBulkLoad").ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status502BadGateway).ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        loads.MapGet("/{loadId:long}", Get).WithName("GetBulkLoad").ProducesProblem(StatusCodes.Status404NotFound);
        loads.MapPost("/{loadId:long}/pause", Pause).WithName("PauseBulkLoad").ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        loads.MapPost("/{loadId:long}/resume", Resume).WithName("ResumeBulkLoad").ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        loads.MapPost("/{loadId:long}/cancel", Cancel).WithName("CancelBulkLoad").ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        return endpoints;
    }

    /// <summary>Starts a bulk history load: customers and items, then the invoices, credit and debit memos and payments of a period.</summary>
    /// <remarks>
    /// Counts the records first, then answers 202 and loads in the background through the shipped pull flows, in
    /// dependency order, at background priority (a click never waits behind it). Follow it at the Location given:
    /// records done and total, rate, time left, failures. It resumes from its last finished step after a restart
    /// or a crash. One load at a time (409). The period defaults to the current and the prior calendar year; one that
    /// starts before 1900-01-01, ends after today or is empty answers 422 and starts nothing.
    /// </remarks>
    internal static Task<Results<Accepted<BulkLoadProgress>, ProblemHttpResult, JsonHttpResult<ProblemDetails>>> Start(BulkLoadRequest? request, BulkLoads loads,
        CancellationToken cancellationToken) =>
        Refusals.AnswerAsync(async () =>
        {
            var progress = await loads.StartAsync(request?.From, request?.To, cancellationToken);
            return TypedResults.Accepted($"/api/bulk-loads/{progress.Id}", progress);
        }, "Intacct could not be counted.", "Creatio could not be reached.", "The bulk load did not start.");

    /// <summary>Estimates a bulk load of a period before it starts.</summary>
    /// <remarks>
    /// Counts in Intacct what each step would read (one count request per step, as a load does when it starts) and
    /// gives the least Intacct requests the load would send: a page of Interweave:Flows:PageSize records per request,
    /// plus the counts. Nothing is started or stored. <c>from</c> and <c>to</c> (yyyy-MM-dd) default as for a load.
    /// </remarks>
    internal static Task<Results<Ok<BulkLoadEstimate>, ProblemHttpResult, JsonHttpResult<ProblemDetails>>> Estimate(DateOnly? from, DateOnly? to, BulkLoadEstimates estimates,
        CancellationToken cancellationToken) =>
        Refusals.AnswerAsync(async () => TypedResults.Ok(await estimates.EstimateAsync(from, to, cancellationToken)),
            "Intacct could not be counted.", "Creatio could not be reached.", "The bulk load could not be estimated.");

    /// <summary>Lists bulk loads, newest first.</summary>
    /// <remarks><c>limit</c> (1 to 100, default 20) caps the count, and a larger one is clamped to 100, never refused.</remarks>
    internal static async Task<Ok<BulkLoadProgress[]>> List(int? limit, BulkLoads loads, CancellationToken cancellationToken) =>
        TypedResults.Ok((await loads.ListAsync(Math.Clamp(limit ?? 20, 1, 100), cancellationToken)).ToArray());

    /// <summary>Shows a bulk load's progress.</summary>
    /// <remarks>Records done and total, records per second of running time, seconds left at that rate, and failures so far.</remarks>
    internal static async Task<Results<Ok<BulkLoadProgress>, ProblemHttpResult>> Get(long loadId, BulkLoads loads, CancellationToken cancellationToken) =>
        await loads.ProgressAsync(loadId, cancellationToken) is { } progress
            ? TypedResults.Ok(progress)
            : TypedResults.Problem(title: "No such bulk load.", detail: $"There is no bulk load {loadId}.", statusCode: StatusCodes.Status404NotFound);

    /// <summary>Pauses a running bulk load.</summary>
    /// <remarks>The step under way stops at once; resume goes on from that step, where what was written costs a read and no write.</remarks>
    internal static Task<Results<Ok<BulkLoadProgress>, ProblemHttpResult>> Pause(long loadId, BulkLoads loads, CancellationToken cancellationToken) =>
        Change(() => loads.PauseAsync(loadId, cancellationToken));

    /// <summary>Resumes a paused bulk load.</summary>
    /// <remarks>It goes on from the step it was paused in.</remarks>
    internal static Task<Results<Ok<BulkLoadProgress>, ProblemHttpResult>> Resume(long loadId, BulkLoads loads, CancellationToken cancellationToken) =>
        Change(() => loads.ResumeAsync(loadId, cancellationToken));

    /// <summary>Cancels a running or paused bulk load.</summary>
    /// <remarks>What it wrote stays; the regular flows carry on from there.</remarks>
    internal static Task<Results<Ok<BulkLoadProgress>, ProblemHttpResult>> Cancel(long loadId, BulkLoads loads, CancellationToken cancellationToken) =>
        Change(() => loads.CancelAsync(loadId, cancellationToken));

    private static async Task<Results<Ok<BulkLoadProgress>, ProblemHttpResult>> Change(Func<Task<BulkLoadProgress>> change)
    {
        try
        {
            return TypedResults.Ok(await change());
        }
        catch (FlowRefusedException ex)
        {
            return Refusals.Problem(ex);
        }
    }
}
