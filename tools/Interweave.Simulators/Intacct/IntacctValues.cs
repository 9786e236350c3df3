using System.Globalization;
using System.Xml.Linq;

namespace Interweave.Simulators.Intacct;

/// <summary>One Intacct error as it appears inside an errormessage block.</summary>
internal sealed record IntacctError(string Number, string Description, string? Description2 = null, string? Correction = null)
{
    public XElement ToXml() => new("error",
        new XElement("errorno", Number),
        new XElement("description", Description),
        new XElement("description2", Description2 ?? ""),
        new XElement("correction", Correction ?? ""));
}

/// <summary>A function failed; the message is never shown, the errors are.</summary>
internal sealed class IntacctFunctionException(params IntacctError[] errors) : Exception(errors.FirstOrDefault()?.Description)
{
    public IReadOnlyList<IntacctError> Errors { get; } = errors;

    public static IntacctFunctionException Business(string description2, string? correction = null, string description = "") =>
        new(new IntacctError("BL01001973", description, description2, correction));
}

/// <summary>Value formats as the XML gateway reads and writes them.</summary>
internal static class IntacctValues
{
    public const string DateFormat = "MM/dd/yyyy";
    public const string DateTimeFormat = "MM/dd/yyyy HH:mm:ss";

    public static string FormatDateTime(DateTimeOffset value) => value.UtcDateTime.ToString(DateTimeFormat, CultureInfo.InvariantCulture);

    public static string FormatDate(DateOnly value) => value.ToString(DateFormat, CultureInfo.InvariantCulture);

    public static string FormatDecimal(decimal value) => value.ToString("0.00##", CultureInfo.InvariantCulture);

    public static bool TryParseDate(string text, out DateTime value) =>
        DateTime.TryParseExact(text.Trim(), [DateFormat, DateTimeFormat, "M/d/yyyy", "M/d/yyyy H:mm:ss"], CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out value);

    public static bool TryParseDecimal(string text, out decimal value) =>
        decimal.TryParse(text.Trim(), NumberStyles.Number, CultureInfo.InvariantCulture, out value);

    public static decimal DecimalOf(XElement record, string field) =>
        TryParseDecimal(record.Element(field)?.Value ?? "", out var value) ? value : 0m;

    /// <summary>Reads a value by path (DISPLAYCONTACT.EMAIL1); null when absent or empty.</summary>
    public static string? ValueAt(XElement record, string path)
    {
        XElement? current = record;
        foreach (var part in path.Split('.'))
        {
            current = current.Elements().FirstOrDefault(e => string.Equals(e.Name.LocalName, part, StringComparison.OrdinalIgnoreCase));
            if (current is null) return null;
        }

        return current.HasElements || current.Value.Length == 0 ? null : current.Value;
    }

    public static FieldDef? FieldAt(ObjectDef definition, string path)
    {
        IReadOnlyList<FieldDef> fields = definition.Fields;
        FieldDef? field = null;
        foreach (var part in path.Split('.'))
        {
            field = fields.FirstOrDefault(f => string.Equals(f.Name, part, StringComparison.OrdinalIgnoreCase));
            if (field is null) return null;
            fields = field.Children;
        }

        return field;
    }
}
