using System.Security.Claims;
using Interweave.Sidecar.Api.Contracts;
using Interweave.Sidecar.Creatio;
using Interweave.Sidecar.Flows.Engine;
using Interweave.Sidecar.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Interweave.Sidecar.Storage;

namespace Interweave.Sidecar.Api;

public static class ErrorsApi
{
    public static IEndpointRouteBuilder MapErrors(this IEndpointRouteBuilder endpoints)
    {
        var errors = endpoints.MapGroup("/api/errors").WithTags("Errors");
        errors.MapGet("/", List).WithName("ListErrors").RequireAuthorization(Policies.Operations).ProducesProblem(StatusCodes.Status400BadRequest);
        errors.MapGet("/{errorId:long}", Get).WithName("GetError").RequireAuthorization(Policies.Operations).ProducesProblem(StatusCodes.Status404NotFound);
        errors.MapPost("/{errorId:long}/retry", Retry).WithName("RetryError").RequireAuthorization(Policies.Operations)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        errors.MapPost("/retry", RetryMany).WithName("RetryErrors").RequireAuthorization(Policies.Operations).ProducesValidationProblem();
        errors.MapPost("/{errorId:long}/dismiss", Dismiss).WithName("DismissError").RequireAuthorization(Policies.Admin).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict).Audited("error", "dismiss", h => AuditApi.Route(h, "errorId"), AuditApi.ErrorAsync);
        errors.MapPost("/{errorId:long}/reopen", Reopen).WithName("ReopenError").RequireAuthorization(Policies.Operations).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict).Audited("error", "reopen", h => AuditApi.Route(h, "errorId"), AuditApi.ErrorAsync);
        return endpoints;
    }

    /// <summary>Lists the error queue.</summary>
    /// <remarks>
    /// <c>status</c> is open (the default), resolved, dismissed or all; <c>flowId</c> narrows to one flow. Newest first.
    /// <c>limit</c> (1 to Interweave:Api:MaxPageSize, 5,000 unless configured; also the default) caps the count, and a
    /// larger one is clamped to that maximum, never refused; <c>before</c> (an error id) asks for the next page.
    /// </remarks>
    internal static async Task<Results<Ok<SyncError[]>, ProblemHttpResult>> List(string? status, string? flowId, long? before, int? limit, ErrorQueue queue,
        CreatioLinks pages, FlowStore flows, IOptions<ApiOptions> api, CancellationToken cancellationToken)
    {
        var parsed = ErrorStatus.Open;
        if (status is not (null or "all") && !WireNames.TryParse(status, out parsed))
            return TypedResults.Problem(title: "Unknown status.", detail: $"'{status}' is not a status: use open, resolved, dismissed or all.", statusCode: StatusCodes.Status400BadRequest);
        var (site, objects) = (await pages.SiteAsync(cancellationToken), await RecordObjects.OfFlowsAsync(flows, cancellationToken));
        return TypedResults.Ok((await queue.ListAsync(status == "all" ? null : parsed, flowId, before, api.Value.PageOf(limit), cancellationToken))
            .Select(e => SyncError.From(e, site, objects)).ToArray());
    }

    /// <summary>Shows one error.</summary>
    /// <remarks>
    /// The error with its flow, the run it was last seen in and its record, and its support Case's number and page in
    /// Creatio: what the console's #/errors/{id} page shows, the address each Case's text gives.
    /// </remarks>
    internal static async Task<Results<Ok<SyncError>, ProblemHttpResult>> Get(long errorId, ErrorQueue queue, CreatioLinks pages, FlowStore flows,
        CancellationToken cancellationToken) =>
        await queue.GetAsync(errorId, cancellationToken) is { } error
            ? TypedResults.Ok(SyncError.From(error, await pages.SiteAsync(cancellationToken), await RecordObjects.OfFlowsAsync(flows, cancellationToken)))
            : NotFound(errorId);

    /// <summary>Retries the record of an open error now.</summary>
    /// <remarks>
    /// A record's error: runs the record again as a run of its own (trigger retry), whatever its last outcome. A run-level
    /// error: runs the flow again to its end (trigger retry). Answers the error as it stands after the retry: resolved,
    /// or open with the new cause.
    /// </remarks>
    internal static async Task<Results<Ok<SyncError>, ProblemHttpResult, JsonHttpResult<ProblemDetails>>> Retry(long errorId, ErrorQueue queue, FlowRunner runner, ClaimsPrincipal user,
        CancellationToken cancellationToken)
    {
        if (await queue.GetAsync(errorId, cancellationToken) is not { } error) return NotFound(errorId);
        if (error.Status != ErrorStatus.Open)
            return TypedResults.Problem(title: "The error is closed.", detail: $"Error {errorId} is {WireNames.Of(error.Status)}.", statusCode: StatusCodes.Status409Conflict);
        return await Refusals.AnswerAsync(async () =>
            {
                await RetryAsync(error, runner, user.Identity?.Name, cancellationToken);
                return TypedResults.Ok(SyncError.From((await queue.GetAsync(errorId, cancellationToken))!));
            }, "Intacct could not be reached for the retry.", "Creatio could not be reached for the retry.", "The retry did not run.");
    }

    /// <summary>Retries several open errors and says how each came out.</summary>
    /// <remarks>
    /// Each open error is retried in turn, as POST /api/errors/{id}/retry does. The answer counts the ones that went
    /// through (resolved) and the ones that failed again (still open, with the new cause), lists the ids that were not
    /// open errors, and gives each retried error as it stands after its retry. A retry refused or unreachable counts
    /// as failing still.
    /// </remarks>
    internal static async Task<Results<Ok<ErrorRetryReport>, ValidationProblem>> RetryMany(ErrorRetryRequest request, ErrorQueue queue, FlowRunner runner,
        ClaimsPrincipal user, ILogger<ErrorQueue> log, CancellationToken cancellationToken)
    {
        if (request.Ids is not { Count: > 0 and <= 500 } ids)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["ids"] = ["Give 1 to 500 error ids."] });
        var after = new List<SyncError>();
        var notRetried = new List<long>();
        foreach (var id in ids.Distinct())
        {
            if (await queue.GetAsync(id, cancellationToken) is not { Status: ErrorStatus.Open } error)
            {
                notRetried.Add(id);
                continue;
            }

            try
            {
                await RetryAsync(error, runner, user.Identity?.Name, cancellationToken);
            }
            catch (Exception ex) when (ex is FlowRefusedException or Intacct.IntacctException or Creatio.CreatioException)
            {
                log.LogInformation("Retry of error {ErrorId} did not run: {Reason}", id, ex.Message); // the error stays open
            }

            after.Add(SyncError.From((await queue.GetAsync(id, cancellationToken))!));
        }

        var resolved = after.Count(e => e.Status == ErrorStatus.Resolved);
        return TypedResults.Ok(new ErrorRetryReport(after.Count, resolved, after.Count - resolved, notRetried, after));
    }

    /// <summary>A record's error sends that record again; a run-level error runs the flow again to its end.</summary>
    private static async Task RetryAsync(StoredError error, FlowRunner runner, string? requestedBy, CancellationToken cancellationToken)
    {
        if (error.Scope == ErrorScope.Run) await runner.RunAsync(error.FlowId, "retry", cancellationToken);
        else await runner.RetryRecordAsync(error.FlowId, error.RecordKey, cancellationToken, requestedBy);
    }

    /// <summary>Dismisses an open error.</summary>
    /// <remarks>The record is left as it is; the error closes and stops counting. A later failure of the same record opens a new error.</remarks>
    internal static async Task<Results<Ok<SyncError>, ProblemHttpResult>> Dismiss(long errorId, ErrorQueue queue, CancellationToken cancellationToken)
    {
        if (await queue.GetAsync(errorId, cancellationToken) is null) return NotFound(errorId);
        if (!await queue.DismissAsync(errorId, cancellationToken))
            return TypedResults.Problem(title: "The error is closed.", detail: $"Error {errorId} is not open.", statusCode: StatusCodes.Status409Conflict);
        return TypedResults.Ok(SyncError.From((await queue.GetAsync(errorId, cancellationToken))!));
    }

    /// <summary>Reopens a dismissed error.</summary>
    /// <remarks>
    /// Undoes a dismissal: the error is open again, counts again and can be retried. Only a dismissed error can be
    /// reopened (409 otherwise), and not while a newer error of the same kind is open for the same record (409, naming
    /// it). Its support Case, closed when the dismissal left its group empty, stays closed. For admins and operators;
    /// recorded in the audit log like a dismissal.
    /// </remarks>
    internal static async Task<Results<Ok<SyncError>, ProblemHttpResult>> Reopen(long errorId, ErrorQueue queue, CancellationToken cancellationToken)
    {
        if (await queue.GetAsync(errorId, cancellationToken) is not { } error) return NotFound(errorId);
        if (error.Status != ErrorStatus.Dismissed)
            return TypedResults.Problem(title: "Only a dismissed error can be reopened.", detail: $"Error {errorId} is {WireNames.Of(error.Status)}.",
                statusCode: StatusCodes.Status409Conflict);
        if (!await queue.ReopenAsync(errorId, cancellationToken))
        {
            var newer = (await queue.ListAsync(ErrorStatus.Open, error.FlowId, null, int.MaxValue, cancellationToken))
                .FirstOrDefault(e => e.RecordKey == error.RecordKey && e.ErrorKind == error.ErrorKind);
            return TypedResults.Problem(title: "The record has an open error already.",
                detail: newer is null ? $"Error {errorId} could not be reopened; it is no longer dismissed." : $"Error {newer.Id} is open for the same record and cause; retry or dismiss that one.",
                statusCode: StatusCodes.Status409Conflict);
        }

        return TypedResults.Ok(SyncError.From((await queue.GetAsync(errorId, cancellationToken))!));
    }

    private static ProblemHttpResult NotFound(long errorId) =>
        TypedResults.Problem(title: "No such error.", detail: $"There is no error {errorId}.", statusCode: StatusCodes.Status404NotFound);
}
