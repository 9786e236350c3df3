using System.Net;
using Interweave.Sidecar.Storage;
using Interweave.Sidecar.Tests.Infrastructure;
using Serilog.Events;

namespace Interweave.Sidecar.Tests;

/// <summary>At the default level, whatever the working folder, the log says what happened and not what the records hold.</summary>
public sealed class DefaultLoggingTests(PostgresServer postgres) : SimulatedSystemsTestBase(StoreProvider.Sqlite, postgres, intacctRandomSeed: 17)
{
    private static readonly Guid WidgetRollout = Guid.Parse("d0000000-0000-4000-8000-000000000001");

    protected override SidecarFactory CreateFactory()
    {
        var factory = base.CreateFactory();
        factory.Settings["Serilog:MinimumLevel:Default"] = "Information"; // what an installed sidecar runs with
        return factory;
    }

    [Fact]
    public async Task A_send_logs_a_few_lines_with_no_record_contents_and_no_url_with_a_query_string()
    {
        var sent = await AdminClient().PostAsync($"/api/opportunities/{WidgetRollout}/send-to-intacct", null, Cancellation);
        Assert.Equal(HttpStatusCode.OK, sent.StatusCode);
        await Sidecar.CreateClient().GetAsync("/api/status?api_key=iw_leaked_QueryStringKey0123456789", Cancellation);
        await Sidecar.Logs.WaitForAsync("Sent opportunity", TimeSpan.FromSeconds(10));

        var send = Sidecar.Logs.Events.Where(e => e.Level >= LogEventLevel.Information).ToList();
        var text = Sidecar.Logs.AllText();
        Assert.DoesNotContain("O'Brien", text); // the account, the opportunity title and the contact all carry the name
        Assert.DoesNotContain("+1 555 0100", text);
        Assert.DoesNotContain("api_key", text);
        Assert.DoesNotContain("QueryStringKey", text);
        Assert.True(send.Count <= 20, $"{send.Count} lines at Information or above for one send and one refused call:\n{text}");
    }

    [Fact]
    public async Task A_malformed_body_is_logged_as_the_400_the_client_got_without_a_stack_trace()
    {
        var body = new StringContent("{\"mapping\": [", System.Text.Encoding.UTF8, "application/json");
        var refused = await AdminClient().PutAsync("/api/flows/creatio-accounts", body, Cancellation);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        await Sidecar.Logs.WaitForAsync("responded 400", TimeSpan.FromSeconds(10));

        var text = Sidecar.Logs.AllText();
        Assert.DoesNotContain("responded 500", text);
        Assert.DoesNotContain(Sidecar.Logs.Events, e => e.Exception is not null);
        Assert.DoesNotContain(Sidecar.Logs.Events, e => e.Level >= LogEventLevel.Error);
    }
}
