using System.Net;
using System.Text.RegularExpressions;
using Interweave.Sidecar.Storage;
using Interweave.Sidecar.Tests.Infrastructure;

namespace Interweave.Sidecar.Tests;

/// <summary>
/// How the console's files are served, without a browser: from the sidecar itself at /, with a content security
/// policy that lets them load nothing from elsewhere, and with only relative addresses, so the console works offline
/// and behind a reverse proxy that serves the sidecar under a path prefix.
/// </summary>
public sealed partial class ConsoleFilesTests(PostgresServer postgres) : SidecarTestBase(StoreProvider.Sqlite, postgres)
{
    [Theory]
    [InlineData("/", "text/html")]
    [InlineData("/index.html", "text/html")]
    [InlineData("/console.js", "text/javascript")]
    [InlineData("/core.js", "text/javascript")]
    [InlineData("/pages/flows.js", "text/javascript")]
    [InlineData("/console.css", "text/css")]
    public async Task Each_file_is_served_without_a_key_under_a_policy_that_loads_nothing_from_elsewhere(string path, string mediaType)
    {
        var response = await Sidecar.CreateClient().GetAsync(path, Cancellation);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(mediaType, response.Content.Headers.ContentType?.MediaType);
        var policy = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("default-src 'self'", policy);
        Assert.Contains("script-src 'self'", policy);
        Assert.Contains("frame-ancestors 'none'", policy);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
    }

    /// <summary>The test host runs as Development, where Swagger UI is on by default.</summary>
    [Theory]
    [InlineData("/swagger/index.html")]
    [InlineData("/swagger/index.js")]
    public async Task Swagger_UI_cannot_be_framed_by_another_page(string path)
    {
        var response = await Sidecar.CreateClient().GetAsync(path, Cancellation);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("frame-ancestors 'none'", response.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
    }

    [Theory]
    [InlineData(null, HttpStatusCode.NotFound)]
    [InlineData("true", HttpStatusCode.OK)]
    public async Task In_production_Swagger_UI_is_off_unless_enabled_and_the_OpenAPI_document_stays_public(string? enabled, HttpStatusCode swagger)
    {
        Sidecar.Settings["environment"] = "Production";
        Sidecar.Settings["Interweave:SwaggerUi:Enabled"] = enabled;
        var client = Sidecar.CreateClient();

        Assert.Equal(swagger, (await client.GetAsync("/swagger/index.html", Cancellation)).StatusCode);
        Assert.Equal(swagger, (await client.GetAsync("/swagger/index.js", Cancellation)).StatusCode);
        var document = await client.GetAsync("/openapi/v1.json", Cancellation);
        Assert.Equal(HttpStatusCode.OK, document.StatusCode);
        Assert.Contains("\"/api/flows\"", await document.Content.ReadAsStringAsync(Cancellation));
    }

    [Fact]
    public async Task The_files_address_everything_relatively_so_a_path_prefix_and_no_network_work()
    {
        var client = Sidecar.CreateClient();
        var html = await client.GetStringAsync("/", Cancellation);
        var scripts = await ScriptsFrom("console.js", client);
        var style = await client.GetStringAsync("/console.css", Cancellation);

        Assert.DoesNotMatch(RootedAttribute(), html); // src="/x" or href="/x" would escape a prefix
        Assert.Contains("pages/keys.js", scripts.Keys); // the walk reached the pages
        foreach (var (path, script) in scripts)
        {
            Assert.DoesNotMatch(RootedApiCall(), script); // every call is "api/...", resolved against the page
            Assert.DoesNotMatch(ExternalLoad(), script); // no import or fetch from another origin
            Assert.DoesNotMatch(RootedImport(), script);
        }
        Assert.Contains("\"api/status\"", string.Concat(scripts.Values));
        foreach (var text in new[] { html, style })
            Assert.DoesNotMatch(ExternalAddress(), text);
    }

    /// <summary>The console's modules, walked from its entry by their relative imports, each served at its path.</summary>
    private async Task<Dictionary<string, string>> ScriptsFrom(string entry, HttpClient client)
    {
        var found = new Dictionary<string, string>();
        var waiting = new Queue<string>([entry]);
        while (waiting.TryDequeue(out var path))
        {
            if (found.ContainsKey(path)) continue;
            var script = await client.GetStringAsync("/" + path, Cancellation);
            found[path] = script;
            var folder = path.Contains('/') ? path[..(path.LastIndexOf('/') + 1)] : "";
            foreach (Match import in RelativeImport().Matches(script))
                waiting.Enqueue(new Uri(new Uri("http://console/" + folder), import.Groups["path"].Value).AbsolutePath.TrimStart('/'));
        }
        return found;
    }

    [GeneratedRegex("""from\s*["'](?<path>\.{1,2}/[^"']+)["']""")]
    private static partial Regex RelativeImport();

    [GeneratedRegex("""from\s*["']/""")]
    private static partial Regex RootedImport();

    [GeneratedRegex("""(?:src|href)\s*=\s*["']/""")]
    private static partial Regex RootedAttribute();

    [GeneratedRegex("""["'`]/api/""")]
    private static partial Regex RootedApiCall();

    [GeneratedRegex("""https?://""")]
    private static partial Regex ExternalAddress();

    [GeneratedRegex("""(?:import\s*\(?|fetch\s*\()\s*["'`]https?://""")]
    private static partial Regex ExternalLoad();
}
