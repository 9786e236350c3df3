using System.Text.Json.Serialization;

namespace Interweave.Sidecar.Flows.Engine;

/// <summary>What a mapped value is converted to on its way into the target.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<FieldType>))]
public enum FieldType
{
    [JsonStringEnumMemberName("text")]
    Text,

    [JsonStringEnumMemberName("decimal")]
    Decimal,

    [JsonStringEnumMemberName("int")]
    Int,

    [JsonStringEnumMemberName("date")]
    Date,

    [JsonStringEnumMemberName("datetime")]
    DateTime,

    [JsonStringEnumMemberName("guid")]
    Guid,

    [JsonStringEnumMemberName("bool")]
    Bool,
}
