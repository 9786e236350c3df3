using System.Text.Json;

namespace Interweave.Sidecar.Flows.Engine;

/// <summary>
/// An enum value as the API and the store spell it (its JsonStringEnumMemberName). Dapper would write an enum
/// parameter as its number, so values go into SQL through this.
/// </summary>
public static class WireNames
{
    public static string Of<T>(T value) where T : struct, Enum => JsonSerializer.Deserialize<string>(JsonSerializer.Serialize(value))!;

    /// <summary>The value whose wire name is <paramref name="text"/> exactly (not its number, not another spelling).</summary>
    public static bool TryParse<T>(string? text, out T value) where T : struct, Enum
    {
        foreach (var candidate in Enum.GetValues<T>())
        {
            if (Of(candidate) != text) continue;
            value = candidate;
            return true;
        }

        value = default;
        return false;
    }
}
