using System.Net.Http.Json;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Interweave.Sidecar.Flows;
using Interweave.Sidecar.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Interweave.Sidecar.Tests;

/// <summary>Every record traceable and every key told apart: keys' prefixes and rotation, bulk loads' outcomes.</summary>
public sealed partial class ConsoleTests
{
    [Fact]
    public async Task Keys_show_their_prefix_a_taken_name_is_refused_and_a_rotation_shows_the_new_key_once()
    {
        var page = await OpenAsync();
        await SignInAsync(page);
        await page.GetByRole(AriaRole.Link, new() { Name = "API keys" }).ClickAsync();
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("Creatio production");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create" }).ClickAsync();
        var key = (await page.Locator("#new-key").TextContentAsync())!;
        var row = page.GetByRole(AriaRole.Row).Filter(new() { HasText = "Creatio production" });
        await Assertions.Expect(row).ToContainTextAsync($"iw_{key.Split('_')[1]}…");
        await Assertions.Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = "bootstrap" })).ToContainTextAsync("own key");

        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("creatio PRODUCTION");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("A key of that name is active.");

        page.Dialog += (_, dialog) => dialog.AcceptAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Rotate Creatio production" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "rotated" })).ToContainTextAsync("Copy it now");
        var rotated = (await page.Locator("#new-key").TextContentAsync())!;
        Assert.StartsWith("iw_", rotated);
        Assert.NotEqual(key, rotated);
        await Assertions.Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = $"iw_{rotated.Split('_')[1]}…" })).ToContainTextAsync("active");
        await Assertions.Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = $"iw_{key.Split('_')[1]}…" })).ToContainTextAsync("revoked");
        using var client = new HttpClient { BaseAddress = Address };
        client.DefaultRequestHeaders.Add("X-Api-Key", key);
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, (await client.GetAsync("/api/status", Cancellation)).StatusCode);
        client.DefaultRequestHeaders.Remove("X-Api-Key");
        client.DefaultRequestHeaders.Add("X-Api-Key", rotated);
        Assert.Equal(System.Net.HttpStatusCode.OK, (await client.GetAsync("/api/status", Cancellation)).StatusCode);
        await page.ReloadAsync(); // shown once
        await Assertions.Expect(page.GetByText(rotated)).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task A_bulk_load_whose_records_failed_shows_completed_with_errors_on_its_card_and_the_dashboard()
    {
        IntacctDirect.Create(Intacct, new XElement("CUSTOMER", new XElement("CUSTOMERID", "B-1"), new XElement("NAME", "Bulk 1"), new XElement("STATUS", "active")));
        IntacctDirect.Invoice(Intacct, "B-1", new DateOnly(2026, 3, 1), 100m);
        IntacctDirect.Invoice(Intacct, "B-1", new DateOnly(2026, 3, 2), 200m, reference: Guid.NewGuid().ToString()); // an opportunity Creatio does not have

        var page = await OpenAsync();
        await SignInAsync(page);
        await page.GetByRole(AriaRole.Link, new() { Name = "Flows", Exact = true }).ClickAsync();
        var card = page.GetByRole(AriaRole.Region, new() { Name = "Bulk history load" });
        await card.GetByLabel("From").FillAsync("2026-01-01");
        await card.GetByRole(AriaRole.Button, new() { Name = "Start a load" }).ClickAsync();
        await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Start the load" }).ClickAsync(); // it asks first, with Intacct's counts

        await Assertions.Expect(card.Locator(".pill")).ToHaveTextAsync("completed with errors", new() { Timeout = 60_000 }); // it said "succeeded"
        await Assertions.Expect(card).ToContainTextAsync("2 written · 1 failed");
        await Assertions.Expect(card.GetByRole(AriaRole.Link, new() { Name = "The failed records wait in the error queue" })).ToHaveAttributeAsync("href", "#/errors");
        await page.GetByRole(AriaRole.Link, new() { Name = "Dashboard", Exact = true }).ClickAsync();
        var last = page.GetByRole(AriaRole.Region, new() { Name = "Last bulk load" });
        await Assertions.Expect(last.Locator(".pill")).ToHaveTextAsync("completed with errors");
        await Assertions.Expect(last).ToContainTextAsync("3 of 3 read · 2 written · 1 failed");
    }

    [Fact]
    public async Task The_search_box_finds_a_customer_by_name_and_an_invoice_by_number_and_each_record_links_to_its_Creatio_page()
    {
        IntacctDirect.Create(Intacct, new XElement("CUSTOMER", new XElement("CUSTOMERID", "C-7001"), new XElement("NAME", "Globex Search Ltd"), new XElement("STATUS", "active")));
        var recordNo = IntacctDirect.Invoice(Intacct, "C-7001", new DateOnly(2026, 11, 2), 100m);
        var number = (string)Intacct.Gateway.Company.All("ARINVOICE").Single(i => (string?)i.Element("RECORDNO") == recordNo).Element("RECORDID")!;
        await RunAsync("intacct-customers");
        var invoices = await RunAsync("intacct-invoices");
        var creatioPage = $"{Creatio.BaseAddress.ToString().TrimEnd('/')}/0/Navigation/Navigation.aspx?schemaName=";

        var page = await OpenAsync();
        await SignInAsync(page);
        var box = page.GetByRole(AriaRole.Searchbox, new() { Name = "Find a record by id or document number" });
        await box.FillAsync("globex");
        await box.PressAsync("Enter");

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1, Name = "Search: globex" })).ToBeVisibleAsync();
        var records = page.GetByRole(AriaRole.Region, new() { Name = "Records found" });
        var customer = records.GetByRole(AriaRole.Row).Filter(new() { HasText = "Globex Search Ltd" });
        await Assertions.Expect(customer).ToContainTextAsync("CUSTOMER C-7001");
        await Assertions.Expect(customer.GetByRole(AriaRole.Link, new() { Name = "Account ↗" })).ToHaveAttributeAsync("href", new Regex($"^{Regex.Escape(creatioPage)}Account&recordId=[0-9a-f-]{{36}}$"));
        await Assertions.Expect(page.GetByRole(AriaRole.Region, new() { Name = "Bindings found" })).ToContainTextAsync("C-7001");
        Assert.Empty(await SeriousAccessibilityViolationsAsync(page));
        await ScreenshotAsync(page, "search");

        await box.FillAsync(number);
        await box.PressAsync("Enter");
        var invoice = page.GetByRole(AriaRole.Region, new() { Name = "Records found" }).GetByRole(AriaRole.Row).Filter(new() { HasText = number });
        await Assertions.Expect(invoice).ToContainTextAsync($"ARINVOICE {recordNo}");
        await Assertions.Expect(invoice.GetByRole(AriaRole.Link, new() { Name = "UsrIntacctInvoice ↗" })).ToHaveAttributeAsync("href", new Regex($"^{Regex.Escape(creatioPage)}UsrIntacctInvoice&recordId="));
        await invoice.GetByRole(AriaRole.Link, new() { Name = $"History of {number}" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1, Name = $"History of {number}" })).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = $"#{invoices.Id}", Exact = true }).ClickAsync();
        // The run's records link to Creatio too.
        await Assertions.Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = number }).GetByRole(AriaRole.Link, new() { Name = "UsrIntacctInvoice ↗" })).ToBeVisibleAsync();
    }
}
