using System.Globalization;
using System.Text.Json.Nodes;
using Interweave.Sidecar.Creatio;

namespace Interweave.Sidecar.Flows.Engine;

/// <summary>
/// Whether a value already holds what a flow would write (in Creatio's JSON or as Intacct's text): what makes an
/// echo (our own write coming back as a change) cost a read and never a write. Blank and missing are the same;
/// numbers compare by value, dates by instant, ids without case.
/// </summary>
public static class SameValue
{
    public static bool Equal(JsonNode? current, JsonNode? desired)
    {
        var a = CreatioValues.Text(current) ?? "";
        var b = CreatioValues.Text(desired) ?? "";
        if (a == b) return true;
        if (decimal.TryParse(a, NumberStyles.Number, CultureInfo.InvariantCulture, out var x) && decimal.TryParse(b, NumberStyles.Number, CultureInfo.InvariantCulture, out var y)) return x == y;
        if (Guid.TryParse(a, out var g) && Guid.TryParse(b, out var h)) return g == h;
        if (a.Contains('T', StringComparison.Ordinal) && b.Contains('T', StringComparison.Ordinal)
            && DateTimeOffset.TryParse(a, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var d)
            && DateTimeOffset.TryParse(b, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var e)) return d == e;
        return false;
    }
}
