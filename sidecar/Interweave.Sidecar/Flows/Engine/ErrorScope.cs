using System.Text.Json.Serialization;

namespace Interweave.Sidecar.Flows.Engine;

/// <summary>
/// What an error is about; stored in sync_errors.scope by its wire name. record: one record of a flow failed (retry
/// sends that record again). run: the whole run stopped (a system unreachable, a refused sign-in, a 5xx; retry runs
/// the flow again).
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<ErrorScope>))]
public enum ErrorScope
{
    [JsonStringEnumMemberName("record")]
    Record,

    [JsonStringEnumMemberName("run")]
    Run,
}
