using System.Text.Json;

namespace Interweave.Sidecar.Flows.Engine;

/// <summary>One field a run wrote to a target record: its name there, the value it held (null on a create) and the value written, as text.</summary>
public sealed record WrittenField(string Field, string? Old, string? New)
{
    /// <summary>The changes as the run log keeps them: a JSON array, or null when nothing was written.</summary>
    public static string? ToJson(IReadOnlyList<WrittenField>? changes) =>
        changes is { Count: > 0 } ? JsonSerializer.Serialize(changes, FlowDefinition.Json) : null;

    public static IReadOnlyList<WrittenField> FromJson(string? json) =>
        json is null ? [] : JsonSerializer.Deserialize<List<WrittenField>>(json, FlowDefinition.Json) ?? [];
}
