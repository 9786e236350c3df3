using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Interweave.Sidecar.Api.Contracts;
using Interweave.Sidecar.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Interweave.Sidecar.Tests;

/// <summary>The console tells the truth about outcomes: failed runs, failing connections, each error's own page.</summary>
public sealed partial class ConsoleTests
{
    [Fact]
    public async Task A_double_clicked_run_whose_every_record_failed_runs_once_shows_failed_everywhere_and_its_retry_says_it_still_fails()
    {
        await IntacctDirect.CreateAsync(Intacct, "CUSTOMER", ("CUSTOMERID", "C-951"), ("NAME", "Nobody in Creatio"));
        IntacctDirect.Invoice(Intacct, "C-951", new DateOnly(2026, 11, 2), 42m); // its customer is linked to no account: the record fails
        var page = await OpenAsync();
        await SignInAsync(page);
        await page.GetByRole(AriaRole.Link, new() { Name = "Flows", Exact = true }).ClickAsync();
        var row = page.Locator("tr[data-flow='intacct-invoices']");

        var runNow = row.GetByRole(AriaRole.Button, new() { NameRegex = new Regex("^Run now: ") });

        await runNow.DblClickAsync();

        await Assertions.Expect(runNow).ToBeDisabledAsync(); // it stayed live: a double click started two runs
        await Assertions.Expect(row.GetByRole(AriaRole.Progressbar)).ToHaveAttributeAsync("aria-valuetext", "failed, 100%", new() { Timeout = 60_000 });
        await Assertions.Expect(row).ToContainTextAsync("Every record failed (1 of 1)");
        await Assertions.Expect(runNow).ToBeEnabledAsync();
        Assert.Single((await AdminClient().GetFromJsonAsync<FlowRun[]>("/api/runs?flowId=intacct-invoices", Cancellation))!);
        await page.GetByRole(AriaRole.Link, new() { Name = "Runs", Exact = true }).ClickAsync();
        await Assertions.Expect(page.Locator("tbody tr").First.Locator(".pill")).ToHaveTextAsync("failed");
        await page.GetByRole(AriaRole.Link, new() { Name = "Dashboard" }).ClickAsync();
        await Assertions.Expect(page.GetByText(new Regex(@"^1 failed, 0 completed with errors"))).ToBeVisibleAsync();

        // Nothing was fixed: the retry says so (it said "Retried 1 of 1.").
        await page.GetByRole(AriaRole.Link, new() { Name = "Error queue", Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Retry all 1" }).ClickAsync();
        await Assertions.Expect(page.Locator("#toast")).ToHaveTextAsync("Retried 1: 0 fixed, 1 still failing.");
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Retry all 1" })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task An_intacct_outage_shows_the_connection_failing_and_the_stopped_run_in_the_error_queue_until_a_retry_works()
    {
        Intacct.Options.FaultTimeoutMs = 10;
        Intacct.Options.FaultRate = 1;
        await RunAsync("intacct-invoices");
        var page = await OpenAsync();
        await SignInAsync(page);

        var intacct = page.GetByRole(AriaRole.Region, new() { Name = "Intacct connection" });
        await Assertions.Expect(intacct.Locator(".pill")).ToHaveTextAsync("failing"); // it said "connected"
        await Assertions.Expect(intacct).ToContainTextAsync("Failing since");
        await Assertions.Expect(page.GetByRole(AriaRole.Region, new() { Name = "Creatio connection" }).Locator(".pill")).ToHaveTextAsync("connected");
        await ScreenshotAsync(page, "dashboard-outage");
        await page.GetByRole(AriaRole.Link, new() { Name = "Error queue", Exact = true }).ClickAsync();
        var group = page.GetByRole(AriaRole.Region, new() { Name = "The run of intacct-invoices stopped: Intacct" });
        await Assertions.Expect(group).ToContainTextAsync("Whole run"); // it said "No open errors."
        await Assertions.Expect(group.GetByRole(AriaRole.Link, new() { NameRegex = new Regex(@"^Run #\d+ of intacct-invoices$") })).ToBeVisibleAsync();

        Intacct.Options.FaultRate = 0;
        await group.GetByRole(AriaRole.Button, new() { Name = "Retry all 1" }).ClickAsync();
        await Assertions.Expect(page.GetByText("No open errors.")).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Dashboard" }).ClickAsync();
        await Assertions.Expect(intacct.Locator(".pill")).ToHaveTextAsync("connected");
    }

    [Fact]
    public async Task An_error_opens_on_its_own_page_linked_to_its_flow_run_and_support_case()
    {
        await IntacctDirect.CreateAsync(Intacct, "CUSTOMER", ("CUSTOMERID", "C-971"), ("NAME", "Nobody in Creatio"));
        IntacctDirect.Invoice(Intacct, "C-971", new DateOnly(2026, 11, 2), 42m);
        var run = await RunAsync("intacct-invoices");
        var error = Assert.Single((await AdminClient().GetFromJsonAsync<SyncError[]>("/api/errors", Cancellation))!);
        var page = await OpenAsync();
        await SignInAsync(page);
        await page.GetByRole(AriaRole.Link, new() { Name = "Error queue", Exact = true }).ClickAsync();
        // The Case by its number, linked to Creatio (the column showed its GUID).
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = error.CaseNumber!, Exact = true })).ToHaveAttributeAsync("href", error.CaseUrl!);

        await page.GetByRole(AriaRole.Link, new() { Name = $"Error {error.Id}", Exact = true }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1, Name = $"Error #{error.Id}" })).ToBeVisibleAsync();
        Assert.EndsWith($"#/errors/{error.Id}", page.Url); // the address each Case cites
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "intacct-invoices", Exact = true })).ToHaveAttributeAsync("href", "#/flows/intacct-invoices");
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = error.CaseNumber!, Exact = true })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByText(error.RecordLabel!)).ToBeVisibleAsync();
        Assert.Empty(await SeriousAccessibilityViolationsAsync(page));
        await ScreenshotAsync(page, "error");
        await page.GetByRole(AriaRole.Link, new() { Name = $"Run #{run.Id}", Exact = true }).First.ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1, Name = $"Run #{run.Id} of intacct-invoices" })).ToBeVisibleAsync();
    }
}
