using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Interweave.Sidecar.Flows.Engine;
using Interweave.Sidecar.Storage;
using Interweave.Sidecar.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;

namespace Interweave.Sidecar.Tests;

/// <summary>
/// Bounds on what an admin route takes and gives (security review F10): a flow's mapping, its texts and settings, and
/// any /api body are capped, refused with problem details naming the limit and nothing stored, so the review's
/// 400,000-row mapping (GET /api/flows became 70 MB) cannot be stored; the long lists cap their pages.
/// </summary>
public abstract class RequestBoundsTests(StoreProvider provider, PostgresServer postgres) : SidecarTestBase(provider, postgres)
{
    public sealed class OnSqlite(PostgresServer postgres) : RequestBoundsTests(StoreProvider.Sqlite, postgres);

    public sealed class OnPostgres(PostgresServer postgres) : RequestBoundsTests(StoreProvider.Postgres, postgres);

    private const string Flow = "/api/flows/creatio-accounts";

    [Fact]
    public async Task The_reviews_400000_row_mapping_is_refused_413_unread_and_GET_flows_stays_as_it_was()
    {
        var admin = AdminClient();
        var before = await admin.GetStringAsync("/api/flows", Cancellation);
        var rows = string.Join(",", Enumerable.Repeat("""{"target":"NAME","source":"Name"}""", 400_000));
        using var body = new StringContent($$"""{"mapping":[{{rows}}]}""", Encoding.UTF8, "application/json");

        var response = await admin.PutAsync(Flow, body, Cancellation);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = (await response.Content.ReadFromJsonAsync<ProblemDetails>(Cancellation))!;
        Assert.Contains("1024 KB (Interweave:Api:MaxRequestBodyKilobytes)", problem.Detail, StringComparison.Ordinal);
        Assert.Equal(before, await admin.GetStringAsync("/api/flows", Cancellation));
    }

    [Fact]
    public async Task A_mapping_past_its_row_or_text_limit_or_a_long_setting_is_refused_naming_the_limit_and_nothing_is_stored()
    {
        var admin = AdminClient();
        var before = await admin.GetStringAsync(Flow, Cancellation);
        var row = new { target = "NAME", source = "Name" };

        var tooMany = await ErrorsOfAsync(await admin.PutAsJsonAsync(Flow, new { mapping = Enumerable.Repeat(row, 201) }, Cancellation));
        Assert.Contains("at most 200 mapping rows (Interweave:Flows:MaxMappingRows); there are 201", Assert.Single(tooMany["mapping"]), StringComparison.Ordinal);

        var longConstant = await ErrorsOfAsync(await admin.PutAsJsonAsync(Flow,
            new { mapping = new object[] { row, new { target = "PHONE1", constant = new string('x', 1001) } } }, Cancellation));
        Assert.Contains("1000 characters (Interweave:Flows:MaxMappingTextLength)", Assert.Single(longConstant["mapping[1].constant"]), StringComparison.Ordinal);

        var longSource = await ErrorsOfAsync(await admin.PutAsJsonAsync(Flow, new { mapping = new[] { new { target = "NAME", source = new string('N', 1001) } } }, Cancellation));
        Assert.Contains("Interweave:Flows:MaxMappingTextLength", Assert.Single(longSource["mapping[0].source"]), StringComparison.Ordinal);

        var longSetting = await ErrorsOfAsync(await admin.PutAsJsonAsync(Flow, new { settings = new { scope = new string('a', 1001) } }, Cancellation));
        Assert.Contains("Interweave:Flows:MaxMappingTextLength", Assert.Single(longSetting["settings.scope"]), StringComparison.Ordinal);

        Assert.Equal(before, await admin.GetStringAsync(Flow, Cancellation));
    }

    [Fact]
    public async Task The_largest_mapping_taken_keeps_GET_flows_within_the_body_cap()
    {
        var admin = AdminClient();
        var before = (await admin.GetStringAsync("/api/flows", Cancellation)).Length;
        var widest = Enumerable.Range(0, 200).Select(i => new { target = "NAME", constant = new string('x', 1000) }).ToArray();

        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync(Flow, new { mapping = widest }, Cancellation)).StatusCode);

        // Each flow holds at most one body's worth of mapping, so GET /api/flows is bounded by flows × the body cap.
        var after = (await admin.GetStringAsync("/api/flows", Cancellation)).Length;
        Assert.InRange(after - before, 200 * 1000, 1024 * 1024);
    }

    [Fact]
    public async Task Long_lists_clamp_a_larger_limit_to_their_page_size_and_page_on_with_a_cursor()
    {
        Sidecar.Settings["Interweave:Api:MaxPageSize"] = "2";
        var admin = AdminClient();
        var queue = Sidecar.Services.GetRequiredService<ErrorQueue>();
        foreach (var key in new[] { "A-1", "A-2", "A-3" })
            await queue.RaiseAsync("creatio-accounts", key, key, null, new RecordFailure("mapping", "Interweave", "Refused " + key), null, Cancellation);
        await Sidecar.Services.GetRequiredService<BindingRepository>().RecordManyAsync("account-customer",
            [("00000000-0000-0000-0000-000000000001", "C-1", null), ("00000000-0000-0000-0000-000000000002", "C-2", null), ("00000000-0000-0000-0000-000000000003", "C-3", null)],
            Cancellation);

        var errors = (await admin.GetFromJsonAsync<JsonArray>("/api/errors?limit=1000000", Cancellation))!;
        Assert.Equal(["A-3", "A-2"], errors.Select(e => (string?)e!["recordKey"]));
        var older = (await admin.GetFromJsonAsync<JsonArray>($"/api/errors?before={(long)errors[1]!["id"]!}", Cancellation))!;
        Assert.Equal(["A-1"], older.Select(e => (string?)e!["recordKey"]));

        var bindings = (await admin.GetFromJsonAsync<JsonArray>("/api/bindings?kind=account-customer&limit=99", Cancellation))!;
        Assert.Equal(["C-1", "C-2"], bindings.Select(b => (string?)b!["intacctId"]));
        var next = (await admin.GetFromJsonAsync<JsonArray>($"/api/bindings?kind=account-customer&after={(string?)bindings[1]!["creatioId"]}", Cancellation))!;
        Assert.Equal(["C-3"], next.Select(b => (string?)b!["intacctId"]));
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.GetAsync("/api/bindings?after=x", Cancellation)).StatusCode);
        Assert.Empty((await admin.GetFromJsonAsync<JsonArray>("/api/conflicts?limit=5000000", Cancellation))!);
    }

    private async Task<IDictionary<string, string[]>> ErrorsOfAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<HttpValidationProblemDetails>(Cancellation))!.Errors;
    }
}
