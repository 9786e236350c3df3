using System.Text.Json.Serialization;

namespace Interweave.Sidecar.Flows.Engine;

/// <summary>How a flow filter compares a field with its value.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<FilterOperator>))]
public enum FilterOperator
{
    [JsonStringEnumMemberName("equals")]
    Equal,

    [JsonStringEnumMemberName("notEquals")]
    NotEqual,
}
