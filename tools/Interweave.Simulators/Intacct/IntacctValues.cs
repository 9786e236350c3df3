using System.Globalization;
using System.Security.Cryptography;
using System.Xml.Linq;

namespace Interweave.Simulators.Intacct;

/// <summary>One Intacct error as it appears inside an errormessage block. Texts never carry angle brackets: every official SDK strips them.</summary>
internal sealed record IntacctError(string Number, string Description, string? Description2 = null, string? Correction = null)
{
    public XElement ToXml() => new("error",
        new XElement("errorno", Number),
        new XElement("description", Description),
        new XElement("description2", Description2 ?? ""),
        new XElement("correction", Correction ?? ""));
}

/// <summary>A function failed; the errors are what the caller sees.</summary>
internal sealed class IntacctFunctionException(params IntacctError[] errors) : Exception(errors.FirstOrDefault()?.Description2)
{
    public IReadOnlyList<IntacctError> Errors { get; } = errors;

    /// <summary>
    /// A business-rule failure as Intacct reports one: the specific error (a short title, the detail with a support id, the
    /// correction), then the generic one naming what could not be done ("Could not create GL Account record.").
    /// Source: the duplicate-account example on https://developer.intacct.com/web-services/requests/.
    /// </summary>
    public static IntacctFunctionException Business(string title, string detail, string? correction, string generic) =>
        new(new IntacctError("BL01001973", title, $"{detail} {IntacctErrors.SupportId()}", correction),
            new IntacctError("BL01001973", "", generic, ""));
}

/// <summary>
/// The documented error numbers and texts: https://developer.intacct.com/web-services/error-handling/ and /requests/, the
/// official SDKs' response fixtures, fylein/sageintacct-sdk-py issue #93, intacct-sdk-js issue #83, intacct-sdk-net issue #150.
/// </summary>
internal static class IntacctErrors
{
    public static string SupportId() => $"[Support ID: {Convert.ToBase64String(RandomNumberGenerator.GetBytes(15)).Replace('+', '-').Replace('/', '~')}]";

    /// <summary>query: a field the object does not have (fylein/sageintacct-sdk-py issue #93).</summary>
    public static IntacctFunctionException FieldNotValid(ObjectDef definition, string field) =>
        new(new IntacctError("XL03000010", "", $"Field requested is not valid: {definition.Name.ToLowerInvariant()}.{field} {SupportId()}", ""));

    /// <summary>query: fields that exist but cannot be queried (intacct-sdk-js issue #83, intacct-sdk-net issue #150).</summary>
    public static IntacctFunctionException CannotBeQueried(ObjectDef definition, IEnumerable<string> fields) =>
        new(new IntacctError("XL03000006", "", $"The following fields cannot be queried: [ {definition.Name.ToLowerInvariant()}: [{string.Join(", ", fields)}] ]", ""));

    /// <summary>readByQuery could not process the request (unknown field, ISO date, syntax). The correction is ours: real Intacct gives none.</summary>
    public static IntacctFunctionException ReadByQueryFailed(string problem) =>
        new(new IntacctError("DL02000001", "", "There was an error processing the request.", problem));

    /// <summary>An object the company does not have (SDK ResultTest fixtures: "Object definition BADOBJECT not found").</summary>
    public static IntacctFunctionException ObjectNotFound(string? name, bool query) =>
        new(new IntacctError(query ? "Query Failed" : "BL01001973", "", $"Object definition {name} not found", ""));

    /// <summary>A malformed element inside a function: the gateway validates requests against its DTD.</summary>
    public static IntacctFunctionException Schema(string problem) =>
        new(new IntacctError("XL03000003", "", $"XML Parse schema error: {problem}", ""));
}

/// <summary>Value formats as the XML gateway reads and writes them.</summary>
internal static class IntacctValues
{
    public const string DateFormat = "MM/dd/yyyy";
    public const string DateTimeFormat = "MM/dd/yyyy HH:mm:ss";

    public static string FormatDateTime(DateTimeOffset value) => value.UtcDateTime.ToString(DateTimeFormat, CultureInfo.InvariantCulture);

    public static string FormatDate(DateOnly value) => value.ToString(DateFormat, CultureInfo.InvariantCulture);

    /// <summary>Unpadded, as recorded real responses show them (TOTALDUE 7431, EXCHANGE_RATE 44.6417532562347).</summary>
    public static string FormatDecimal(decimal value) => value.ToString("0.##########", CultureInfo.InvariantCulture);

    public static bool TryParseDate(string text, out DateTime value) =>
        DateTime.TryParseExact(text.Trim(), [DateFormat, DateTimeFormat, "M/d/yyyy", "M/d/yyyy H:mm:ss"], CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out value);

    public static bool TryParseDecimal(string text, out decimal value) =>
        decimal.TryParse(text.Trim(), NumberStyles.Number, CultureInfo.InvariantCulture, out value);

    public static decimal DecimalOf(XElement record, string field) =>
        TryParseDecimal(record.Element(field)?.Value ?? "", out var value) ? value : 0m;

    /// <summary>A legacy split date (year, month, day elements) as MM/DD/YYYY, or null when the element is absent.</summary>
    public static string? SplitDate(XElement? element, string name)
    {
        if (element is null) return null;
        if (int.TryParse(element.Element("year")?.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var year)
            && int.TryParse(element.Element("month")?.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var month)
            && int.TryParse(element.Element("day")?.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var day)
            && year is >= 1900 and <= 2999 && month is >= 1 and <= 12 && day >= 1 && day <= DateTime.DaysInMonth(year, month))
            return FormatDate(new DateOnly(year, month, day));
        throw IntacctErrors.Schema($"{name} needs year, month and day elements that form a date.");
    }
}
