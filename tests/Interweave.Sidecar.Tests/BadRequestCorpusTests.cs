using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Interweave.Sidecar.Storage;
using Interweave.Sidecar.Tests.Infrastructure;

namespace Interweave.Sidecar.Tests;

/// <summary>
/// The bad-input corpus (Fixtures/Corpus/bad-requests.json) over every route: no 5xx, every 4xx as problem
/// details, and nothing stored by a refusal.
/// </summary>
public sealed partial class BadRequestCorpusTests(PostgresServer postgres) : SimulatedSystemsTestBase(StoreProvider.Sqlite, postgres, intacctRandomSeed: 19)
{
    private static readonly string[] StateRoutes =
        ["/api/connections/intacct", "/api/connections/creatio", "/api/keys", "/api/flows", "/api/bindings", "/api/errors", "/api/runs?limit=500"];

    private static readonly string CorpusFile = Path.Combine(AppContext.BaseDirectory, "Fixtures", "Corpus", "bad-requests.json");

    private const string Placeholder = "corpus-value-goes-here";

    private sealed record CorpusRequest(string Method, string Path, string? Body, string Label);

    [Fact]
    public async Task Every_request_of_the_corpus_is_answered_below_500_and_a_refusal_stores_nothing()
    {
        var requests = LoadCorpus();
        Assert.True(requests.Count >= 200, $"the corpus holds {requests.Count} requests");
        var failures = new List<string>();
        var statuses = new Dictionary<int, int>();
        var state = await StateAsync();

        foreach (var request in requests)
        {
            using var message = new HttpRequestMessage(new HttpMethod(request.Method), request.Path);
            if (request.Body is not null) message.Content = new StringContent(request.Body, Encoding.UTF8, "application/json");
            var response = await AdminClient().SendAsync(message, Cancellation);
            var status = (int)response.StatusCode;
            statuses[status] = statuses.GetValueOrDefault(status) + 1;
            var after = await StateAsync();

            if (status >= 500)
                failures.Add($"{request.Label}: {status} {Shorten(await response.Content.ReadAsStringAsync(Cancellation))}");
            else if (status >= 400 && response.Content.Headers.ContentType?.MediaType != "application/problem+json")
                failures.Add($"{request.Label}: {status} answered as {response.Content.Headers.ContentType?.MediaType ?? "no content type"}");
            else if (status >= 400 && after != state)
                failures.Add($"{request.Label}: refused with {status} but the stored state changed");
            state = after;
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of {requests.Count} requests misbehaved:\n{string.Join('\n', failures)}");
        // The corpus is mostly refusals; a change that let most of it through would be a finding in itself.
        Assert.True(statuses.Where(s => s.Key >= 400).Sum(s => s.Value) >= requests.Count * 3 / 4,
            $"only some of the corpus was refused: {string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}: {s.Value}"))}");
    }

    /// <summary>What an admin can read back, without the per-request bookkeeping (a key's last use).</summary>
    private async Task<string> StateAsync()
    {
        var state = new StringBuilder();
        foreach (var route in StateRoutes)
        {
            var text = await AdminClient().GetStringAsync(route, Cancellation);
            state.AppendLine(LastUsed().Replace(text, ""));
        }

        return state.ToString();
    }

    private List<CorpusRequest> LoadCorpus()
    {
        var corpus = JsonNode.Parse(File.ReadAllText(CorpusFile))!;
        // Kept as JSON text: a lone surrogate is valid JSON but cannot become a .NET string on the way.
        using var document = System.Text.Json.JsonDocument.Parse(File.ReadAllText(CorpusFile));
        var hostile = document.RootElement.GetProperty("hostileValues").EnumerateArray()
            .Select(v => v.GetRawText() is var raw && Repeat().IsMatch(raw) ? JsonValue.Create(Expand(v.GetString()!)).ToJsonString() : raw)
            .ToList();
        var requests = new List<CorpusRequest>();
        foreach (var route in corpus["bodyRoutes"]!.AsArray())
        {
            var method = (string)route!["method"]!;
            var path = (string)route["path"]!;
            var valid = Addresses(route["valid"]!.ToJsonString());
            foreach (var field in route["fields"]!.AsArray().Select(f => (string)f!))
                for (var i = 0; i < hostile.Count; i++)
                {
                    var body = JsonNode.Parse(valid)!;
                    Set(body, field, Placeholder);
                    var text = body.ToJsonString().Replace($"\"{Placeholder}\"", hostile[i], StringComparison.Ordinal);
                    requests.Add(new CorpusRequest(method, path, text, $"{method} {path} {field}=hostileValues[{i}]"));
                }

            foreach (var (malformed, i) in corpus["malformedBodies"]!.AsArray().Select((b, i) => (Expand((string)b!), i)))
                requests.Add(new CorpusRequest(method, path, malformed, $"{method} {path} malformedBodies[{i}]"));
        }

        foreach (var raw in corpus["rawRequests"]!.AsArray().Select(r => (string)r!))
        {
            var space = raw.IndexOf(' ', StringComparison.Ordinal);
            var path = Repeat().Replace(raw[(space + 1)..], m => new string(m.Groups[1].Value[0], int.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture)));
            requests.Add(new CorpusRequest(raw[..space], path, null, raw.Length > 80 ? raw[..80] : raw));
        }

        return requests;
    }

    private string Addresses(string text) =>
        text.Replace("{intacct}", Intacct.EndpointUrl.ToString(), StringComparison.Ordinal).Replace("{creatio}", Creatio.BaseAddress.ToString(), StringComparison.Ordinal);

    private static string Expand(string value) =>
        Repeat().Match(value) is { Success: true } m && m.Length == value.Length
            ? new string(m.Groups[1].Value[0], int.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture))
            : value;

    /// <summary>Sets a value at a path such as <c>filter[0].value</c> or <c>settings.scope</c>.</summary>
    private static void Set(JsonNode body, string path, string value)
    {
        var steps = path.Replace("[", ".", StringComparison.Ordinal).Replace("]", "", StringComparison.Ordinal).Split('.');
        var node = body;
        foreach (var step in steps[..^1]) node = int.TryParse(step, out var index) ? node[index]! : node[step]!;
        node[steps[^1]] = value;
    }

    private static string Shorten(string text) => text.Length > 300 ? text[..300] + "…" : text;

    [GeneratedRegex("repeat:(.):(\\d+)")]
    private static partial Regex Repeat();

    [GeneratedRegex("\"lastUsedAt\":(null|\"[^\"]*\")")]
    private static partial Regex LastUsed();
}
