using Interweave.Simulators.Intacct;
using Microsoft.Playwright;

namespace Interweave.Sidecar.Tests;

/// <summary>Send to Intacct's document type is chosen from the Intacct company's own transaction definitions.</summary>
public sealed partial class ConsoleTests
{
    [Fact]
    public async Task The_document_type_offers_the_company_s_transaction_definitions_and_an_unknown_one_is_refused_in_place()
    {
        Intacct.Gateway.Company.AddTransactionDefinition(new TransactionDefinition("UK Sales Invoice", "UKINV", true, "Closed"), "Invoice");
        var page = await OpenAsync();
        await SignInAsync(page);
        await page.GotoAsync("/#/flows/send-to-intacct");
        var documentType = page.GetByLabel("documentType", new() { Exact = true });

        await documentType.FocusAsync();
        var offered = page.Locator("#setting-documentType-choices option");
        await Assertions.Expect(offered).ToHaveCountAsync(5);
        Assert.Equal(["Sales Quote", "Sales Order", "Sales Invoice", "UK Sales Invoice", "AR Invoice"],
            await offered.EvaluateAllAsync<string[]>("options => options.map(o => o.value)"));

        await documentType.FillAsync("Pro Forma Invoice");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save the flow" }).ClickAsync();
        await Assertions.Expect(page.Locator(".banner.error, [role=alert]").First).ToContainTextAsync("\"UK Sales Invoice\"");

        await documentType.FillAsync("UK Sales Invoice");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save the flow" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Saved." })).ToBeVisibleAsync();
    }
}
