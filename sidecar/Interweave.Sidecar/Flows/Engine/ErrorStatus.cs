using System.Text.Json.Serialization;

namespace Interweave.Sidecar.Flows.Engine;

/// <summary>Where a queued error stands; stored in sync_errors.status by its wire name.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ErrorStatus>))]
public enum ErrorStatus
{
    [JsonStringEnumMemberName("open")]
    Open,

    [JsonStringEnumMemberName("resolved")]
    Resolved,

    [JsonStringEnumMemberName("dismissed")]
    Dismissed,
}
