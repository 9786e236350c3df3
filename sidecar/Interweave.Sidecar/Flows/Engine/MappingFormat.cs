using System.Globalization;

namespace Interweave.Sidecar.Flows.Engine;

/// <summary>
/// How a mapping's format writes its sources: as invariant text, plus "{0:sign}", which writes "negative", "zero" or
/// "positive" for a number (nothing for anything else), so a value map can tell a credit memo from a debit memo by the
/// sign of its total (create_aradjustment: "a negative number to create a credit memo").
/// </summary>
internal sealed class MappingFormat : IFormatProvider, ICustomFormatter
{
    public static readonly MappingFormat Instance = new();

    public object? GetFormat(Type? formatType) => formatType == typeof(ICustomFormatter) ? this : CultureInfo.InvariantCulture.GetFormat(formatType);

    public string Format(string? format, object? arg, IFormatProvider? formatProvider)
    {
        if (string.Equals(format, "sign", StringComparison.OrdinalIgnoreCase))
            return decimal.TryParse(arg as string, NumberStyles.Number, CultureInfo.InvariantCulture, out var number)
                ? number < 0 ? "negative" : number > 0 ? "positive" : "zero"
                : "";
        return arg is IFormattable formattable ? formattable.ToString(format, CultureInfo.InvariantCulture) : arg?.ToString() ?? "";
    }
}
