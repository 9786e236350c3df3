namespace Interweave.Sidecar.Flows.Engine;

/// <summary>A flow setting and its rule, declared beside the code that reads it; <see cref="FlowChanges"/> checks every change against it.</summary>
public sealed record FlowSetting(string Name, Func<string, bool> IsValid, string Rule)
{
    public static FlowSetting OneOf(string name, IReadOnlyList<string> values, string rule) =>
        new(name, value => values.Contains(value, StringComparer.Ordinal), rule);
}
