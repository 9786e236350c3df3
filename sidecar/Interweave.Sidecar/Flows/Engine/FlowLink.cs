using System.Text.Json.Nodes;

namespace Interweave.Sidecar.Flows.Engine;

/// <summary>A row of flow_links: what a flow last wrote for one source record, and what last failed.</summary>
public sealed record FlowLink
{
    public string FlowId { get; init; } = "";
    public string SourceKey { get; init; } = "";
    public string TargetKey { get; init; } = "";
    /// <summary>The fingerprint of the values last written, or "" when nothing was written yet.</summary>
    public string Fingerprint { get; init; } = "";
    /// <summary>The fingerprint of values that failed and are waiting in the error queue; null when the last attempt went through.</summary>
    public string? FailedFingerprint { get; init; }
    /// <summary>The mapped values last written (JSON), or null for links stored before values were kept.</summary>
    public string? SourceValues { get; init; }

    /// <summary>The target fields the last refused attempt tried to change (JSON array), or null.</summary>
    public string? FailedFields { get; init; }
    /// <summary>When <see cref="SourceValues"/> were written; null for links written before it was kept.</summary>
    public DateTimeOffset? SyncedAt { get; init; }

    public JsonObject? Values() => SourceValues is null ? null : JsonNode.Parse(SourceValues) as JsonObject;

    /// <summary>The target fields the last refused attempt tried to change; empty when none is known.</summary>
    public IReadOnlySet<string> CarriedFields() =>
        FailedFields is null ? new HashSet<string>() : (JsonNode.Parse(FailedFields) as JsonArray ?? []).Select(f => (string?)f ?? "").ToHashSet(StringComparer.Ordinal);
}
