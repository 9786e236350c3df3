using System.Text.Json.Serialization;

namespace Interweave.Sidecar.Flows.Engine;

/// <summary>Where a field both systems changed stands; stored in sync_conflicts.status by its wire name.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ConflictStatus>))]
public enum ConflictStatus
{
    /// <summary>Waiting for a person; neither direction writes the field.</summary>
    [JsonStringEnumMemberName("open")]
    Open,

    /// <summary>A person kept one side's value, and it was written to the other.</summary>
    [JsonStringEnumMemberName("resolved")]
    Resolved,
}

/// <summary>Which system's value a person keeps for a conflict; stored in sync_conflicts.kept.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ConflictSide>))]
public enum ConflictSide
{
    [JsonStringEnumMemberName("creatio")]
    Creatio,

    [JsonStringEnumMemberName("intacct")]
    Intacct,
}
