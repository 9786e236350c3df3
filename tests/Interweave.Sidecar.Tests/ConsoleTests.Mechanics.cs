using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Dapper;
using Interweave.Sidecar.Api.Contracts;
using Interweave.Sidecar.Flows.Engine;
using Interweave.Sidecar.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Interweave.Sidecar.Tests;

/// <summary>
/// What every console page relies on: addresses that survive sign-in, titles, the skip link, loading and failure
/// states, lists that page and refresh in place, times with their zone, no stray "null", and confirmations.
/// </summary>
public sealed partial class ConsoleTests
{
    [Fact]
    public async Task A_deep_link_survives_sign_in_each_page_has_its_title_and_the_skip_link_focuses_the_content()
    {
        var run = await RunAsync("intacct-items");
        var page = await OpenAsync();

        await page.GotoAsync($"/#/runs/{run.Id}");
        await page.GetByLabel("API key").FillAsync(SidecarFactory.AdminKey);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1, Name = $"Run #{run.Id} of intacct-items" })).ToBeVisibleAsync(); // it went to the dashboard
        Assert.EndsWith($"#/runs/{run.Id}", page.Url);
        await Assertions.Expect(page).ToHaveTitleAsync($"Run #{run.Id} · Interweave console");
        foreach (var (route, title) in new[] { ("#/", "Dashboard"), ("#/errors", "Error queue"), ("#/flows/intacct-invoices", "Flow intacct-invoices"), ("#/runs", "Runs") })
        {
            await page.GotoAsync($"/{route}");
            await Assertions.Expect(page).ToHaveTitleAsync($"{title} · Interweave console");
        }

        // The skip link moves focus to the content and stays on the page; it used to route to #main, the dashboard.
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1, Name = "Runs" })).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Skip to content" }).FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.Locator("main")).ToBeFocusedAsync();
        Assert.EndsWith("#/runs", page.Url);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1, Name = "Runs" })).ToBeVisibleAsync();

        await page.GotoAsync("/#/nonsense");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1, Name = "No such page" })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task A_page_shows_it_is_loading_a_failed_load_offers_try_again_and_a_working_button_is_busy()
    {
        await IntacctDirect.CreateAsync(Intacct, "CUSTOMER", ("CUSTOMERID", "C-961"), ("NAME", "Nobody in Creatio"));
        IntacctDirect.Invoice(Intacct, "C-961", new DateOnly(2026, 11, 2), 42m);
        await RunAsync("intacct-invoices");
        var page = await OpenAsync();
        await SignInAsync(page);

        // Held: the page says it is loading, with aria-busy on main.
        var release = new TaskCompletionSource();
        await page.RouteAsync("**/api/flows", async route => { await release.Task; await route.ContinueAsync(); });
        await page.GotoAsync("/#/runs");
        await Assertions.Expect(page.Locator("main")).ToHaveAttributeAsync("aria-busy", "true");
        await Assertions.Expect(page.Locator("main")).ToContainTextAsync("Loading runs…");
        release.SetResult();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1, Name = "Runs" })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("main")).Not.ToHaveAttributeAsync("aria-busy", "true");
        await page.UnrouteAsync("**/api/flows");

        // No answer at all: said in words, with a way to try again.
        await page.RouteAsync("**/api/flows", route => route.AbortAsync());
        await page.GotoAsync("/#/");
        await page.GotoAsync("/#/runs");
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("The sidecar did not answer.");
        await page.UnrouteAsync("**/api/flows");
        await page.GetByRole(AriaRole.Button, new() { Name = "Try again" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1, Name = "Runs" })).ToBeVisibleAsync();

        // A retry under way: its button is disabled and aria-busy until the answer comes.
        var answer = new TaskCompletionSource();
        await page.RouteAsync("**/api/errors/retry", async route => { await answer.Task; await route.ContinueAsync(); });
        await page.GetByRole(AriaRole.Link, new() { Name = "Error queue", Exact = true }).ClickAsync();
        var retry = page.GetByRole(AriaRole.Button, new() { Name = "Retry all 1" });
        await retry.ClickAsync();
        await Assertions.Expect(retry).ToBeDisabledAsync();
        await Assertions.Expect(retry).ToHaveAttributeAsync("aria-busy", "true");
        answer.SetResult();
        await Assertions.Expect(page.Locator("#toast")).ToHaveTextAsync("Retried 1: 0 fixed, 1 still failing.");
    }

    [Fact]
    public async Task Runs_page_back_to_older_runs_and_refresh_in_place_without_taking_focus()
    {
        await using (var store = TestStore.OpenStore())
        await using (var connection = await store.OpenAsync(Cancellation))
            for (var i = 0; i < 205; i++)
                await connection.ExecuteAsync(
                    "insert into flow_runs (flow_id, trigger, state, started_at, finished_at, read_count) values ('intacct-items', 'schedule', 'succeeded', @at, @at, 1)",
                    new { at = DateTimeOffset.UtcNow.AddMinutes(-300 + i) });
        var page = await OpenAsync();
        await SignInAsync(page);
        await page.GetByRole(AriaRole.Link, new() { Name = "Runs", Exact = true }).ClickAsync();
        var rows = page.Locator("tbody tr");
        await Assertions.Expect(rows).ToHaveCountAsync(200);
        await Assertions.Expect(page.GetByText("Showing the latest 200 runs.")).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Show older runs" }).ClickAsync();
        await Assertions.Expect(rows).ToHaveCountAsync(205);
        await Assertions.Expect(page.GetByText("Showing all 205 runs.")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Show older runs" })).ToBeHiddenAsync();

        // A keyboard user on a run's link, scrolled down: the 3-second refresh brings a new run and leaves both alone.
        var link = page.GetByRole(AriaRole.Link, new() { Name = "#150", Exact = true });
        await link.FocusAsync();
        var scrolled = await page.EvaluateAsync<double>("window.scrollY");
        Assert.True(scrolled > 0);
        var run = await RunAsync("intacct-customers");
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = $"#{run.Id}", Exact = true })).ToBeVisibleAsync(new() { Timeout = 20_000 });
        await Assertions.Expect(rows).ToHaveCountAsync(206);
        await Assertions.Expect(link).ToBeFocusedAsync(); // the table was redrawn and focus fell to <body> (console review B17)
        Assert.Equal(scrolled, await page.EvaluateAsync<double>("window.scrollY"));
        await Assertions.Expect(page.GetByText("1 new run.")).ToBeAttachedAsync();
    }

    [Fact]
    public async Task No_page_shows_null_or_undefined_and_every_time_is_relative_with_its_zone_in_a_tooltip()
    {
        await IntacctDirect.CreateAsync(Intacct, "CUSTOMER", ("CUSTOMERID", "C-941"), ("NAME", "Nobody in Creatio"));
        IntacctDirect.Invoice(Intacct, "C-941", new DateOnly(2026, 11, 2), 42m);
        var run = await RunAsync("intacct-invoices"); // one record, failed
        var error = Assert.Single((await AdminClient().GetFromJsonAsync<SyncError[]>("/api/errors", Cancellation))!);
        var report = await (await AdminClient().PostAsJsonAsync("/api/binding-runs", new { kind = "account-customer" }, Cancellation)).Content.ReadFromJsonAsync<BindingReportId>(Cancellation);
        var page = await OpenAsync();
        await SignInAsync(page);
        foreach (var route in new[] { "#/", "#/connections", "#/flows", "#/flows/intacct-invoices", "#/runs", $"#/runs/{run.Id}", "#/errors", $"#/errors/{error.Id}",
                     "#/bindings", $"#/bindings/reports/{report!.Id}", "#/keys", "#/audit" })
        {
            await page.GotoAsync($"/{route}");
            await Assertions.Expect(page.Locator("main h1")).ToBeVisibleAsync();
            await Assertions.Expect(page.Locator("main")).Not.ToHaveAttributeAsync("aria-busy", "true");
            var text = await page.Locator("body").InnerTextAsync();
            var stray = Regex.Match(text, @"\b(null|undefined|NaN)\b|\[object ");
            Assert.False(stray.Success, $"{route} shows '{stray.Value}' in: …{text[Math.Max(0, stray.Index - 60)..Math.Min(text.Length, stray.Index + 40)]}…");
            // Each time is relative ("5 minutes ago") with the exact moment, zone named, in its tooltip.
            foreach (var title in await page.Locator("main time").EvaluateAllAsync<string[]>("times => times.map(t => t.title)"))
                Assert.Matches(@"\d{1,2}:\d{2}:\d{2}.* (GMT|UTC|[A-Z]{2,5}).* · .*\d{2}:\d{2}:\d{2} UTC$", title);
        }

        await page.GotoAsync($"/#/runs/{run.Id}");
        await Assertions.Expect(page.Locator("main time").First).ToHaveTextAsync(new Regex("(just now|seconds? ago|minutes? ago)$"));
    }

    private sealed record BindingReportId(long Id);

    [Fact]
    public async Task A_dismissal_asks_first_and_can_be_undone_and_on_a_phone_rows_stack_as_cards_with_their_buttons_in_reach()
    {
        await IntacctDirect.CreateAsync(Intacct, "CUSTOMER", ("CUSTOMERID", "C-931"), ("NAME", "Nobody in Creatio"));
        IntacctDirect.Invoice(Intacct, "C-931", new DateOnly(2026, 11, 2), 42m);
        await RunAsync("intacct-invoices");
        var page = await OpenAsync(width: 390);
        await SignInAsync(page);
        await page.GotoAsync("/#/errors");
        var row = page.Locator("tbody tr").First;
        var retry = row.GetByRole(AriaRole.Button, new() { NameRegex = new Regex("^Retry ") });
        var box = (await retry.BoundingBoxAsync())!;
        Assert.True(box.X + box.Width <= 390, $"Retry ends at {box.X + box.Width} px, past the 390 px screen");
        Assert.Equal("block", await row.Locator("td").First.EvaluateAsync<string>("td => getComputedStyle(td).display"));
        await Assertions.Expect(row.Locator("td").Nth(1)).ToHaveAttributeAsync("data-label", "Record");
        await ScreenshotAsync(page, "errors-390");

        await row.GetByRole(AriaRole.Button, new() { NameRegex = new Regex("^Dismiss ") }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog, new() { Name = "Dismiss this error?" });
        await Assertions.Expect(dialog).ToContainTextAsync("not sent again until it changes");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
        Assert.Single((await AdminClient().GetFromJsonAsync<SyncError[]>("/api/errors", Cancellation))!);
        await row.GetByRole(AriaRole.Button, new() { NameRegex = new Regex("^Dismiss ") }).ClickAsync();
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Dismiss", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByText("No open errors.")).ToBeVisibleAsync();

        await page.GetByLabel("Show").SelectOptionAsync("dismissed");
        Assert.EndsWith("#/errors?status=dismissed", page.Url);
        await page.Locator("tbody tr").First.GetByRole(AriaRole.Button, new() { NameRegex = new Regex("^Reopen ") }).ClickAsync();
        await Assertions.Expect(page.Locator("#toast")).ToHaveTextAsync("Reopened 1 of 1.");
        var reopened = Assert.Single((await AdminClient().GetFromJsonAsync<SyncError[]>("/api/errors", Cancellation))!);
        Assert.Equal(ErrorStatus.Open, reopened.Status);
        Assert.Equal(HttpStatusCode.OK, (await AdminClient().GetAsync($"/api/errors/{reopened.Id}", Cancellation)).StatusCode);
    }
}
