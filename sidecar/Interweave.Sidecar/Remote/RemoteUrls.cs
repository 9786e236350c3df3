namespace Interweave.Sidecar;

/// <summary>Request URLs built from a stored base URL with <see cref="UriBuilder"/>, never by pasting text.</summary>
internal static class RemoteUrls
{
    /// <summary>
    /// <paramref name="baseUrl"/>'s path followed by <paramref name="relative"/> (which may carry its own query). A base
    /// with a query or a fragment is refused: pasted, a '#' would cut the appended path off (the review's F6).
    /// </summary>
    public static Uri Combine(string baseUrl, string relative)
    {
        var builder = new UriBuilder(baseUrl);
        if (builder.Query.Length > 0 || builder.Fragment.Length > 0 || baseUrl.Contains('#', StringComparison.Ordinal))
            throw new ArgumentException("A base URL with a query or a fragment cannot have paths appended.", nameof(baseUrl));
        var query = relative.IndexOf('?', StringComparison.Ordinal);
        builder.Path = builder.Path.TrimEnd('/') + "/" + (query < 0 ? relative : relative[..query]).TrimStart('/');
        if (query >= 0) builder.Query = relative[(query + 1)..];
        return builder.Uri;
    }
}
