using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Interweave.Sidecar.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Interweave.Sidecar.Tests;

/// <summary>The flow page's schedule picker: it writes the Quartz cron, and the firings and refusals shown are the sidecar's.</summary>
public sealed partial class ConsoleTests
{
    [Fact]
    public async Task The_schedule_picker_writes_the_cron_shows_the_scheduler_s_next_firings_in_UTC_and_local_time_and_its_refusal_under_the_field()
    {
        var page = await OpenAsync(timezone: "America/New_York");
        await SignInAsync(page);
        await page.GotoAsync("/#/flows/intacct-payments");
        var card = page.GetByRole(AriaRole.Region, new() { Name = "Schedule" });
        var cron = card.GetByLabel("Quartz cron expression (UTC, seconds first)");
        await Assertions.Expect(card.GetByLabel("Repeat")).ToHaveValueAsync("minutes"); // shipped as every 15 minutes
        await Assertions.Expect(card.GetByLabel("Every (minutes)")).ToHaveValueAsync("15");

        await card.GetByLabel("Repeat").SelectOptionAsync("weekdays");
        await card.GetByLabel("At (UTC, 24-hour)").FillAsync("06:30");

        await Assertions.Expect(cron).ToHaveValueAsync("0 30 6 ? * MON-FRI");
        await Assertions.Expect(card.Locator("#schedule-preview")).ToHaveTextAsync("weekdays (Monday to Friday) at 06:30 UTC");
        var firings = card.Locator("ol.firings li");
        await Assertions.Expect(firings).ToHaveCountAsync(3);
        // The sidecar's own answer, shown in UTC and in the browser's zone (New York: 06:30 UTC is 1:30 AM EST in December).
        using var client = AdminClientFor(Address);
        var expected = (await client.GetFromJsonAsync<JsonNode>("/api/flows/intacct-payments/schedule-preview?cron=" + Uri.EscapeDataString("0 30 6 ? * MON-FRI"), Cancellation))!;
        var first = (DateTimeOffset)expected["next"]![0]!;
        await Assertions.Expect(firings.First).ToContainTextAsync(first.ToString("MMM d, yyyy", CultureInfo.InvariantCulture) + ", 06:30:00 UTC");
        await Assertions.Expect(firings.First).ToContainTextAsync(new Regex(@"1:30:00\sAM EST your time")); // ICU may put a narrow no-break space before AM
        await ScreenshotAsync(page, "schedule-picker");

        await card.GetByLabel("Repeat").SelectOptionAsync("minutes");
        await card.GetByLabel("Every (minutes)").FillAsync("10");
        await Assertions.Expect(cron).ToHaveValueAsync("0 0/10 * * * ?");
        await Assertions.Expect(firings).ToHaveCountAsync(3);

        // Raw cron stays available; what the scheduler would refuse shows under the field in the sidecar's words.
        await cron.FillAsync("* * * * * ?");
        await Assertions.Expect(card.GetByRole(AriaRole.Alert)).ToContainTextAsync("fires more often than every 1 minute(s)");
        await Assertions.Expect(cron).ToHaveAttributeAsync("aria-invalid", "true");
        await Assertions.Expect(card.GetByLabel("Repeat")).ToHaveValueAsync("custom");
        await Assertions.Expect(firings).ToHaveCountAsync(0);
        await cron.FillAsync("0 0 0 31 2 ?");
        await Assertions.Expect(card.GetByRole(AriaRole.Alert)).ToContainTextAsync("never fires");
        await cron.FillAsync("0 61 * * * ?");
        await Assertions.Expect(card.GetByRole(AriaRole.Alert)).ToBeVisibleAsync();
        Assert.NotEqual("every hour at minute 61 (UTC)", await card.Locator("#schedule-preview").TextContentAsync());

        await card.GetByLabel("Repeat").SelectOptionAsync("daily");
        await card.GetByLabel("At (UTC, 24-hour)").FillAsync("06:00");
        await Assertions.Expect(card.GetByRole(AriaRole.Alert)).ToBeHiddenAsync();
        await Assertions.Expect(cron).Not.ToHaveAttributeAsync("aria-invalid", "true");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save the flow" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Saved." })).ToBeVisibleAsync();
        Assert.Equal("0 0 6 * * ?", (string?)(await AdminClient().GetFromJsonAsync<JsonObject>("/api/flows/intacct-payments", Cancellation))!["schedule"]);
    }
}
