using Interweave.Sidecar.Security;
using Interweave.Sidecar.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Interweave.Sidecar.Api;

public sealed record CreateApiKeyRequest(string? Name, string? Role);

/// <summary>The only time a key is ever shown is in this answer.</summary>
public sealed record CreatedApiKey(string Id, string Name, string Role, string Key, DateTimeOffset CreatedAt);

/// <summary>An API key as lists show it: never the key itself.</summary>
/// <param name="Id">The key's id; revoke and rotate take it.</param>
/// <param name="Name">Its name, unique among active keys.</param>
/// <param name="Role">admin, creatio or operator.</param>
/// <param name="CreatedAt">When it was created.</param>
/// <param name="LastUsedAt">When it was last used (to the minute).</param>
/// <param name="RevokedAt">When it was revoked; null while it works.</param>
/// <param name="Prefix">How the key starts (iw_ and its 8-character prefix), to tell keys apart; null for the bootstrap key, which is the operator's own text.</param>
public sealed record ApiKeyView(string Id, string Name, string Role, DateTimeOffset CreatedAt, DateTimeOffset? LastUsedAt, DateTimeOffset? RevokedAt, string? Prefix = null);

public static class KeysApi
{
    public static IEndpointRouteBuilder MapApiKeys(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/keys").WithTags("API keys").RequireAuthorization(Policies.Admin);
        group.MapGet("/", List).WithName("ListApiKeys");
        group.MapPost("/", Create).WithName("CreateApiKey").ProducesProblem(StatusCodes.Status409Conflict).Audited("key", "create", _ => null);
        group.MapDelete("/{id}", Revoke).WithName("RevokeApiKey").Audited("key", "revoke", h => AuditApi.Route(h, "id"), AuditApi.KeyAsync);
        group.MapPost("/{id}/rotate", Rotate).WithName("RotateApiKey")
            .WithSummary("Revokes an active key and issues a new one with the same name and role; the new key is shown once.")
            .Audited("key", "rotate", h => AuditApi.Route(h, "id"), AuditApi.KeyAsync);
        return endpoints;
    }

    /// <summary>Lists the API keys.</summary>
    /// <remarks>Names, roles and dates; never the keys themselves, which are stored hashed.</remarks>
    internal static async Task<Ok<ApiKeyView[]>> List(ApiKeyRepository keys, CancellationToken cancellationToken) =>
        TypedResults.Ok((await keys.ListAsync(cancellationToken)).Select(View).ToArray());

    /// <summary>Creates an API key.</summary>
    /// <remarks>The key is in the answer once and never again. Its name must not be an active key's (409; compared without case). Roles: admin (everything), creatio (the package's buttons and the status) or operator (runs, errors, flows and the dashboard to read, and retrying an error).</remarks>
    internal static async Task<Results<Created<CreatedApiKey>, ValidationProblem, ProblemHttpResult>> Create(
        CreateApiKeyRequest request, ApiKeyService keys, CancellationToken cancellationToken)
    {
        var validation = new RequestValidation();
        var name = validation.Required("name", request.Name);
        validation.MaxLength("name", name, 100);
        validation.PlainText("name", name);
        var role = validation.Required("role", request.Role);
        if (role is not null && !Roles.All.Contains(role)) validation.Add("role", $"role must be one of: {string.Join(", ", Roles.All)}.");
        if (!validation.IsValid) return TypedResults.ValidationProblem(validation.Errors, title: "The API key request is incomplete.");

        var issued = await keys.CreateAsync(name!, role!, cancellationToken);
        if (issued is null)
            return TypedResults.Problem(title: "A key of that name is active.", statusCode: StatusCodes.Status409Conflict,
                detail: $"An active key is already named '{name}'. Names tell keys apart: choose another, or rotate or revoke that key.");
        return TypedResults.Created($"/api/keys/{issued.Id}", new CreatedApiKey(issued.Id, issued.Name, issued.Role, issued.Key, issued.CreatedAt));
    }

    /// <summary>Revokes an API key.</summary>
    /// <remarks>Calls with it are refused from now on.</remarks>
    internal static async Task<Results<NoContent, NotFound>> Revoke(string id, ApiKeyRepository keys, TimeProvider time, CancellationToken cancellationToken) =>
        await keys.RevokeAsync(id, time.GetUtcNow(), cancellationToken) ? TypedResults.NoContent() : TypedResults.NotFound();

    /// <summary>Replaces an API key with a new one of the same name and role.</summary>
    /// <remarks>The old key is revoked first, in one conditional update, so two rotations at once give one new key. The new key is in the answer once.</remarks>
    internal static async Task<Results<Ok<CreatedApiKey>, NotFound>> Rotate(string id, ApiKeyService keys, CancellationToken cancellationToken) =>
        await keys.RotateAsync(id, cancellationToken) is { } issued
            ? TypedResults.Ok(new CreatedApiKey(issued.Id, issued.Name, issued.Role, issued.Key, issued.CreatedAt))
            : TypedResults.NotFound();

    internal static ApiKeyView View(ApiKeyRecord k) => new(k.Id, k.Name, k.Role, k.CreatedAt, k.LastUsedAt, k.RevokedAt, ApiKeyService.ShownPrefix(k.Prefix));
}
