using Interweave.Sidecar.Api.Contracts;
using Interweave.Sidecar.Security;
using Interweave.Sidecar.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Interweave.Sidecar.Api;

public static class BindingsApi
{
    public static IEndpointRouteBuilder MapBindings(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/bindings", List).WithTags("Bindings").WithName("ListBindings").RequireAuthorization(Policies.Admin);
        return endpoints;
    }

    /// <summary>Lists which Creatio record is which Intacct record.</summary>
    /// <remarks><c>kind</c> narrows the list to account-customer, product-item or opportunity-document. A binding without an Intacct id is a send to Intacct under way.</remarks>
    internal static async Task<Ok<Binding[]>> List(string? kind, BindingRepository bindings, CancellationToken cancellationToken) =>
        TypedResults.Ok((await bindings.ListAsync(kind, cancellationToken)).Select(Binding.From).ToArray());
}
