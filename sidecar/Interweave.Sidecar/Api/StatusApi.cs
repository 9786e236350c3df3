using Interweave.Sidecar.Creatio;
using Interweave.Sidecar.Intacct;
using Interweave.Sidecar.Security;
using Interweave.Sidecar.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Interweave.Sidecar.Api;

/// <param name="Store">The kind of store (sqlite or postgres), never its address: the creatio role may read this.</param>
public sealed record StatusView(string Version, string Store, ConnectionState Intacct, ConnectionState Creatio);

public static class StatusApi
{
    public static IEndpointRouteBuilder MapStatus(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/status", Get).WithTags("Status").WithName("GetStatus").RequireAuthorization(Policies.CreatioActions);
        return endpoints;
    }

    internal static async Task<Ok<StatusView>> Get(ConnectionSettingsStore connections, Store store, CancellationToken cancellationToken) =>
        TypedResults.Ok(new StatusView(
            typeof(StatusApi).Assembly.GetName().Version?.ToString() ?? "0.0.0",
            store.Provider.ToString().ToLowerInvariant(),
            await connections.GetStateAsync(IntacctConnectionSettings.System, cancellationToken),
            await connections.GetStateAsync(CreatioConnectionSettings.System, cancellationToken)));
}
