using System.Globalization;

namespace Interweave.Sidecar.Creatio;

/// <summary>
/// $filter expressions built from values: strings quoted with quotes doubled, GUIDs and dates unquoted (Creatio
/// refuses them quoted), lookups through their navigation path (Account/Id), which is the only form Creatio filters on.
/// </summary>
public sealed record CreatioFilter
{
    private readonly string _text;

    private CreatioFilter(string text)
    {
        _text = text;
    }

    public static CreatioFilter Equal(string property, string value) => new($"{Name(property)} eq {Quote(value)}");

    public static CreatioFilter NotEqual(string property, string value) => new($"{Name(property)} ne {Quote(value)}");

    public static CreatioFilter Equal(string property, Guid value) => new($"{Name(property)} eq {value:D}");

    public static CreatioFilter Equal(string property, bool value) => new($"{Name(property)} eq {(value ? "true" : "false")}");

    public static CreatioFilter Equal(string property, decimal value) => new($"{Name(property)} eq {value.ToString(CultureInfo.InvariantCulture)}");

    /// <summary>A lookup compared by id: <c>Account/Id eq …</c>.</summary>
    public static CreatioFilter Lookup(string navigation, Guid id) => new($"{Name(navigation)}/Id eq {id:D}");

    public static CreatioFilter ModifiedSince(DateTimeOffset since) =>
        new($"ModifiedOn ge {since.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture)}");

    public static CreatioFilter Contains(string property, string value) => new($"contains({Name(property)},{Quote(value)})");

    public static CreatioFilter StartsWith(string property, string value) => new($"startswith({Name(property)},{Quote(value)})");

    public CreatioFilter And(CreatioFilter other) => new($"({_text}) and ({other._text})");

    public CreatioFilter Or(CreatioFilter other) => new($"({_text}) or ({other._text})");

    public static CreatioFilter Not(CreatioFilter filter) => new($"not ({filter._text})");

    public override string ToString() => _text;

    private static string Quote(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";

    /// <summary>Property names come from our code and mappings; refuse anything that is not one.</summary>
    private static string Name(string property) =>
        property.Length > 0 && property.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '/')
            ? property
            : throw new ArgumentException($"'{property}' is not a property name.", nameof(property));
}

public sealed record CreatioQuery(
    CreatioFilter? Filter = null,
    IReadOnlyList<string>? Select = null,
    IReadOnlyList<string>? Expand = null,
    string? OrderBy = null,
    int? Top = null,
    int? Skip = null,
    bool Count = false)
{
    public string ToQueryString()
    {
        var parts = new List<string>();
        void Add(string name, string value) => parts.Add($"{name}={Uri.EscapeDataString(value)}");
        if (Filter is not null) Add("$filter", Filter.ToString());
        if (Select is { Count: > 0 }) Add("$select", string.Join(',', Select));
        if (Expand is { Count: > 0 }) Add("$expand", string.Join(',', Expand));
        if (OrderBy is not null) Add("$orderby", OrderBy);
        if (Top is not null) Add("$top", Top.Value.ToString(CultureInfo.InvariantCulture));
        if (Skip is not null) Add("$skip", Skip.Value.ToString(CultureInfo.InvariantCulture));
        if (Count) Add("$count", "true");
        return parts.Count == 0 ? "" : "?" + string.Join('&', parts);
    }
}

/// <summary>One request of a $batch.</summary>
public sealed record CreatioBatchOperation(HttpMethod Method, string Url, System.Text.Json.Nodes.JsonObject? Body = null, string? Id = null);

public sealed record CreatioBatchResult(string Id, int Status, System.Text.Json.Nodes.JsonNode? Body)
{
    public bool Succeeded => Status is >= 200 and < 300;
}

/// <summary>One row to create (with the id given) or update in a $batch.</summary>
public sealed record CreatioWrite(string EntitySet, Guid Id, System.Text.Json.Nodes.JsonObject Values, bool Create);

/// <summary>One read in a $batch: a row by id, or a page of a set.</summary>
public sealed record CreatioRead(string EntitySet, Guid? Id, CreatioQuery Query);
