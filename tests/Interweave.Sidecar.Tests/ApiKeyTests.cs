using System.Net;
using System.Net.Http.Json;
using Interweave.Sidecar.Api;
using Interweave.Sidecar.Security;
using Interweave.Sidecar.Storage;
using Interweave.Sidecar.Tests.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Interweave.Sidecar.Tests;

public abstract class ApiKeyTests(StoreProvider provider, PostgresServer postgres) : SidecarTestBase(provider, postgres)
{
    public sealed class OnSqlite(PostgresServer postgres) : ApiKeyTests(StoreProvider.Sqlite, postgres);

    public sealed class OnPostgres(PostgresServer postgres) : ApiKeyTests(StoreProvider.Postgres, postgres);

    [Fact]
    public async Task Health_probes_answer_without_a_key()
    {
        var client = Sidecar.CreateClient(apiKey: null);

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live", Cancellation)).StatusCode);
        var ready = await client.GetAsync("/health/ready", Cancellation);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("Healthy", await ready.Content.ReadAsStringAsync(Cancellation));
    }

    [Fact]
    public async Task Without_a_key_the_api_answers_401_problem_details()
    {
        var response = await Sidecar.CreateClient(apiKey: null).GetAsync("/api/status", Cancellation);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<ProblemDetails>(Cancellation);
        Assert.Equal(401, problem?.Status);
        Assert.Contains("X-Api-Key", problem?.Detail);
    }

    [Fact]
    public async Task A_creatio_key_reads_status_but_gets_403_on_admin_routes()
    {
        var created = await CreateKeyAsync("package", Roles.Creatio);
        var creatio = Sidecar.CreateClient(created.Key);

        var status = await creatio.GetAsync("/api/status", Cancellation);
        Assert.Equal(HttpStatusCode.OK, status.StatusCode);
        Assert.Equal("creatio", (string?)(await status.Content.ReadFromJsonAsync<System.Text.Json.Nodes.JsonObject>(Cancellation))!["role"]); // what the console offers
        Assert.Equal("admin", (string?)(await AdminClient().GetFromJsonAsync<System.Text.Json.Nodes.JsonObject>("/api/status", Cancellation))!["role"]);
        var forbidden = await creatio.GetAsync("/api/connections/intacct", Cancellation);
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Equal("application/problem+json", forbidden.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.Forbidden, (await creatio.GetAsync("/api/keys", Cancellation)).StatusCode);
    }

    [Fact]
    public async Task Keys_are_stored_hashed_listed_without_secret_and_revocable()
    {
        var created = await CreateKeyAsync("ops", Roles.Admin);
        Assert.StartsWith("iw_", created.Key);

        var listed = await AdminClient().GetFromJsonAsync<ApiKeyView[]>("/api/keys", Cancellation);
        Assert.Contains(listed!, k => k.Id == created.Id && k.Name == "ops" && k.RevokedAt is null);
        var raw = await Sidecar.Services.GetRequiredService<ApiKeyRepository>().FindByPrefixAsync(created.Key.Split('_')[1], Cancellation);
        Assert.NotNull(raw);
        Assert.DoesNotContain(created.Key.Split('_')[2], raw.KeyHash);
        Assert.Equal(64, raw.KeyHash.Length);

        var own = Sidecar.CreateClient(created.Key);
        Assert.Equal(HttpStatusCode.OK, (await own.GetAsync("/api/keys", Cancellation)).StatusCode);
        var used = await AdminClient().GetFromJsonAsync<ApiKeyView[]>("/api/keys", Cancellation);
        Assert.NotNull(used!.Single(k => k.Id == created.Id).LastUsedAt);
        Assert.Equal(HttpStatusCode.NoContent, (await AdminClient().DeleteAsync($"/api/keys/{created.Id}", Cancellation)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await own.GetAsync("/api/keys", Cancellation)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await AdminClient().DeleteAsync($"/api/keys/{created.Id}", Cancellation)).StatusCode);
    }

    [Fact]
    public async Task Rotating_a_key_revokes_it_and_issues_one_with_the_same_name_and_role_once()
    {
        var old = await CreateKeyAsync("creatio-prod", Roles.Creatio);

        var rotated = await AdminClient().PostAsync($"/api/keys/{old.Id}/rotate", null, Cancellation);

        Assert.Equal(HttpStatusCode.OK, rotated.StatusCode);
        var replacement = (await rotated.Content.ReadFromJsonAsync<CreatedApiKey>(Cancellation))!;
        Assert.Equal(("creatio-prod", Roles.Creatio), (replacement.Name, replacement.Role));
        Assert.NotEqual(old.Id, replacement.Id);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Sidecar.CreateClient(old.Key).GetAsync("/api/status", Cancellation)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Sidecar.CreateClient(replacement.Key).GetAsync("/api/status", Cancellation)).StatusCode);
        // A revoked key cannot be rotated again (no second replacement); an unknown id is 404 too.
        Assert.Equal(HttpStatusCode.NotFound, (await AdminClient().PostAsync($"/api/keys/{old.Id}/rotate", null, Cancellation)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await AdminClient().PostAsync("/api/keys/no-such-key/rotate", null, Cancellation)).StatusCode);
        var listed = (await AdminClient().GetFromJsonAsync<ApiKeyView[]>("/api/keys", Cancellation))!;
        Assert.Single(listed, k => k.Name == "creatio-prod" && k.RevokedAt is null);
    }

    [Fact]
    public async Task Keys_show_their_prefix_and_an_active_name_is_not_given_twice()
    {
        var ops = await CreateKeyAsync("ops", Roles.Admin);

        var listed = (await AdminClient().GetFromJsonAsync<System.Text.Json.Nodes.JsonArray>("/api/keys", Cancellation))!;
        var row = listed.Single(k => (string?)k!["id"] == ops.Id)!;
        Assert.Equal($"iw_{ops.Key.Split('_')[1]}", (string?)row["prefix"]); // what tells two keys apart, and no more of the key
        Assert.DoesNotContain(ops.Key.Split('_')[2], listed.ToJsonString());
        // The bootstrap key is the operator's own text, found by a hash of itself: it has no prefix to show.
        Assert.Null(listed.Single(k => (string?)k!["name"] == "bootstrap")!["prefix"]);

        foreach (var name in new[] { "ops", "OPS" })
        {
            var duplicate = await AdminClient().PostAsJsonAsync("/api/keys", new { name, role = "creatio" }, Cancellation);
            Assert.Equal(HttpStatusCode.Conflict, duplicate.StatusCode);
            Assert.Equal("application/problem+json", duplicate.Content.Headers.ContentType?.MediaType);
            Assert.Contains($"named '{name}'", (await duplicate.Content.ReadFromJsonAsync<ProblemDetails>(Cancellation))!.Detail);
        }

        // A rotation keeps the name; a revoked key's name is free again.
        var rotated = await AdminClient().PostAsync($"/api/keys/{ops.Id}/rotate", null, Cancellation);
        Assert.Equal(HttpStatusCode.OK, rotated.StatusCode);
        var replacement = (await rotated.Content.ReadFromJsonAsync<CreatedApiKey>(Cancellation))!;
        Assert.Equal(HttpStatusCode.NoContent, (await AdminClient().DeleteAsync($"/api/keys/{replacement.Id}", Cancellation)).StatusCode);
        await CreateKeyAsync("ops", Roles.Creatio);
        var keys = (await AdminClient().GetFromJsonAsync<ApiKeyView[]>("/api/keys", Cancellation))!;
        Assert.Single(keys, k => k.Name == "ops" && k.RevokedAt is null);
    }

    [Fact]
    public async Task A_key_with_the_right_prefix_but_wrong_secret_is_refused()
    {
        var created = await CreateKeyAsync("ops", Roles.Admin);
        var parts = created.Key.Split('_');
        var forged = $"{parts[0]}_{parts[1]}_{new string('A', parts[2].Length)}";

        Assert.Equal(HttpStatusCode.Unauthorized, (await Sidecar.CreateClient(forged).GetAsync("/api/keys", Cancellation)).StatusCode);
    }

    [Fact]
    public async Task Creating_a_key_with_an_unknown_role_is_a_validation_problem()
    {
        var response = await AdminClient().PostAsJsonAsync("/api/keys", new { name = "x", role = "root" }, Cancellation);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<HttpValidationProblemDetails>(Cancellation);
        Assert.Contains("role", problem!.Errors.Keys);
    }

    [Fact]
    public async Task Repeated_failed_keys_from_one_address_are_throttled_but_a_valid_key_from_it_still_works()
    {
        // One address may be a Creatio server, a proxy or a NAT: someone else's wrong keys must not lock out the right one.
        Sidecar.Settings["Interweave:ApiKeys:FailedAttemptsPerMinute"] = "3";
        var bad = Sidecar.CreateClient("iw_nope_nope");
        for (var i = 0; i < 3; i++)
            Assert.Equal(HttpStatusCode.Unauthorized, (await bad.GetAsync("/api/status", Cancellation)).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await AdminClient().GetAsync("/api/status", Cancellation)).StatusCode);
        var throttled = await bad.GetAsync("/api/status", Cancellation);
        Assert.Equal(HttpStatusCode.TooManyRequests, throttled.StatusCode);
        Assert.Equal("60", throttled.Headers.RetryAfter?.Delta?.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("application/problem+json", throttled.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_revoked_bootstrap_key_stays_revoked_and_the_sidecar_still_starts()
    {
        var keys = await AdminClient().GetFromJsonAsync<ApiKeyView[]>("/api/keys", Cancellation);
        var bootstrap = Assert.Single(keys!, k => k.Name == "bootstrap");
        var other = await (await AdminClient().PostAsJsonAsync("/api/keys", new { name = "ops", role = "admin" }, Cancellation))
            .Content.ReadFromJsonAsync<CreatedApiKey>(Cancellation);
        Assert.Equal(HttpStatusCode.NoContent, (await Sidecar.CreateClient(other!.Key).DeleteAsync($"/api/keys/{bootstrap.Id}", Cancellation)).StatusCode);

        // A restart with the same environment (the bootstrap key still configured).
        await using var restarted = new SidecarFactory(TestStore);
        restarted.Settings["Interweave:DataDirectory"] = Sidecar.DataDirectory;

        Assert.Equal(HttpStatusCode.OK, (await restarted.CreateClient(other.Key).GetAsync("/api/status", Cancellation)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await restarted.CreateClient(SidecarFactory.AdminKey).GetAsync("/api/status", Cancellation)).StatusCode);
        Assert.Contains(restarted.Logs.Events, e => e.RenderMessage(null).Contains("was revoked and stays revoked", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Every_api_route_requires_authorization()
    {
        _ = Sidecar.CreateClient();
        var endpoints = Sidecar.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api", StringComparison.Ordinal) == true)
            .ToList();

        Assert.NotEmpty(endpoints);
        Assert.All(endpoints, e => Assert.NotEmpty(e.Metadata.GetOrderedMetadata<IAuthorizeData>()));
    }
}
