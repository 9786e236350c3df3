using System.Globalization;

namespace Interweave.Sidecar.Intacct;

/// <summary>How the XML gateway writes dates (MM/dd/yyyy, the US company default) and timestamps (UTC for the API user).</summary>
public static class IntacctDates
{
    public const string DateFormat = "MM/dd/yyyy";
    public const string DateTimeFormat = "MM/dd/yyyy HH:mm:ss";

    public static string Format(DateOnly date) => date.ToString(DateFormat, CultureInfo.InvariantCulture);

    public static string Format(DateTimeOffset at) => at.UtcDateTime.ToString(DateTimeFormat, CultureInfo.InvariantCulture);

    public static DateOnly ParseDate(string text) =>
        DateOnly.ParseExact(text.Trim(), [DateFormat, "yyyy-MM-dd"], CultureInfo.InvariantCulture);

    public static DateTimeOffset ParseDateTime(string text) =>
        new(DateTime.ParseExact(text.Trim(), [DateTimeFormat, "yyyy-MM-dd'T'HH:mm:ss"], CultureInfo.InvariantCulture), TimeSpan.Zero);
}
