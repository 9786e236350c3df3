using System.Text.Json.Nodes;

namespace Interweave.Sidecar.Flows.Engine;

/// <summary>A record a run created or changed in the target, with the values it wrote: what roll-ups work from.</summary>
public sealed record WrittenRecord(string TargetKey, JsonObject Values);
