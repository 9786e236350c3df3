using Interweave.Sidecar.Creatio;
using Interweave.Sidecar.Flows;
using Interweave.Sidecar.Intacct;
using Interweave.Sidecar.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Interweave.Sidecar.Api;

public static class OpportunitiesApi
{
    public static IEndpointRouteBuilder MapOpportunities(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/api/opportunities/{id:guid}/send-to-intacct", SendToIntacct)
            .WithTags("Opportunities").WithName("SendOpportunityToIntacct").RequireAuthorization(Policies.CreatioActions)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity).ProducesProblem(StatusCodes.Status502BadGateway)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        return endpoints;
    }

    /// <summary>Idempotent: a repeated or concurrent call answers with the one document the first created.</summary>
    internal static async Task<Results<Ok<SendToIntacctResult>, JsonHttpResult<ProblemDetails>>> SendToIntacct(
        Guid id, SendOpportunityToIntacct flow, CancellationToken cancellationToken)
    {
        try
        {
            return TypedResults.Ok(await flow.SendAsync(id, cancellationToken));
        }
        catch (SendRefusedException ex)
        {
            return TypedResults.Json(new ProblemDetails { Status = ex.Status, Title = ex.Title, Detail = ex.Message }, statusCode: ex.Status, contentType: "application/problem+json");
        }
        catch (IntacctException ex)
        {
            return RemoteProblems.From(ex, "Intacct did not accept the opportunity.");
        }
        catch (CreatioException ex)
        {
            return RemoteProblems.From(ex, "Creatio could not be read or updated.");
        }
    }
}
