using System.Text.Json;

namespace Interweave.Sidecar.Flows.Engine;

/// <summary>A stored flow: its definition (template or an admin's edit) and an admin's choices.</summary>
public sealed record StoredFlow
{
    public string Id { get; init; } = "";
    public int TemplateVersion { get; init; }
    public string Definition { get; init; } = "";
    /// <summary>0 or 1: the column is an integer on both stores (SQLite has no boolean).</summary>
    public long EnabledValue { get; init; }
    public bool Enabled => EnabledValue != 0;
    public string? Schedule { get; init; }
    public string Settings { get; init; } = "{}";
    public DateTimeOffset? Watermark { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }

    public FlowDefinition Parse() => JsonSerializer.Deserialize<FlowDefinition>(Definition, FlowDefinition.Json)!;

    /// <summary>The definition with the admin's settings in place of the template's defaults: what a run follows.</summary>
    public FlowDefinition Effective() => Parse() with { Settings = ParsedSettings() };

    public IReadOnlyDictionary<string, string> ParsedSettings() =>
        JsonSerializer.Deserialize<Dictionary<string, string>>(Settings, FlowDefinition.Json) ?? [];
}
