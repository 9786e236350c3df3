using System.Globalization;
using System.Text;

namespace Interweave.Sidecar.Flows;

/// <summary>
/// The name two records are matched on by the binding run: exact after normalizing what people type differently in
/// two systems (case, accents, spacing, punctuation, "&amp;" for "and", legal suffixes such as Inc, Ltd or GmbH). Never
/// fuzzy: a near miss is reported, not guessed.
/// </summary>
public static class NameMatching
{
    /// <summary>Legal-form words dropped from the end of a name (after punctuation is gone: "L.L.C." is "llc").</summary>
    private static readonly HashSet<string> LegalSuffixes = new(StringComparer.Ordinal)
    {
        "inc", "incorporated", "corp", "corporation", "co", "company", "ltd", "limited", "llc", "llp", "lp", "plc", "gmbh", "mbh", "ag", "kg", "sa", "sas",
        "sarl", "srl", "spa", "bv", "nv", "as", "asa", "ab", "oy", "oyj", "aps", "pty", "pvt", "kk", "sl", "se",
    };

    private static readonly Dictionary<char, string> Folded = new()
    {
        ['ø'] = "o",
        ['Ø'] = "o",
        ['æ'] = "ae",
        ['Æ'] = "ae",
        ['œ'] = "oe",
        ['Œ'] = "oe",
        ['ß'] = "ss",
        ['ł'] = "l",
        ['Ł'] = "l",
        ['đ'] = "d",
        ['Đ'] = "d",
        ['þ'] = "th",
        ['Þ'] = "th",
        ['ı'] = "i",
    };

    public static string Normalize(string? name)
    {
        if (string.IsNullOrWhiteSpace(name)) return "";
        var text = new StringBuilder(name.Length);
        foreach (var c in name.Normalize(NormalizationForm.FormKD))
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark) continue; // é → e
            if (c is '.' or '\'' or '’' or '/') continue; // L.L.C. → LLC, O'Brien → OBrien, A/S → AS
            if (c == '&') text.Append(" and ");
            else if (Folded.TryGetValue(c, out var plain)) text.Append(plain); // letters no decomposition splits: ø, æ, ß, ł, đ
            else if (char.IsLetterOrDigit(c)) text.Append(char.ToLowerInvariant(c));
            else text.Append(' ');
        }

        var words = text.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList();
        while (words.Count > 1 && (LegalSuffixes.Contains(words[^1]) || words[^1] == "and")) words.RemoveAt(words.Count - 1);
        return string.Join(' ', words);
    }
}
