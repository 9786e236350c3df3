using System.Globalization;

namespace Interweave.Sidecar.Creatio;

/// <summary>Reads Creatio's JSON values: decimals arrive as numbers, or as strings from IEEE754Compatible clients.</summary>
public static class CreatioValues
{
    /// <summary>A JSON value as text: strings as they are, numbers invariant, booleans true/false; null for null, objects and arrays.</summary>
    public static string? Text(System.Text.Json.Nodes.JsonNode? node) => node?.GetValueKind() switch
    {
        System.Text.Json.JsonValueKind.String => (string?)node,
        System.Text.Json.JsonValueKind.Number => node.GetValue<decimal>().ToString(CultureInfo.InvariantCulture),
        System.Text.Json.JsonValueKind.True => "true",
        System.Text.Json.JsonValueKind.False => "false",
        _ => null,
    };

    public static decimal Decimal(System.Text.Json.Nodes.JsonNode? node) =>
        node is null ? 0m
        : node.GetValueKind() == System.Text.Json.JsonValueKind.String ? decimal.Parse((string)node!, CultureInfo.InvariantCulture)
        : node.GetValue<decimal>();
}
