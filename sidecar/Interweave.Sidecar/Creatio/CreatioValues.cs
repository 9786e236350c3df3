using System.Globalization;

namespace Interweave.Sidecar.Creatio;

/// <summary>Reads Creatio's JSON values: decimals arrive as numbers, or as strings from IEEE754Compatible clients.</summary>
public static class CreatioValues
{
    /// <summary>
    /// A JSON value as text: strings as they are, numbers invariant, booleans true/false; null for null, objects and
    /// arrays, and for Creatio's unset date. Creatio's OData writes a date column that holds no date as
    /// 0001-01-01T00:00:00Z (docs: creatio.md, "empty date"; its Academy's Contact example shows BirthDate so): read
    /// here, once, as no value, it is never sent on to Intacct as 1 January of year 1 nor taken for a value that differs from a blank.
    /// </summary>
    public static string? Text(System.Text.Json.Nodes.JsonNode? node) => node?.GetValueKind() switch
    {
        System.Text.Json.JsonValueKind.String => IsUnsetDate((string?)node) ? null : (string?)node,
        System.Text.Json.JsonValueKind.Number => node.GetValue<decimal>().ToString(CultureInfo.InvariantCulture),
        System.Text.Json.JsonValueKind.True => "true",
        System.Text.Json.JsonValueKind.False => "false",
        _ => null,
    };

    /// <summary>Creatio's spelling of a date column that holds no date (DateTime.MinValue), with or without fractions of a second.</summary>
    public static bool IsUnsetDate(string? text) =>
        text is not null && text.StartsWith("0001-01-01T00:00:00", StringComparison.Ordinal)
        && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) && at.UtcDateTime == DateTime.MinValue;

    public static decimal Decimal(System.Text.Json.Nodes.JsonNode? node) =>
        node is null ? 0m
        : node.GetValueKind() == System.Text.Json.JsonValueKind.String ? decimal.Parse((string)node!, CultureInfo.InvariantCulture)
        : node.GetValue<decimal>();
}
