using System.ComponentModel.DataAnnotations;
using Interweave.Sidecar.Api.Contracts;
using Interweave.Sidecar.Flows.Engine;
using Interweave.Sidecar.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Interweave.Sidecar.Api;

/// <summary>Whose value to keep.</summary>
/// <param name="Keep">creatio (write Creatio's value to Intacct) or intacct (write Intacct's value to Creatio).</param>
public sealed record ResolveConflictRequest([property: Required, AllowedValues("creatio", "intacct")] string Keep);

public static class ConflictsApi
{
    public static IEndpointRouteBuilder MapConflicts(this IEndpointRouteBuilder endpoints)
    {
        var conflicts = endpoints.MapGroup("/api/conflicts").WithTags("Conflicts").RequireAuthorization(Policies.Admin);
        conflicts.MapGet("/", List).WithName("ListConflicts").ProducesProblem(StatusCodes.Status400BadRequest);
        conflicts.MapPost("/{conflictId:long}/resolve", Resolve).WithName("ResolveConflict").ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status502BadGateway).ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        return endpoints;
    }

    /// <summary>Lists the fields both systems changed.</summary>
    /// <remarks>
    /// <c>status</c> is open (the default), resolved or all. Newest first. <c>limit</c> (1 to Interweave:Api:MaxPageSize,
    /// 5,000 unless configured; also the default) caps the count, and a larger one is clamped to that maximum, never
    /// refused; <c>before</c> (a conflict id) asks for the next page.
    /// </remarks>
    internal static async Task<Results<Ok<SyncConflict[]>, ProblemHttpResult>> List(string? status, long? before, int? limit, ConflictQueue queue,
        Microsoft.Extensions.Options.IOptions<ApiOptions> api, CancellationToken cancellationToken)
    {
        var parsed = ConflictStatus.Open;
        if (status is not (null or "all") && !WireNames.TryParse(status, out parsed))
            return TypedResults.Problem(title: "Unknown status.", detail: $"'{status}' is not a status: use open, resolved or all.", statusCode: StatusCodes.Status400BadRequest);
        return TypedResults.Ok((await queue.ListAsync(status == "all" ? null : parsed, before, api.Value.PageOf(limit), cancellationToken)).Select(SyncConflict.From).ToArray());
    }

    /// <summary>Resolves a conflict by keeping one system's value.</summary>
    /// <remarks>
    /// Reads the kept system's value now and writes it to the other system; then the conflict closes and both flows
    /// take the value as last synced. When the other system refuses, the conflict stays open and nothing is stored.
    /// </remarks>
    internal static Task<Results<Ok<SyncConflict>, ProblemHttpResult, JsonHttpResult<ProblemDetails>>> Resolve(long conflictId, ResolveConflictRequest request,
        ConflictResolver resolver, CancellationToken cancellationToken)
    {
        WireNames.TryParse<ConflictSide>(request.Keep, out var keep);
        return Refusals.AnswerAsync(async () => TypedResults.Ok(SyncConflict.From(await resolver.ResolveAsync(conflictId, keep, cancellationToken))),
            "Intacct did not take the kept value.", "Creatio did not take the kept value.", "The conflict was not resolved.");
    }
}
