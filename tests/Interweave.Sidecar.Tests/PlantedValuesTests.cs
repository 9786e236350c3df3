using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Interweave.Sidecar.Api.Contracts;
using Interweave.Sidecar.Flows;
using Interweave.Sidecar.Flows.Engine;
using Interweave.Sidecar.Storage;
using Interweave.Sidecar.Tests.Infrastructure;
using System.Xml.Linq;
using Interweave.Simulators.Creatio;

namespace Interweave.Sidecar.Tests;

/// <summary>
/// Values an attacker plants in Creatio or Intacct travel through the real flows as text (security review 2026-12-07,
/// "what held", kept held): XML markup typed into an account reaches Intacct as the same characters and adds no
/// element, an OData quote in an Intacct value stays inside its literal, a spreadsheet formula leaves the binding
/// report as text, and markup reaches a support Case encoded. Each value is planted in a simulator, then moved by a
/// flow, a button or an export over HTTP; what the other side holds is compared with what was planted.
/// </summary>
public sealed class PlantedValuesTests(PostgresServer postgres) : SimulatedSystemsTestBase(StoreProvider.Sqlite, postgres, intacctRandomSeed: 17)
{
    private static readonly Guid OBrien = Guid.Parse("a0000000-0000-4000-8000-000000000001");
    private static readonly Guid WidgetRollout = Guid.Parse("d0000000-0000-4000-8000-000000000001"); // O'Brien & Sons, 2 lines

    // Each closes the element it lands in and opens others, or quotes its way out of a literal, in one of the languages the
    // sidecar writes (Intacct XML, OData $filter, readByQuery).
    // Intacct's NAME holds at most 100 characters.
    private const string XmlBreak = "Evil</NAME><STATUS>inactive</STATUS><DELETE/><NAME>x]]><![CDATA[ &amp; &xxe; %00 <script>";
    private const string QuoteBreak = "' or 1 eq 1 or Name eq '\" O\"Brien's";
    private const string BothBreak = "</NAME><DELETE/>" + QuoteBreak + " %00 <script>alert(1)</script>";

    private Dictionary<string, object?> CreatioRow(string entity, Guid id) => Creatio.Data.Find(entity, id)!;

    private XElement CustomerNamed(string accountId) =>
        Intacct.Gateway.Company.All("CUSTOMER").Single(c => c.Element("ACCOUNTID")?.Value == accountId);

    [Fact]
    public async Task Markup_and_quotes_typed_in_Creatio_reach_Intacct_as_the_same_text_through_Send_to_Intacct_and_the_account_push()
    {
        EditInCreatio("Account", OBrien, new JsonObject { ["Name"] = XmlBreak, ["Phone"] = QuoteBreak });
        EditInCreatio("Opportunity", WidgetRollout, new JsonObject { ["Title"] = "Deal </message><shippingmethod>Air</shippingmethod> " + QuoteBreak });

        var sent = await AdminClient().PostAsync($"/api/opportunities/{WidgetRollout}/send-to-intacct", null, Cancellation);

        Assert.True(sent.StatusCode == HttpStatusCode.OK, await sent.Content.ReadAsStringAsync(Cancellation));
        var customer = CustomerNamed(OBrien.ToString());
        Assert.Equal(XmlBreak, customer.Element("NAME")!.Value);
        Assert.Equal("active", customer.Element("STATUS")!.Value);
        Assert.Null(customer.Element("DELETE"));
        var document = Assert.Single(Intacct.Gateway.Company.All("SODOCUMENT"));
        Assert.Equal("Deal </message><shippingmethod>Air</shippingmethod> " + QuoteBreak, document.Element("MESSAGE")!.Value);
        Assert.NotEqual("Air", document.Element("SHIPVIA")?.Value);

        // Paired now; the next edit goes through the account push (update, not create).
        const string renamed = "Renamed</NAME><DELETE/><NAME>";
        EditInCreatio("Account", OBrien, new JsonObject { ["Name"] = renamed, ["Phone"] = "+1 555 0100 </PHONE1><DELETE/>" });
        var push = await RunAsync("creatio-accounts");

        Assert.Equal((RunState.Succeeded, 0), (push.State, push.FailedCount));
        customer = CustomerNamed(OBrien.ToString());
        Assert.Equal(renamed, customer.Element("NAME")!.Value);
        Assert.Equal("+1 555 0100 </PHONE1><DELETE/>", customer.Element("DISPLAYCONTACT")!.Element("PHONE1")!.Value);
        Assert.Equal("active", customer.Element("STATUS")!.Value);
        Assert.Single(Intacct.Gateway.Company.All("CUSTOMER"));
    }

    [Fact]
    public async Task Values_typed_in_Intacct_reach_Creatio_as_the_same_text_and_a_quote_in_a_lookup_value_stays_inside_its_OData_literal()
    {
        await IntacctDirect.CreateAsync(Intacct, "CUSTOMER", ("CUSTOMERID", "C-9001"), ("NAME", BothBreak));
        var pull = await RunAsync("intacct-customers");
        Assert.Equal((RunState.Succeeded, 1), (pull.State, pull.CreatedCount));
        Assert.Single(Creatio.Data.Rows("Account"), a => (string?)a["Name"] == BothBreak);

        // A currency code that would widen Creatio's filter to every currency if its quote were not doubled matches none,
        // while a plain code beside it finds its currency.
        Invoice("USD' or Code ne 'x", "10");
        Invoice("EUR", "20");

        var invoices = await RunAsync("intacct-invoices");

        Assert.Equal((RunState.Succeeded, 2), (invoices.State, invoices.CreatedCount));
        var rows = Creatio.Data.Rows("UsrIntacctInvoice");
        var hostile = Assert.Single(rows, r => (decimal?)r["UsrTotal"] == 10m);
        Assert.True(hostile["UsrCurrency"] is null || Equals(hostile["UsrCurrency"], Guid.Empty), $"matched currency {hostile["UsrCurrency"]}");
        Assert.Equal(Guid.Parse("c1057119-53e6-df11-971b-001d60e938c6"), Assert.Single(rows, r => (decimal?)r["UsrTotal"] == 20m)["UsrCurrency"]);
    }

    private void Invoice(string currency, string amount) =>
        IntacctDirect.Legacy(Intacct, new XElement("create_invoice",
            new XElement("customerid", "C-9001"),
            new XElement("datecreated", new XElement("year", "2026"), new XElement("month", "11"), new XElement("day", "2")),
            new XElement("datedue", new XElement("year", "2026"), new XElement("month", "12"), new XElement("day", "2")),
            new XElement("basecurr", "USD"), new XElement("currency", currency),
            new XElement("invoiceitems", new XElement("lineitem", new XElement("glaccountno", "4000"), new XElement("amount", amount)))));

    [Fact]
    public async Task Formulas_planted_as_names_leave_the_binding_report_CSV_as_text()
    {
        string[] formulas = ["=cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0", "+1+1", "-1+1", "\t=1+1", "\r=1+1"];
        foreach (var (formula, i) in formulas.Select((f, i) => (f, i)))
            Creatio.Data.Insert(Creatio.Data.Model.Find("Account")!, new JsonObject { ["Id"] = $"e1000000-0000-4000-8000-00000000000{i}", ["Name"] = formula }, CreatioData.SupervisorId);
        await IntacctDirect.CreateAsync(Intacct, "CUSTOMER", ("CUSTOMERID", "C-9002"), ("NAME", "=HYPERLINK(\"http://evil.example\",\"x\")"));

        var started = await AdminClient().PostAsJsonAsync("/api/binding-runs", new { kind = "account-customer" }, Cancellation);
        Assert.Equal(HttpStatusCode.Created, started.StatusCode);
        var report = (await started.Content.ReadFromJsonAsync<BindingReport>(Cancellation))!;
        var csv = await AdminClient().GetStringAsync($"/api/binding-runs/{report.Id}/report.csv", Cancellation);

        using var reader = global::CsvHelper.CsvReader.Create(new StringReader(csv), global::CsvHelper.CsvReaderOptions.Default, leaveOpen: false);
        var cells = new List<string>();
        while (reader.Read()) cells.AddRange(Enumerable.Range(0, reader.FieldCount).Select(i => reader[i].ToString()));
        foreach (var formula in formulas.Append("=HYPERLINK(\"http://evil.example\",\"x\")"))
            Assert.Contains("'" + formula, cells);
        Assert.DoesNotContain(cells, c => c.Length > 0 && "=+-@\t\r".Contains(c[0], StringComparison.Ordinal));
    }

    [Fact]
    public async Task Markup_an_Intacct_user_types_into_a_customer_reaches_the_support_Case_encoded()
    {
        const string name = "<script>alert(1)</script><img src=x onerror=alert(2)> & Co";
        await IntacctDirect.CreateAsync(Intacct, "CUSTOMER", ("CUSTOMERID", "C-9003"), ("NAME", name), ("ACCOUNTID", "e2000000-0000-4000-8000-000000000009")); // no such account

        var pull = await RunAsync("intacct-customers");

        Assert.Equal(1, pull.FailedCount);
        var raised = Assert.Single(Creatio.Data.Rows("Case"));
        var (subject, symptoms) = ((string)raised["Subject"]!, (string)raised["Symptoms"]!);
        Assert.DoesNotContain("<", subject, StringComparison.Ordinal);
        Assert.DoesNotContain(">", subject, StringComparison.Ordinal);
        Assert.Contains("scriptalert(1)/script", subject, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", symptoms, StringComparison.Ordinal);
        Assert.DoesNotContain("<img", symptoms, StringComparison.Ordinal);
    }
}
