namespace Interweave.Sidecar.Flows.Engine;

/// <summary>
/// An admin's change to a flow in the engine's terms; what is null stays as it is. A null entry in a list stands
/// for one the request could not express (already refused), so the others keep their positions.
/// </summary>
public sealed record FlowEdit(bool? Enabled, string? Schedule, IReadOnlyDictionary<string, string>? Settings, IReadOnlyList<FieldMap?>? Mapping,
    IReadOnlyList<FlowFilter?>? Filter);
