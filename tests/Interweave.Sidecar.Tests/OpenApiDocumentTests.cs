using System.Text.Json;
using System.Text.Json.Nodes;
using Interweave.Sidecar.Storage;
using Interweave.Sidecar.Tests.Infrastructure;

namespace Interweave.Sidecar.Tests;

/// <summary>
/// openapi/interweave-sidecar.v1.json is the contract others script against. It must be what the code serves;
/// tools/update-openapi.sh rewrites it (this test with INTERWEAVE_UPDATE_OPENAPI=1).
/// </summary>
public sealed class OpenApiDocumentTests(PostgresServer postgres) : SidecarTestBase(StoreProvider.Sqlite, postgres)
{
    public static string CommittedPath => Path.Combine(RepositoryRoot.Find(), "openapi", "interweave-sidecar.v1.json");

    [Fact]
    public async Task The_committed_document_matches_what_the_code_serves()
    {
        var served = await Sidecar.CreateClient(apiKey: null).GetStringAsync("/openapi/v1.json", Cancellation);
        var normalized = JsonNode.Parse(served)!.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";

        if (Environment.GetEnvironmentVariable("INTERWEAVE_UPDATE_OPENAPI") == "1")
            await File.WriteAllTextAsync(CommittedPath, normalized, Cancellation);

        Assert.True(File.Exists(CommittedPath), $"{CommittedPath} is missing; run tools/update-openapi.sh.");
        var committed = (await File.ReadAllTextAsync(CommittedPath, Cancellation)).ReplaceLineEndings("\n");
        Assert.True(committed == normalized,
            "openapi/interweave-sidecar.v1.json differs from the document the sidecar serves; run tools/update-openapi.sh and commit the result.");
    }

    [Fact]
    public async Task The_document_describes_the_api_key_scheme_and_problem_answers()
    {
        var document = JsonNode.Parse(await Sidecar.CreateClient(apiKey: null).GetStringAsync("/openapi/v1.json", Cancellation))!;

        Assert.Equal("header", (string?)document["components"]!["securitySchemes"]!["ApiKey"]!["in"]);
        Assert.Equal("X-Api-Key", (string?)document["components"]!["securitySchemes"]!["ApiKey"]!["name"]);
        var put = document["paths"]!["/api/connections/intacct"]!["put"]!;
        Assert.NotNull(put["responses"]!["400"]);
        Assert.NotNull(put["responses"]!["200"]);
    }
}

internal static class RepositoryRoot
{
    public static string Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            if (File.Exists(Path.Combine(directory.FullName, "Interweave.Plugin.sln"))) return directory.FullName;
        throw new InvalidOperationException("Run the tests from inside the repository.");
    }
}
