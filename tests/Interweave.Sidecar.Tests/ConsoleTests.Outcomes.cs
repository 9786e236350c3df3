using System.Text.RegularExpressions;
using Interweave.Sidecar.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Interweave.Sidecar.Tests;

/// <summary>The console tells the truth about outcomes: failed runs, failing connections, each error's own page.</summary>
public sealed partial class ConsoleTests
{
    [Fact]
    public async Task A_run_whose_every_record_failed_shows_failed_on_the_flows_runs_and_dashboard_pages()
    {
        await IntacctDirect.CreateAsync(Intacct, "CUSTOMER", ("CUSTOMERID", "C-951"), ("NAME", "Nobody in Creatio"));
        IntacctDirect.Invoice(Intacct, "C-951", new DateOnly(2026, 11, 2), 42m); // its customer is linked to no account: the record fails
        var page = await OpenAsync();
        await SignInAsync(page);
        await page.GetByRole(AriaRole.Link, new() { Name = "Flows", Exact = true }).ClickAsync();
        var row = page.Locator("tr[data-flow='intacct-invoices']");

        await row.GetByRole(AriaRole.Button, new() { NameRegex = new Regex("^Run now: ") }).ClickAsync();

        await Assertions.Expect(row.GetByRole(AriaRole.Progressbar)).ToHaveAttributeAsync("aria-valuetext", "failed, 100%", new() { Timeout = 60_000 });
        await Assertions.Expect(row).ToContainTextAsync("Every record failed (1 of 1)");
        await page.GetByRole(AriaRole.Link, new() { Name = "Runs", Exact = true }).ClickAsync();
        await Assertions.Expect(page.Locator("tbody tr").First.Locator(".pill")).ToHaveTextAsync("failed");
        await page.GetByRole(AriaRole.Link, new() { Name = "Dashboard" }).ClickAsync();
        await Assertions.Expect(page.GetByText(new Regex(@"^1 failed, 0 completed with errors"))).ToBeVisibleAsync();
    }
}
