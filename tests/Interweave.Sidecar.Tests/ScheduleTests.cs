using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Dapper;
using Interweave.Sidecar.Flows.Engine;
using Interweave.Sidecar.Storage;
using Interweave.Sidecar.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Quartz;

namespace Interweave.Sidecar.Tests;

/// <summary>
/// A flow's schedule fires within a year and never more often than the minimum interval; a schedule that breaks the
/// rules, or that Quartz refuses, is a 400 naming why with the flow left as it was, and a broken schedule in the
/// store never stops the sidecar from starting; on both stores, with the scheduler on.
/// </summary>
public abstract class ScheduleTests(StoreProvider provider, PostgresServer postgres) : SidecarTestBase(provider, postgres)
{
    public sealed class OnSqlite(PostgresServer postgres) : ScheduleTests(StoreProvider.Sqlite, postgres);

    public sealed class OnPostgres(PostgresServer postgres) : ScheduleTests(StoreProvider.Postgres, postgres);

    private const string Shipped = "0 0/15 * * * ?"; // intacct-invoices as shipped

    private async Task<(HttpStatusCode Status, JsonNode Body)> PutScheduleAsync(string schedule)
    {
        var response = await AdminClient().PutAsJsonAsync("/api/flows/intacct-invoices", new { schedule }, Cancellation);
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync(Cancellation))!);
    }

    private async Task<JsonNode> FlowAsync(HttpClient client, string flowId) => (await client.GetFromJsonAsync<JsonNode>($"/api/flows/{flowId}", Cancellation))!;

    private async Task<bool> ScheduledAsync(SidecarFactory host, string flowId) =>
        await (await host.Services.GetRequiredService<ISchedulerFactory>().GetScheduler(Cancellation)).GetJobDetail(new JobKey(flowId, FlowScheduler.JobGroup), Cancellation) is not null;

    [Theory]
    [InlineData("0 0 0 31 2 ?", "never fires")] // 31 February (the console review's B11)
    [InlineData("0 0 0 1 1 ? 2001", "never fires")] // a year in the past (the security review's F9)
    [InlineData("0 0 0 29 2 ? 2028", "does not fire within a year")]
    [InlineData("every 5 minutes", "is not a Quartz cron expression")]
    public async Task A_schedule_that_does_not_fire_within_a_year_is_a_400_naming_why_and_the_flow_keeps_its_schedule(string schedule, string why)
    {
        Sidecar.Clock.Offset = new DateTimeOffset(2026, 12, 1, 9, 0, 10, TimeSpan.Zero) - DateTimeOffset.UtcNow;

        var (status, body) = await PutScheduleAsync(schedule);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains(why, (string?)body["errors"]!["schedule"]![0]);
        var flow = await FlowAsync(AdminClient(), "intacct-invoices");
        Assert.Equal(Shipped, (string?)flow["schedule"]);
        Assert.Null((string?)flow["scheduleProblem"]);
        Assert.True(await ScheduledAsync(Sidecar, "intacct-invoices"));
    }

    [Theory]
    [InlineData("* * * * * ?")] // every second (the console review's B13)
    [InlineData("0/10 * * * * ?")]
    [InlineData("0,50 0 * * * ?")] // 09:00:50 then 10:00:00 are 70 s apart; 10:00:00 then 10:00:50 only 50 s
    public async Task A_schedule_that_fires_more_often_than_once_a_minute_is_refused_over_its_next_firings_not_only_its_first_two(string schedule)
    {
        Sidecar.Clock.Offset = new DateTimeOffset(2026, 12, 1, 9, 0, 10, TimeSpan.Zero) - DateTimeOffset.UtcNow;

        var (status, body) = await PutScheduleAsync(schedule);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("fires more often than every 1 minute(s)", (string?)body["errors"]!["schedule"]![0]);
        Assert.Equal(Shipped, (string?)(await FlowAsync(AdminClient(), "intacct-invoices"))["schedule"]);

        var everyMinute = await PutScheduleAsync("0 0/1 * * * ?");
        Assert.Equal(HttpStatusCode.OK, everyMinute.Status);
        Assert.Equal(new DateTimeOffset(2026, 12, 1, 9, 1, 0, TimeSpan.Zero), (DateTimeOffset)everyMinute.Body["nextRunAt"]!);
    }

    [Fact]
    public async Task A_schedule_the_scheduler_refuses_after_the_rules_let_it_through_is_a_400_and_the_flow_goes_back_to_its_schedule()
    {
        // The rules read the host's clock (mid-2000, so 1 January 2001 is within a year); Quartz reads the real one.
        Sidecar.Clock.Offset = new DateTimeOffset(2000, 6, 1, 0, 0, 0, TimeSpan.Zero) - DateTimeOffset.UtcNow;

        var (status, body) = await PutScheduleAsync("0 0 0 1 1 ? 2001");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("The scheduler refused '0 0 0 1 1 ? 2001'", (string?)body["errors"]!["schedule"]![0]);
        Assert.Equal(Shipped, (string?)(await FlowAsync(AdminClient(), "intacct-invoices"))["schedule"]);
        Assert.True(await ScheduledAsync(Sidecar, "intacct-invoices"));
    }

    [Fact]
    public async Task The_sidecar_starts_with_a_schedule_Quartz_refuses_in_its_store_and_shows_it_on_the_flow_unscheduled()
    {
        Assert.Equal(HttpStatusCode.OK, (await AdminClient().GetAsync("/health/ready", Cancellation)).StatusCode); // the flows are installed
        await using (var store = TestStore.OpenStore())
        await using (var connection = await store.OpenAsync(Cancellation))
            await connection.ExecuteAsync("update flows set schedule = '0 0 0 1 1 ? 2001' where id = 'intacct-items'"); // written straight into the store

        await using var restarted = new SidecarFactory(TestStore);
        var admin = restarted.CreateClient(SidecarFactory.AdminKey);

        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/health/ready", Cancellation)).StatusCode);
        var broken = await FlowAsync(admin, "intacct-items");
        Assert.Contains("never fires", (string?)broken["scheduleProblem"]);
        Assert.Null(broken["nextRunAt"]);
        Assert.False(await ScheduledAsync(restarted, "intacct-items"));
        Assert.True(await ScheduledAsync(restarted, "intacct-invoices"));
        Assert.NotNull((await FlowAsync(admin, "intacct-invoices"))["nextRunAt"]);
        await restarted.Logs.WaitForAsync("is not scheduled", TimeSpan.FromSeconds(10));

        // The admin fixes it; the flow is scheduled again and the problem is gone.
        var fixedUp = await admin.PutAsJsonAsync("/api/flows/intacct-items", new { schedule = "0 5/15 * * * ?" }, Cancellation);
        Assert.Equal(HttpStatusCode.OK, fixedUp.StatusCode);
        Assert.Null((string?)(await FlowAsync(admin, "intacct-items"))["scheduleProblem"]);
        Assert.True(await ScheduledAsync(restarted, "intacct-items"));
    }

    [Theory]
    [InlineData("0 0 0 31 2 ?")]
    [InlineData("* * * * * ?")]
    [InlineData("0 61 * * * ?")] // the console's own preview once called this "every hour at minute 61"
    [InlineData("every 5 minutes")]
    public async Task The_schedule_preview_refuses_what_the_put_refuses_with_the_same_words_and_stores_nothing(string schedule)
    {
        Sidecar.Clock.Offset = new DateTimeOffset(2026, 12, 1, 9, 0, 10, TimeSpan.Zero) - DateTimeOffset.UtcNow;

        var preview = await AdminClient().GetAsync($"/api/flows/intacct-invoices/schedule-preview?cron={Uri.EscapeDataString(schedule)}", Cancellation);
        var (status, body) = await PutScheduleAsync(schedule);

        Assert.Equal(HttpStatusCode.BadRequest, preview.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        // Word for word, but for the moments named, which move with the clock between the two calls.
        static string Words(JsonNode? reason) => System.Text.RegularExpressions.Regex.Replace((string)reason!, @"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC", "(a moment)");
        Assert.Equal(Words(body["errors"]!["schedule"]![0]), Words(JsonNode.Parse(await preview.Content.ReadAsStringAsync(Cancellation))!["errors"]!["schedule"]![0]));
        Assert.Equal(Shipped, (string?)(await FlowAsync(AdminClient(), "intacct-invoices"))["schedule"]);
    }

    [Fact]
    public async Task The_schedule_preview_gives_the_next_three_firings_in_UTC_the_first_being_the_saved_flow_s_next_run()
    {
        Sidecar.Clock.Offset = new DateTimeOffset(2026, 12, 4, 9, 0, 10, TimeSpan.Zero) - DateTimeOffset.UtcNow; // a Friday

        var preview = (await AdminClient().GetFromJsonAsync<JsonNode>("/api/flows/intacct-invoices/schedule-preview?cron=" + Uri.EscapeDataString("0 30 6 ? * MON-FRI"), Cancellation))!;

        Assert.Equal(
            [new DateTimeOffset(2026, 12, 7, 6, 30, 0, TimeSpan.Zero), new DateTimeOffset(2026, 12, 8, 6, 30, 0, TimeSpan.Zero), new DateTimeOffset(2026, 12, 9, 6, 30, 0, TimeSpan.Zero)],
            preview["next"]!.AsArray().Select(n => (DateTimeOffset)n!).ToArray());
        Assert.Equal(60, (int)preview["minimumIntervalSeconds"]!);
        Assert.Equal(Shipped, (string?)(await FlowAsync(AdminClient(), "intacct-invoices"))["schedule"]); // a preview stores nothing
        var saved = await PutScheduleAsync("0 30 6 ? * MON-FRI");
        Assert.Equal((DateTimeOffset)preview["next"]![0]!, (DateTimeOffset)saved.Body["nextRunAt"]!);

        var manual = (await AdminClient().GetFromJsonAsync<JsonNode>("/api/flows/intacct-invoices/schedule-preview?cron=", Cancellation))!;
        Assert.Empty(manual["next"]!.AsArray());
        Assert.Equal(HttpStatusCode.NotFound, (await AdminClient().GetAsync("/api/flows/no-such-flow/schedule-preview?cron=0+0+6+*+*+%3F", Cancellation)).StatusCode);
    }
}
