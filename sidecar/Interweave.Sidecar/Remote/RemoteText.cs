using System.Diagnostics.CodeAnalysis;

namespace Interweave.Sidecar;

/// <summary>
/// Bounds text that a remote system chose (error descriptions, messages) before it travels on: into problem details,
/// stored errors, Creatio columns and Cases. Applied where remote failures are classified, so every consumer gets it.
/// </summary>
public static class RemoteText
{
    /// <summary>Longer than any real Intacct or Creatio error message; short enough for a log line, a column and a dialog.</summary>
    public const int MaxLength = 2000;

    [return: NotNullIfNotNull(nameof(text))]
    public static string? Bound(string? text) =>
        text is null || text.Length <= MaxLength
            ? text
            : string.Concat(text.AsSpan(0, MaxLength), $"… ({text.Length - MaxLength} more characters left out)");
}
