using System.Text.Json.Nodes;
using Interweave.Sidecar.Creatio;
using Interweave.Sidecar.Flows.Engine;
using Interweave.Sidecar.Intacct;
using Interweave.Sidecar.Security;
using Interweave.Sidecar.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Interweave.Sidecar.Api;

/// <summary>One change: when, which key (by name), what, and its fields before and after.</summary>
/// <param name="Id">The entry's number; page back with before={id}.</param>
/// <param name="At">When the change was made.</param>
/// <param name="KeyName">The name of the API key that made it.</param>
/// <param name="Entity">What was changed: connection, flow, key, binding, binding-run or error.</param>
/// <param name="EntityId">Which one (intacct, a flow id, a key id, kind/creatioId, a report or error number).</param>
/// <param name="Action">update, create, revoke, rotate, link, unlink, commit or dismiss.</param>
/// <param name="Changes">The fields that changed, before and after; secrets only as "(set)" and "(changed)".</param>
public sealed record AuditEntry(long Id, DateTimeOffset At, string KeyName, string Entity, string EntityId, string Action, IReadOnlyList<AuditChange> Changes);

public static class AuditApi
{
    public static IEndpointRouteBuilder MapAudit(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/audit", List).WithTags("Audit").WithName("ListAuditLog").RequireAuthorization(Policies.Admin).ProducesValidationProblem();
        return endpoints;
    }

    /// <summary>Lists who changed what, newest first.</summary>
    /// <remarks>
    /// <c>entity</c> (connection, flow, key, binding, binding-run, error) and <c>entityId</c> narrow the list; <c>limit</c> (1 to 200,
    /// default 50) caps it, and a larger one is clamped to 200, never refused; <c>before</c> (an entry's id) pages back.
    /// </remarks>
    internal static async Task<Results<Ok<AuditEntry[]>, ValidationProblem>> List(string? entity, string? entityId, long? before, int? limit, AuditLog audit,
        CancellationToken cancellationToken)
    {
        if (entity is { Length: > 50 } || entityId is { Length: > 200 })
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["entity"] = ["entity has at most 50 characters and entityId at most 200."] });
        var entries = await audit.ListAsync(entity, entityId, before, Math.Clamp(limit ?? 50, 1, 200), cancellationToken);
        return TypedResults.Ok(entries.Select(e => new AuditEntry(e.Id, e.At, e.KeyName, e.Entity, e.EntityId, e.Action, e.ParsedChanges())).ToArray());
    }

    /// <summary>
    /// Records the endpoint's change when it succeeds: the entity as it was before and after (read by
    /// <paramref name="snapshot"/>), or, without one, what the answer says (a new key: its name and role).
    /// </summary>
    public static RouteHandlerBuilder Audited(this RouteHandlerBuilder builder, string entity, string action, Func<HttpContext, string?> id,
        Func<IServiceProvider, string, CancellationToken, Task<object?>>? snapshot = null) =>
        builder.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            var entityId = id(http);
            var before = snapshot is not null && entityId is not null ? await snapshot(http.RequestServices, entityId, http.RequestAborted) : null;
            var result = await next(context);
            var answered = result is INestedHttpResult nested ? nested.Result : result as IResult;
            if (answered is not IStatusCodeHttpResult { StatusCode: >= 200 and < 300 }) return result;
            var value = (answered as IValueHttpResult)?.Value;
            entityId ??= (JsonSerializerNode(value) as JsonObject)?["id"]?.ToString() ?? "";
            var after = snapshot is not null ? await snapshot(http.RequestServices, entityId, CancellationToken.None) : value;
            await http.RequestServices.GetRequiredService<AuditLog>().RecordAsync(http.User, entity, entityId, action, before, after, CancellationToken.None);
            return result;
        });

    private static JsonNode? JsonSerializerNode(object? value) => System.Text.Json.JsonSerializer.SerializeToNode(value, AuditLog.Json);

    /// <summary>A connection's stored settings (secrets are compared by hash, never written).</summary>
    public static async Task<object?> ConnectionAsync(IServiceProvider services, string system, CancellationToken cancellationToken)
    {
        var store = services.GetRequiredService<ConnectionSettingsStore>();
        return system == IntacctConnectionSettings.System
            ? await store.GetAsync<IntacctConnectionSettings>(system, cancellationToken)
            : await store.GetAsync<CreatioConnectionSettings>(system, cancellationToken);
    }

    /// <summary>A flow as an admin changes it: enabled, schedule, settings, mapping, filter.</summary>
    public static async Task<object?> FlowAsync(IServiceProvider services, string flowId, CancellationToken cancellationToken) =>
        await services.GetRequiredService<FlowStore>().GetAsync(flowId, cancellationToken) is { } flow
            ? new { flow.Enabled, flow.Schedule, Settings = flow.Effective().Settings, flow.Effective().Mapping, flow.Effective().Filter }
            : null;

    public static async Task<object?> KeyAsync(IServiceProvider services, string id, CancellationToken cancellationToken) =>
        await services.GetRequiredService<ApiKeyRepository>().FindByIdAsync(id, cancellationToken) is { } key
            ? new { key.Name, key.Role, Revoked = key.RevokedAt is not null }
            : null;

    public static async Task<object?> ErrorAsync(IServiceProvider services, string id, CancellationToken cancellationToken) =>
        long.TryParse(id, out var errorId) && await services.GetRequiredService<ErrorQueue>().GetAsync(errorId, cancellationToken) is { } error
            ? new { Status = WireNames.Of(error.Status), error.FlowId, error.RecordKey }
            : null;

    public static async Task<object?> BindingAsync(IServiceProvider services, string id, CancellationToken cancellationToken) =>
        id.Split('/') is [var kind, var creatioId] && await services.GetRequiredService<BindingRepository>().GetAsync(kind, creatioId, cancellationToken) is { } binding
            ? new { binding.IntacctId, binding.IntacctRecordNo }
            : null;

    internal static string? Route(HttpContext http, string name) => http.Request.RouteValues[name]?.ToString();

    /// <summary>A binding's id in the log: its kind and the Creatio Id as stored.</summary>
    internal static string? BindingId(HttpContext http) =>
        Guid.TryParse(Route(http, "creatioId"), out var id) ? $"{Route(http, "kind")}/{id:D}" : null;
}
