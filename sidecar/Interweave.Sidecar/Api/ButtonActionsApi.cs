using System.Security.Claims;
using Interweave.Sidecar.Creatio;
using Interweave.Sidecar.Flows;
using Interweave.Sidecar.Flows.Engine;
using Interweave.Sidecar.Intacct;
using Interweave.Sidecar.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Interweave.Sidecar.Api;

/// <summary>What the Creatio package's buttons call: Send to Intacct, and Sync with Intacct on accounts and products.</summary>
public static class ButtonActionsApi
{
    public static IEndpointRouteBuilder MapButtonActions(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/api/opportunities/{id:guid}/send-to-intacct", SendToIntacct)
            .WithTags("Opportunities").WithName("SendOpportunityToIntacct").RequireAuthorization(Policies.CreatioActions)
            .RequireRateLimiting(CreatioRateLimiting.Policy).ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity).ProducesProblem(StatusCodes.Status502BadGateway)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        endpoints.MapPost("/api/accounts/{id:guid}/sync", SyncAccount)
            .WithTags("Accounts").WithName("SyncAccountWithIntacct").RequireAuthorization(Policies.CreatioActions)
            .RequireRateLimiting(CreatioRateLimiting.Policy).ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status502BadGateway).ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        endpoints.MapPost("/api/products/{id:guid}/sync", SyncProduct)
            .WithTags("Products").WithName("SyncProductWithIntacct").RequireAuthorization(Policies.CreatioActions)
            .RequireRateLimiting(CreatioRateLimiting.Policy).ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status502BadGateway).ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        return endpoints;
    }

    /// <summary>Syncs one account with its Intacct customer now (the account's Sync with Intacct button).</summary>
    /// <remarks>
    /// Pairs the account with its customer (by binding, then by the customer's ACCOUNTID, else by creating the customer once), writes what
    /// Creatio owns, then brings back what Intacct owns. An Intacct refusal answers 422 with Intacct's error number and correction, and marks
    /// the account's sync status Error. Work that outlasts Interweave:Buttons:AnswerWithinSeconds answers 202 and goes on; the account shows
    /// its outcome.
    /// </remarks>
    internal static Task<Results<Ok<SyncResult>, Accepted<ActionPending>, ProblemHttpResult, JsonHttpResult<ProblemDetails>>> SyncAccount(Guid id,
        SyncRecordWithIntacct flow, ClickDeadline deadline, ButtonRuns runs, ClaimsPrincipal user, HttpContext http) =>
        Run(http, deadline, token => runs.RecordAsync(new ButtonSubject(SyncRecordWithIntacct.AccountsPush, "Account", id, "CUSTOMER"), user.Identity?.Name,
                trail => flow.SyncAccountAsync(id, token, trail)), "Intacct did not accept the account.", failure => flow.ShowFailureAsync("Account", id, failure.Message, CancellationToken.None),
            "The account is still being synced with Intacct; it shows the outcome when Intacct has answered.");

    /// <summary>Syncs one product with its Intacct item now (the product's Sync with Intacct button).</summary>
    /// <remarks>
    /// Pairs the product with its item (by binding, then by the item's PRODUCTID, else by creating the item once), writes what Creatio owns,
    /// then brings back what Intacct owns (the item's price). An Intacct refusal answers 422 with Intacct's error number and correction.
    /// Work that outlasts Interweave:Buttons:AnswerWithinSeconds answers 202 and goes on; the product shows its outcome.
    /// </remarks>
    internal static Task<Results<Ok<SyncResult>, Accepted<ActionPending>, ProblemHttpResult, JsonHttpResult<ProblemDetails>>> SyncProduct(Guid id,
        SyncRecordWithIntacct flow, ClickDeadline deadline, ButtonRuns runs, ClaimsPrincipal user, HttpContext http) =>
        Run(http, deadline, token => runs.RecordAsync(new ButtonSubject(SyncRecordWithIntacct.ProductsPush, "Product", id, "ITEM"), user.Identity?.Name,
                trail => flow.SyncProductAsync(id, token, trail)), "Intacct did not accept the product.", failure => flow.ShowFailureAsync("Product", id, failure.Message, CancellationToken.None),
            "The product is still being synced with Intacct; it shows the outcome when Intacct has answered.");

    /// <summary>Sends an opportunity to Intacct as a sales document (the opportunity's Send to Intacct button).</summary>
    /// <remarks>
    /// Creates the customer and items it needs and the document (an Order Entry transaction of the company's definition the flow names, such as
    /// a Sales Order, through create_sotransaction, or an AR invoice through create_invoice) in one transaction, as the send-to-intacct flow's settings say, and writes the document number back onto the
    /// opportunity. Idempotent: a repeated or concurrent call answers with the one document the first created (created: false). A send that
    /// outlasts Interweave:Buttons:AnswerWithinSeconds answers 202 and goes on; the opportunity shows the document number, or the error.
    /// </remarks>
    internal static Task<Results<Ok<SendToIntacctResult>, Accepted<ActionPending>, ProblemHttpResult, JsonHttpResult<ProblemDetails>>> SendToIntacct(Guid id,
        SendOpportunityToIntacct flow, SyncRecordWithIntacct records, ClickDeadline deadline, ButtonRuns runs, ClaimsPrincipal user, HttpContext http) =>
        Run(http, deadline, token => runs.RecordAsync(new ButtonSubject(SendOpportunityToIntacct.FlowId, "Opportunity", id, "SODOCUMENT"), user.Identity?.Name,
                trail => flow.SendAsync(id, token, trail)), "Intacct did not accept the opportunity.",
            failure => records.ShowFailureAsync("Opportunity", id, failure.Message, CancellationToken.None),
            "Intacct is slow to answer. The send goes on: the opportunity shows the document number when it is in Intacct, or the error.");

    /// <summary>The one place the button actions' outcomes become answers: the result, 202 while the work goes on, or problem details.</summary>
    private static async Task<Results<Ok<T>, Accepted<ActionPending>, ProblemHttpResult, JsonHttpResult<ProblemDetails>>> Run<T>(HttpContext http, ClickDeadline deadline,
        Func<CancellationToken, Task<T>> action, string intacctTitle, Func<Exception, Task> showLateFailure, string pendingMessage)
    {
        try
        {
            var finished = await deadline.WaitAsync(action, showLateFailure);
            if (finished is null) return TypedResults.Accepted((string?)null, new ActionPending(pendingMessage));
            return TypedResults.Ok(await finished);
        }
        catch (FlowRefusedException ex)
        {
            if (ex.Reason == RefusalReason.Overloaded) http.Response.Headers.RetryAfter = ButtonOptions.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return Refusals.Problem(ex);
        }
        catch (MappingException ex)
        {
            var problem = new ProblemDetails { Status = StatusCodes.Status422UnprocessableEntity, Title = "The record cannot be synced", Detail = ex.Message };
            problem.Extensions["kind"] = ex.Kind;
            if (ex.Hint is not null) problem.Extensions["hint"] = ex.Hint;
            return TypedResults.Json(problem, statusCode: problem.Status, contentType: "application/problem+json");
        }
        catch (IntacctException ex)
        {
            return RemoteProblems.From(ex, intacctTitle, RemoteProblems.IsAdmin(http.User));
        }
        catch (CreatioException ex)
        {
            return RemoteProblems.From(ex, "Creatio could not be read or updated.", RemoteProblems.IsAdmin(http.User));
        }
    }
}

/// <summary>The click's work goes on after its answer; the record will show the outcome.</summary>
/// <param name="Message">What to tell the user.</param>
public sealed record ActionPending(string Message);
