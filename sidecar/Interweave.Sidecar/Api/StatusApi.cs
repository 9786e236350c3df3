using Interweave.Sidecar.Creatio;
using Interweave.Sidecar.Intacct;
using Interweave.Sidecar.Security;
using Interweave.Sidecar.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Interweave.Sidecar.Api;

/// <summary>What the sidecar is and whether each connection works.</summary>
/// <param name="Version">The sidecar's version.</param>
/// <param name="Store">The kind of store (sqlite or postgres), never its address: the creatio role may read this.</param>
/// <param name="Intacct">The Intacct connection: configured or not, its last success and failure, and since when it has been failing, if it is.</param>
/// <param name="Creatio">The Creatio connection: configured or not, its last success and failure, and since when it has been failing, if it is.</param>
/// <param name="Role">The role of the key that asked (admin or creatio), so a client such as the console knows what it may offer.</param>
public sealed record StatusView(string Version, string Store, ConnectionState Intacct, ConnectionState Creatio, string Role);

public static class StatusApi
{
    public static IEndpointRouteBuilder MapStatus(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/status", Get).WithTags("Status").WithName("GetStatus").RequireAuthorization(Policies.AnyRole)
            .RequireRateLimiting(CreatioRateLimiting.Policy).ProducesProblem(StatusCodes.Status429TooManyRequests);
        return endpoints;
    }

    /// <summary>Shows the sidecar's version, store and connection health.</summary>
    /// <remarks>
    /// Readable with the creatio key, for the package's status page; it never shows secrets. An admin sees the last
    /// test's error as it was; the creatio role sees a fixed sentence in its place, never an address.
    /// </remarks>
    internal static async Task<Ok<StatusView>> Get(ConnectionSettingsStore connections, Store store, System.Security.Claims.ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var admin = RemoteProblems.IsAdmin(user);
        ConnectionState Shown(ConnectionState state, string system) =>
            admin || state.LastError is null ? state : state with { LastError = $"The last test of the {system} connection failed. An administrator has the details." };
        return TypedResults.Ok(new StatusView(
            typeof(StatusApi).Assembly.GetName().Version?.ToString() ?? "0.0.0",
            store.Provider.ToString().ToLowerInvariant(),
            Shown(await connections.GetStateAsync(IntacctConnectionSettings.System, cancellationToken), "Intacct"),
            Shown(await connections.GetStateAsync(CreatioConnectionSettings.System, cancellationToken), "Creatio"),
            user.FindFirst(System.Security.Claims.ClaimTypes.Role)?.Value ?? ""));
    }
}
