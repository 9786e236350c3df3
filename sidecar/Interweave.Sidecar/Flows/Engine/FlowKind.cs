using System.Text.Json.Serialization;

namespace Interweave.Sidecar.Flows.Engine;

/// <summary>How a flow runs: pulls and pushes over every changed record, on schedule or now; actions for one record from a button.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<FlowKind>))]
public enum FlowKind
{
    /// <summary>Intacct → Creatio, incremental by WHENMODIFIED.</summary>
    [JsonStringEnumMemberName("pull")]
    Pull,

    /// <summary>Creatio → Intacct, incremental by ModifiedOn.</summary>
    [JsonStringEnumMemberName("push")]
    Push,

    /// <summary>Run by a button in Creatio for one record.</summary>
    [JsonStringEnumMemberName("action")]
    Action,
}
