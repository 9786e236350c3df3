using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dapper;
using Interweave.Sidecar.Storage;

namespace Interweave.Sidecar.Security;

/// <summary>One field a change touched: its value before and after, as text (a secret shows only as "(changed)").</summary>
/// <param name="Field">The field's name, as the API spells it (schedule, mapping, userPassword ...).</param>
/// <param name="Before">Its value before the change; null when it had none (or the entity did not exist).</param>
/// <param name="After">Its value after; null when the change removed it (or the entity).</param>
public sealed record AuditChange(string Field, string? Before, string? After);

/// <summary>A row of audit_log as read.</summary>
public sealed record StoredAuditEntry
{
    public long Id { get; init; }
    public DateTimeOffset At { get; init; }
    public string KeyName { get; init; } = "";
    public string Entity { get; init; } = "";
    public string EntityId { get; init; } = "";
    public string Action { get; init; } = "";
    public string Changes { get; init; } = "[]";

    public IReadOnlyList<AuditChange> ParsedChanges() => JsonSerializer.Deserialize<List<AuditChange>>(Changes, AuditLog.Json) ?? [];
}

/// <summary>
/// Who changed what: each change to a connection, a flow, a key, a binding or an error, with the key that made it
/// (by name) and the fields it changed, before and after. Fields whose names say they hold a secret (a password, a
/// secret, a key, a hash) are compared but never written: they show as "(set)" and "(changed)".
/// </summary>
public sealed class AuditLog(Store store, TimeProvider time)
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task RecordAsync(ClaimsPrincipal who, string entity, string entityId, string action, object? before, object? after, CancellationToken cancellationToken)
    {
        var changes = Diff(Flatten(before), Flatten(after));
        await using var connection = await store.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("""
            insert into audit_log (at, key_id, key_name, entity, entity_id, action, changes)
            values (@at, @keyId, @keyName, @entity, @entityId, @action, @changes)
            """,
            new
            {
                at = time.GetUtcNow(),
                keyId = who.FindFirstValue(ClaimTypes.NameIdentifier),
                keyName = who.Identity?.Name ?? "(unknown)",
                entity,
                entityId,
                action,
                changes = JsonSerializer.Serialize(changes, Json),
            }, cancellationToken: cancellationToken));
    }

    /// <summary>Newest first; <paramref name="beforeId"/> pages back from an entry.</summary>
    public async Task<IReadOnlyList<StoredAuditEntry>> ListAsync(string? entity, string? entityId, long? beforeId, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<StoredAuditEntry>(new CommandDefinition("""
            select id as Id, at as At, key_name as KeyName, entity as Entity, entity_id as EntityId, action as Action, changes as Changes
            from audit_log
            where (@entity is null or entity = @entity) and (@entityId is null or entity_id = @entityId) and (@beforeId is null or id < @beforeId)
            order by id desc limit @limit
            """, new { entity, entityId, beforeId, limit }, cancellationToken: cancellationToken))).AsList();
    }

    internal static bool IsSecret(string field) =>
        field.Contains("password", StringComparison.OrdinalIgnoreCase) || field.Contains("secret", StringComparison.OrdinalIgnoreCase)
        || field.Equals("key", StringComparison.OrdinalIgnoreCase) || field.Contains("hash", StringComparison.OrdinalIgnoreCase);

    /// <summary>The top-level fields of a value as text; a secret as a hash, so a change can be told without keeping it.</summary>
    private static Dictionary<string, string?> Flatten(object? value)
    {
        var fields = new Dictionary<string, string?>(StringComparer.Ordinal);
        if ((value is JsonNode node ? node : JsonSerializer.SerializeToNode(value, Json)) is not JsonObject json) return fields;
        foreach (var (name, field) in json)
        {
            var text = field switch { null => null, JsonValue v when v.TryGetValue<string>(out var s) => s, _ => field.ToJsonString(Json) };
            fields[name] = IsSecret(name) && !string.IsNullOrEmpty(text) ? Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text))) : text;
        }

        return fields;
    }

    private static List<AuditChange> Diff(Dictionary<string, string?> before, Dictionary<string, string?> after)
    {
        var changes = new List<AuditChange>();
        foreach (var field in before.Keys.Union(after.Keys))
        {
            var (old, now) = (before.GetValueOrDefault(field), after.GetValueOrDefault(field));
            if (old == now) continue;
            changes.Add(IsSecret(field) ? new AuditChange(field, old is null ? null : "(set)", now is null ? null : "(changed)") : new AuditChange(field, old, now));
        }

        return changes;
    }
}
