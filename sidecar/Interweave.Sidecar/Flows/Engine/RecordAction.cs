using System.Text.Json.Serialization;

namespace Interweave.Sidecar.Flows.Engine;

/// <summary>What a run did with one record; stored in flow_run_records.action by its wire name.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<RecordAction>))]
public enum RecordAction
{
    [JsonStringEnumMemberName("created")]
    Created,

    [JsonStringEnumMemberName("updated")]
    Updated,

    [JsonStringEnumMemberName("unchanged")]
    Unchanged,

    [JsonStringEnumMemberName("failed")]
    Failed,
}
