namespace Interweave.Sidecar.Api;

/// <summary>Collects field errors for a ValidationProblem; field names are the JSON property names.</summary>
internal sealed class RequestValidation
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public bool IsValid => _errors.Count == 0;

    public IDictionary<string, string[]> Errors => _errors.ToDictionary(e => e.Key, e => e.Value.ToArray());

    public string? Required(string field, string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            Add(field, $"{field} is required.");
            return null;
        }

        return value.Trim();
    }

    /// <summary>
    /// An absolute URL without user info (credentials belong in their own fields): https, or http on loopback, or
    /// http anywhere when <paramref name="allowHttp"/> says so.
    /// </summary>
    public string? AbsoluteUrl(string field, string? value, bool required = true, bool allowHttp = true)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            if (required) Add(field, $"{field} is required.");
            return null;
        }

        if (!Uri.TryCreate(value.Trim(), UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")
            || string.IsNullOrEmpty(uri.Host))
        {
            Add(field, $"{field} must be an absolute http or https URL.");
            return null;
        }

        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            Add(field, $"{field} must not contain a user name or password.");
            return null;
        }

        if (uri.Scheme == "http" && !uri.IsLoopback && !allowHttp)
        {
            Add(field, $"{field} must use https: passwords and keys would cross the network in clear text. " +
                       "(For a network you trust, set Interweave:AllowInsecureHttp to true.)");
            return null;
        }

        return uri.ToString();
    }

    /// <summary>
    /// A URL the sidecar will call, as <see cref="AbsoluteUrl"/> and also: no query and no fragment (the sidecar appends
    /// its own paths), a host that <c>Interweave:AllowedRemoteHosts</c> lists, and with <paramref name="siteAddress"/>
    /// a site's address: its root, or the folder an on-premises site is published under, never a path into the
    /// application (<c>/0/…</c>, <c>/odata</c>, <c>/ServiceModel/…</c>, <c>/Shell</c>, a page or a file).
    /// </summary>
    public string? RemoteUrl(string field, string? value, RemoteHosts hosts, bool allowHttp, bool siteAddress, bool required = true)
    {
        var url = AbsoluteUrl(field, value, required, allowHttp);
        if (url is null) return null;
        var uri = new Uri(url);
        if (value!.Contains('?', StringComparison.Ordinal) || value.Contains('#', StringComparison.Ordinal))
        {
            Add(field, $"{field} must not have a query (?…) or a fragment (#…).");
            return null;
        }

        if (siteAddress && uri.Segments.Select(s => s.Trim('/')).Any(s =>
                s.Contains('.', StringComparison.Ordinal) || s.ToLowerInvariant() is "0" or "odata" or "servicemodel" or "shell" or "nui" or "connect"))
        {
            Add(field, $"{field} must be the site's address (https://yoursite.creatio.com, or the folder an on-premises site is published under), not a page or service path of the application.");
            return null;
        }

        if (!hosts.IsHostAllowed(uri.Host))
        {
            Add(field, $"{field}: the sidecar may not call {uri.Host}. Interweave:AllowedRemoteHosts lists the hosts it may call ({string.Join(", ", hosts.Entries)}); an operator adds this one to the sidecar's configuration.");
            return null;
        }

        return url;
    }

    /// <summary>
    /// Refuses control characters (XML cannot carry most of them; Intacct requests are XML) and the bidirectional
    /// override marks that make a name read differently from what it is.
    /// </summary>
    public void PlainText(string field, string? value)
    {
        if (value is not null && value.Any(c => char.IsControl(c) || c is >= '\u202A' and <= '\u202E' or >= '\u2066' and <= '\u2069'))
            Add(field, $"{field} must not contain control characters or text-direction overrides.");
    }

    public void MaxLength(string field, string? value, int max)
    {
        if (value is not null && value.Length > max) Add(field, $"{field} must be at most {max} characters.");
    }

    public void Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var list)) _errors[field] = list = [];
        list.Add(message);
    }
}
