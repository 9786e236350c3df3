using System.Net;
using System.Text.Json.Nodes;
using Interweave.Sidecar.Storage;
using Interweave.Sidecar.Tests.Infrastructure;

namespace Interweave.Sidecar.Tests;

/// <summary>
/// The buttons' limits (security review F8): a creatio key is held to its token bucket (429 with Retry-After past
/// its burst) while other keys and admin keys go on, and clicks past the number allowed under way are answered 503
/// with Retry-After at once; on both stores.
/// </summary>
public abstract class ButtonLimitsTests(StoreProvider provider, PostgresServer postgres) : SimulatedSystemsTestBase(provider, postgres, intacctRandomSeed: 7)
{
    public sealed class OnSqlite(PostgresServer postgres) : ButtonLimitsTests(StoreProvider.Sqlite, postgres);

    public sealed class OnPostgres(PostgresServer postgres) : ButtonLimitsTests(StoreProvider.Postgres, postgres);

    private const int Burst = 3;
    private static readonly Guid OBrien = Guid.Parse("a0000000-0000-4000-8000-000000000001");
    private static readonly Guid WidgetRollout = Guid.Parse("d0000000-0000-4000-8000-000000000001");

    protected override SidecarFactory CreateFactory()
    {
        var factory = base.CreateFactory();
        factory.Settings["Interweave:ApiKeys:CreatioRequestBurst"] = Burst.ToString(System.Globalization.CultureInfo.InvariantCulture);
        factory.Settings["Interweave:ApiKeys:CreatioRequestsPerMinute"] = "1"; // no token comes back during the test
        factory.Settings["Interweave:Buttons:MaxClicksInProgress"] = "1";
        return factory;
    }

    [Fact]
    public async Task A_flood_from_one_creatio_key_gets_429_after_its_burst_while_another_key_and_admins_go_on()
    {
        var flooding = Sidecar.CreateClient((await CreateKeyAsync("flooding", "creatio")).Key);
        var other = Sidecar.CreateClient((await CreateKeyAsync("package", "creatio")).Key);

        var flood = new List<HttpResponseMessage>();
        for (var i = 0; i < 12; i++) flood.Add(await flooding.PostAsync($"/api/accounts/{Guid.NewGuid()}/sync", null, Cancellation)); // unknown accounts: 404

        Assert.Equal(Burst, flood.Count(r => r.StatusCode == HttpStatusCode.NotFound));
        var refused = flood.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        Assert.Equal(12 - Burst, refused.Count);
        Assert.All(refused, r => Assert.True(r.Headers.RetryAfter?.Delta is { TotalSeconds: >= 1 }, "Retry-After in seconds"));
        Assert.Equal("application/problem+json", refused[0].Content.Headers.ContentType?.MediaType);
        Assert.Contains("try again in", (string?)JsonNode.Parse(await refused[0].Content.ReadAsStringAsync(Cancellation))!["detail"]);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await flooding.GetAsync("/api/status", Cancellation)).StatusCode);

        var legitimate = await other.PostAsync($"/api/accounts/{OBrien}/sync", null, Cancellation);
        Assert.Equal(HttpStatusCode.OK, legitimate.StatusCode);
        for (var i = 0; i < 12; i++)
            Assert.Equal(HttpStatusCode.NotFound, (await AdminClient().PostAsync($"/api/accounts/{Guid.NewGuid()}/sync", null, Cancellation)).StatusCode);
    }

    [Fact]
    public async Task A_click_past_the_clicks_allowed_under_way_is_answered_503_with_Retry_After_at_once()
    {
        Intacct.Options.LatencyMs = 700; // the first click holds its slot for a few Intacct requests
        var before = Intacct.RequestsReceived;
        var first = AdminClient().PostAsync($"/api/opportunities/{WidgetRollout}/send-to-intacct", null, Cancellation);
        await Eventually.UntilAsync(() => Task.FromResult(Intacct.RequestsReceived), n => n > before, TimeSpan.FromSeconds(30), "the first click at Intacct", Cancellation);

        var second = await AdminClient().PostAsync($"/api/accounts/{OBrien}/sync", null, Cancellation);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, second.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(5), second.Headers.RetryAfter?.Delta);
        Assert.Contains("Interweave:Buttons:MaxClicksInProgress", (string?)JsonNode.Parse(await second.Content.ReadAsStringAsync(Cancellation))!["detail"]);
        Assert.Equal(HttpStatusCode.OK, (await first).StatusCode);
        Intacct.Options.LatencyMs = 0;
        Assert.Equal(HttpStatusCode.OK, (await AdminClient().PostAsync($"/api/accounts/{OBrien}/sync", null, Cancellation)).StatusCode);
    }
}
