using Interweave.Sidecar.Api.Contracts;
using Interweave.Sidecar.Creatio;
using Interweave.Sidecar.Flows;
using Interweave.Sidecar.Flows.Engine;
using Interweave.Sidecar.Intacct;
using Interweave.Sidecar.Security;
using Interweave.Sidecar.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Interweave.Sidecar.Api;

/// <summary>Which Intacct record a Creatio record is linked with.</summary>
/// <param name="IntacctId">The Intacct record's id: CUSTOMERID for account-customer, ITEMID for product-item.</param>
public sealed record BindingLinkRequest(string? IntacctId);

public static class BindingsApi
{
    public static IEndpointRouteBuilder MapBindings(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/bindings", List).WithTags("Bindings").WithName("ListBindings").RequireAuthorization(Policies.Admin).ProducesValidationProblem();
        endpoints.MapPut("/api/bindings/{kind}/{creatioId:guid}", Link).WithTags("Bindings").WithName("LinkRecords").RequireAuthorization(Policies.Admin)
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity).ProducesProblem(StatusCodes.Status502BadGateway).ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .Audited("binding", "link", AuditApi.BindingId, AuditApi.BindingAsync);
        endpoints.MapDelete("/api/bindings/{kind}/{creatioId:guid}", Unlink).WithTags("Bindings").WithName("UnlinkRecords").RequireAuthorization(Policies.Admin)
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status502BadGateway)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .Audited("binding", "unlink", AuditApi.BindingId, AuditApi.BindingAsync);
        return endpoints;
    }

    /// <summary>Lists which Creatio record is which Intacct record.</summary>
    /// <remarks>
    /// <c>kind</c> narrows the list to account-customer, product-item or opportunity-document. A binding without an Intacct
    /// id is a send to Intacct under way. Ordered by kind, then Creatio id. <c>limit</c> (1 to Interweave:Api:MaxPageSize,
    /// 5,000 unless configured; also the default) caps the count, and a larger one is clamped to that maximum, never
    /// refused; <c>after</c> (a Creatio id, with <c>kind</c>) asks for the next page.
    /// </remarks>
    internal static async Task<Results<Ok<Binding[]>, ValidationProblem>> List(string? kind, string? after, int? limit, BindingRepository bindings,
        Microsoft.Extensions.Options.IOptions<ApiOptions> api, Creatio.CreatioLinks pages, CancellationToken cancellationToken)
    {
        if (after is not null && kind is null)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["after"] = ["Give kind with after: pages run within one kind."] });
        var site = await pages.SiteAsync(cancellationToken);
        return TypedResults.Ok((await bindings.ListPageAsync(kind, after, api.Value.PageOf(limit), cancellationToken)).Select(b => Binding.From(b, site)).ToArray());
    }

    /// <summary>Links a Creatio account with an Intacct customer, or a product with an item, as an admin decides.</summary>
    /// <remarks>
    /// <c>kind</c> is account-customer or product-item. Both records must exist (404 for the Creatio record, 422 for the
    /// Intacct one), and the Intacct record's ACCOUNTID or PRODUCTID must be empty or name this record already: a link is
    /// never moved (409; unlink first). Writes ACCOUNTID or PRODUCTID into Intacct, the Intacct id onto the Creatio record,
    /// and the binding. Linking the same pair again changes nothing. An Intacct id typed on the Creatio side never links
    /// records on its own; this call, a committed binding run, or the Intacct record's own key field does.
    /// </remarks>
    internal static async Task<Results<Ok<Binding>, ValidationProblem, ProblemHttpResult, JsonHttpResult<ProblemDetails>>> Link(string kind, Guid creatioId,
        BindingLinkRequest? request, BindingLinks links, CancellationToken cancellationToken)
    {
        var validation = new RequestValidation();
        var pair = PairOf(kind, validation);
        var intacctId = validation.Required("intacctId", request?.IntacctId);
        validation.MaxLength("intacctId", intacctId, 30);
        validation.PlainText("intacctId", intacctId);
        if (!validation.IsValid) return TypedResults.ValidationProblem(validation.Errors, title: "The link is incomplete or malformed.");
        try
        {
            return TypedResults.Ok(Binding.From(await links.LinkAsync(pair!, creatioId, intacctId!, cancellationToken), null));
        }
        catch (FlowRefusedException ex)
        {
            return Refusals.Problem(ex);
        }
        catch (IntacctException ex)
        {
            return RemoteProblems.From(ex, "Intacct could not be read or updated.");
        }
        catch (CreatioException ex)
        {
            return RemoteProblems.From(ex, "Creatio could not be read or updated.");
        }
    }

    /// <summary>Unlinks a Creatio record from its Intacct record.</summary>
    /// <remarks>
    /// Clears ACCOUNTID or PRODUCTID in Intacct (when it names this record), the Intacct id on the Creatio record, and the
    /// binding. Also clears an Intacct id that only the Creatio record names (a link Intacct never confirmed). 404 when
    /// nothing links the record. The records themselves stay; the next sync treats them as unlinked.
    /// </remarks>
    internal static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult, JsonHttpResult<ProblemDetails>>> Unlink(string kind, Guid creatioId,
        BindingLinks links, CancellationToken cancellationToken)
    {
        var validation = new RequestValidation();
        var pair = PairOf(kind, validation);
        if (!validation.IsValid) return TypedResults.ValidationProblem(validation.Errors, title: "The link is malformed.");
        try
        {
            return await links.UnlinkAsync(pair!, creatioId, cancellationToken)
                ? TypedResults.NoContent()
                : TypedResults.Problem(title: "Not linked.", detail: $"Nothing links {kind} record {creatioId}.", statusCode: StatusCodes.Status404NotFound);
        }
        catch (FlowRefusedException ex)
        {
            return Refusals.Problem(ex);
        }
        catch (IntacctException ex)
        {
            return RemoteProblems.From(ex, "Intacct could not be read or updated.");
        }
        catch (CreatioException ex)
        {
            return RemoteProblems.From(ex, "Creatio could not be read or updated.");
        }
    }

    private static PairedObjects? PairOf(string kind, RequestValidation validation)
    {
        var pair = BindingLinks.PairFor(kind);
        if (pair is null) validation.Add("kind", $"kind must be {BindingKinds.AccountCustomer} or {BindingKinds.ProductItem}.");
        return pair;
    }
}
