using System.Net;
using System.Net.Http.Json;
using Interweave.Sidecar.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Interweave.Sidecar.Tests;

/// <summary>The dashboard a finance user reads: business counts first, each a way into its filtered list; engineering charts folded.</summary>
public sealed partial class ConsoleTests
{
    private static readonly Guid WidgetRollout = Guid.Parse("d0000000-0000-4000-8000-000000000001");

    [Fact]
    public async Task The_dashboard_leads_with_business_counts_each_opening_its_filtered_list_and_folds_the_performance_charts()
    {
        Assert.Equal(HttpStatusCode.OK, (await AdminClient().PostAsync($"/api/opportunities/{WidgetRollout}/send-to-intacct", null, Cancellation)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await AdminClient().PostAsync($"/api/accounts/{OBrien}/sync", null, Cancellation)).StatusCode);
        IntacctDirect.Invoice(Intacct, (string)Creatio.Data.Find("Account", OBrien)!["UsrIntacctCustomerId"]!, new DateOnly(2026, 11, 2), 100m);
        await IntacctDirect.CreateAsync(Intacct, "CUSTOMER", ("CUSTOMERID", "C-921"), ("NAME", "Nobody in Creatio"));
        IntacctDirect.Invoice(Intacct, "C-921", new DateOnly(2026, 11, 3), 42m);
        await RunAsync("intacct-invoices");
        await RunAsync("intacct-items");
        Assert.Equal(HttpStatusCode.OK, (await AdminClient().PutAsJsonAsync("/api/flows/intacct-adjustments", new { enabled = false }, Cancellation)).StatusCode);
        var page = await OpenAsync();
        await SignInAsync(page);

        var business = page.GetByRole(AriaRole.Region, new() { Name = "Business, last 24 hours" });
        var sent = business.GetByRole(AriaRole.Link).Filter(new() { HasText = "Documents sent to Intacct" });
        await Assertions.Expect(sent.Locator(".metric")).ToHaveTextAsync("1");
        await Assertions.Expect(business.GetByRole(AriaRole.Link).Filter(new() { HasText = "Invoices brought into Creatio" }).Locator(".metric")).ToHaveTextAsync("1");
        await Assertions.Expect(business.GetByRole(AriaRole.Link).Filter(new() { HasText = "Payments brought into Creatio" }).Locator(".metric")).ToHaveTextAsync("0");
        var waiting = business.GetByRole(AriaRole.Link).Filter(new() { HasText = "Records waiting on an error" });
        await Assertions.Expect(waiting.Locator(".metric")).ToHaveTextAsync("1");
        var off = business.GetByRole(AriaRole.Link).Filter(new() { HasText = "Flows switched off" });
        await Assertions.Expect(off).ToContainTextAsync("Intacct AR adjustments to Creatio");
        // The engineering charts are folded away until asked for.
        await Assertions.Expect(page.GetByRole(AriaRole.Region, new() { Name = "intacct latency" })).ToBeHiddenAsync();
        await ScreenshotAsync(page, "dashboard");

        await sent.ClickAsync();
        Assert.EndsWith("#/runs?flow=send-to-intacct", page.Url);
        await Assertions.Expect(page.GetByLabel("Flow", new() { Exact = true })).ToHaveValueAsync("send-to-intacct");
        await Assertions.Expect(page.Locator("tbody tr")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("tbody tr")).ToContainTextAsync("send-to-intacct");

        await page.GoBackAsync();
        await waiting.ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1, Name = "Error queue" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Retry all 1" })).ToBeVisibleAsync();

        await page.GoBackAsync();
        await off.ClickAsync();
        await Assertions.Expect(page.Locator("tr[data-flow]")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("tr[data-flow='intacct-adjustments']")).ToBeVisibleAsync();

        // A flow's row on the dashboard opens its runs; the error queue takes ?flow= too.
        await page.GotoAsync("/#/errors?flow=intacct-items");
        await Assertions.Expect(page.GetByText("No open errors.")).ToBeVisibleAsync();
        await page.GotoAsync("/#/errors?flow=intacct-invoices");
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Retry all 1" })).ToBeVisibleAsync();

        await page.GotoAsync("/#/");
        await page.GetByText("Performance", new() { Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Region, new() { Name = "intacct latency" })).ToBeVisibleAsync();
    }
}
