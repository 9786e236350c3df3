using System.Security.Claims;
using Interweave.Sidecar.Api.Contracts;
using Interweave.Sidecar.Flows.Engine;
using Interweave.Sidecar.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Interweave.Sidecar.Api;

public static class ErrorsApi
{
    public static IEndpointRouteBuilder MapErrors(this IEndpointRouteBuilder endpoints)
    {
        var errors = endpoints.MapGroup("/api/errors").WithTags("Errors").RequireAuthorization(Policies.Admin);
        errors.MapGet("/", List).WithName("ListErrors").ProducesProblem(StatusCodes.Status400BadRequest);
        errors.MapPost("/{errorId:long}/retry", Retry).WithName("RetryError")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        errors.MapPost("/{errorId:long}/dismiss", Dismiss).WithName("DismissError").ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        return endpoints;
    }

    /// <summary>Lists the error queue.</summary>
    /// <remarks><c>status</c> is open (the default), resolved, dismissed or all; <c>flowId</c> narrows to one flow. Newest first.</remarks>
    internal static async Task<Results<Ok<SyncError[]>, ProblemHttpResult>> List(string? status, string? flowId, ErrorQueue queue, CancellationToken cancellationToken)
    {
        var parsed = ErrorStatus.Open;
        if (status is not (null or "all") && !WireNames.TryParse(status, out parsed))
            return TypedResults.Problem(title: "Unknown status.", detail: $"'{status}' is not a status: use open, resolved, dismissed or all.", statusCode: StatusCodes.Status400BadRequest);
        return TypedResults.Ok((await queue.ListAsync(status == "all" ? null : parsed, flowId, cancellationToken)).Select(SyncError.From).ToArray());
    }

    /// <summary>Retries the record of an open error now.</summary>
    /// <remarks>Runs the record again as a run of its own (trigger retry), whatever its last outcome. Answers the error as it stands after the retry: resolved, or open with the new cause.</remarks>
    internal static async Task<Results<Ok<SyncError>, ProblemHttpResult, JsonHttpResult<ProblemDetails>>> Retry(long errorId, ErrorQueue queue, FlowRunner runner, ClaimsPrincipal user,
        CancellationToken cancellationToken)
    {
        if (await queue.GetAsync(errorId, cancellationToken) is not { } error) return NotFound(errorId);
        if (error.Status != ErrorStatus.Open)
            return TypedResults.Problem(title: "The error is closed.", detail: $"Error {errorId} is {WireNames.Of(error.Status)}.", statusCode: StatusCodes.Status409Conflict);
        return await Refusals.AnswerAsync(async () =>
            {
                await runner.RetryRecordAsync(error.FlowId, error.RecordKey, cancellationToken, user.Identity?.Name);
                return TypedResults.Ok(SyncError.From((await queue.GetAsync(errorId, cancellationToken))!));
            }, "Intacct could not be reached for the retry.", "Creatio could not be reached for the retry.", "The retry did not run.");
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

    private static ProblemHttpResult NotFound(long errorId) =>
        TypedResults.Problem(title: "No such error.", detail: $"There is no error {errorId}.", statusCode: StatusCodes.Status404NotFound);
}
