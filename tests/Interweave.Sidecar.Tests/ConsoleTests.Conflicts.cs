using System.Net;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using Interweave.Sidecar.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Interweave.Sidecar.Tests;

/// <summary>The console shows what a run changed, field by field, and lets an admin settle a field both systems changed.</summary>
public sealed partial class ConsoleTests
{
    [Fact]
    public async Task A_run_shows_the_fields_it_changed_and_a_conflict_is_resolved_from_the_error_queue()
    {
        Assert.Equal(HttpStatusCode.OK, (await AdminClient().PostAsync($"/api/accounts/{OBrien}/sync", null, Cancellation)).StatusCode);
        var customerId = (string)Creatio.Data.Find("Account", OBrien)!["UsrIntacctCustomerId"]!;
        EditInCreatio("Account", OBrien, new JsonObject { ["Phone"] = "+1 555 0501" });
        var push = await RunAsync("creatio-accounts");
        // Then both systems change the phone before either flow runs.
        EditInCreatio("Account", OBrien, new JsonObject { ["Phone"] = "+1 555 0601" });
        IntacctDirect.Update(Intacct, new XElement("CUSTOMER", new XElement("CUSTOMERID", customerId), new XElement("DISPLAYCONTACT", new XElement("PHONE1", "+1 555 0602"))));
        await RunAsync("intacct-customers");

        var page = await OpenAsync();
        await SignInAsync(page);
        await page.GotoAsync($"/#/runs/{push.Id}");
        var row = page.Locator("tbody tr").Filter(new() { HasText = "O'Brien" });
        await Assertions.Expect(row.Locator("ul.changes li")).ToHaveTextAsync("DISPLAYCONTACT/PHONE1: +1 555 0100 → +1 555 0501");

        await page.GetByRole(AriaRole.Link, new() { Name = "Error queue", Exact = true }).ClickAsync();
        var group = page.GetByRole(AriaRole.Region, new() { Name = "Phone changed in both systems" });
        await Assertions.Expect(group).ToContainTextAsync("+1 555 0601");
        await Assertions.Expect(group).ToContainTextAsync("+1 555 0602");
        await ScreenshotAsync(page, "conflicts");
        await group.GetByRole(AriaRole.Button, new() { Name = "Keep Intacct's Phone for O'Brien & Sons <UK>" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Region, new() { Name = "Phone changed in both systems" })).ToHaveCountAsync(0);
        Assert.Equal("+1 555 0602", Creatio.Data.Find("Account", OBrien)!["Phone"]);
        Assert.Equal("+1 555 0602", Intacct.Gateway.Company.All("CUSTOMER").Single(c => c.Element("CUSTOMERID")!.Value == customerId)
            .Element("DISPLAYCONTACT")!.Element("PHONE1")!.Value);
    }
}
