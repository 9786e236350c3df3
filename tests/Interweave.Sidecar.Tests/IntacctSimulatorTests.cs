using System.Net;
using System.Text;
using System.Xml.Linq;
using Interweave.Sidecar.Intacct;
using Interweave.Sidecar.Storage;
using Interweave.Sidecar.Tests.Infrastructure;
using Interweave.Simulators.Intacct;
using Microsoft.Extensions.DependencyInjection;

namespace Interweave.Sidecar.Tests;

/// <summary>The simulator's business rules: what the flows rely on Intacct to do.</summary>
public sealed class IntacctSimulatorTests(PostgresServer postgres) : SidecarTestBase(StoreProvider.Sqlite, postgres)
{
    private readonly Microsoft.Extensions.Time.Testing.FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 24, 9, 0, 0, TimeSpan.Zero));
    private IntacctSimulator? _simulator;

    private IntacctSimulator Simulator => _simulator!;

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        _simulator = await IntacctSimulator.StartAsync(new IntacctSimulatorOptions { Seed = "demo", SessionTimeout = TimeSpan.FromDays(1) }, time: _clock);
        Sidecar.Settings["Interweave:Intacct:RetryBaseDelayMilliseconds"] = "1";
    }

    public override async ValueTask DisposeAsync()
    {
        if (_simulator is not null) await _simulator.DisposeAsync();
        await base.DisposeAsync();
    }

    private IntacctConnection Connect() => Sidecar.Services.GetRequiredService<IntacctConnectionFactory>().Create(IntacctTestSettings.For(Simulator));

    private static IntacctRecord Line(string item, decimal quantity, decimal? price = null, decimal? discount = null) =>
        new IntacctRecord("sotransitem").Set("ITEMID", item).Set("QUANTITY", quantity).Set("PRICE", price).Set("DISCOUNTPERCENT", discount);

    [Fact]
    public async Task The_demo_seed_has_awkward_names_open_and_paid_invoices()
    {
        var intacct = Connect();
        var customers = await intacct.ReadByQueryAsync("CUSTOMER", null, cancellationToken: Cancellation).ToListAsync(Cancellation);
        Assert.Contains(customers, c => c.Element("NAME")!.Value == "O'Brien & Sons <UK>");
        Assert.Contains(customers, c => c.Element("NAME")!.Value.Contains('ü', StringComparison.Ordinal));
        var invoices = await intacct.ReadByQueryAsync("ARINVOICE", null, cancellationToken: Cancellation).ToListAsync(Cancellation);
        Assert.Contains(invoices, i => i.Element("STATE")!.Value == "Paid");
        Assert.Contains(invoices, i => i.Element("STATE")!.Value == "Partially Paid");
        Assert.Contains(invoices, i => i.Element("STATE")!.Value == "Posted");
    }

    [Fact]
    public async Task A_sales_invoice_totals_its_lines_numbers_itself_and_posts_an_ar_invoice()
    {
        var intacct = Connect();
        var document = new IntacctRecord("SODOCUMENT")
            .Set("TRANSACTIONTYPE", "Sales Invoice").Set("WHENCREATED", new DateOnly(2026, 11, 24)).Set("CUSTOMERID", "C-1004")
            .Set("PONUMBER", "OPP-42")
            .Lines("SOTRANSITEMS", "sotransitem", [Line("WIDGET-STD", 10, 49.50m, 10), Line("SVC-INSTALL", 1)]);

        var created = (await intacct.CreateAsync([document], Cancellation)).Single();

        var docId = created.Element("DOCID")!.Value;
        Assert.StartsWith("Sales Invoice-INV-", docId);
        var read = (await intacct.ReadAsync("SODOCUMENT", [created.Element("RECORDNO")!.Value], false, Cancellation)).Single();
        Assert.Equal("895.50", read.Element("TOTAL")!.Value); // 10 × 49.50 − 10 % + 450 (base price)
        var invoice = await intacct.FindAsync("ARINVOICE", "RECORDID", read.Element("DOCNO")!.Value, ["RECORDNO", "TOTALDUE", "STATE", "DOCNUMBER"], Cancellation);
        Assert.Equal(("895.50", "Posted", "OPP-42"), (invoice!.Element("TOTALDUE")!.Value, invoice.Element("STATE")!.Value, invoice.Element("DOCNUMBER")!.Value));
    }

    [Fact]
    public async Task Applying_payments_moves_the_invoice_to_partially_paid_then_paid_and_refuses_overpayment()
    {
        var intacct = Connect();
        _clock.Advance(TimeSpan.FromHours(1)); // the seed was written at 09:00
        var invoice = (await intacct.CreateAsync([new IntacctRecord("ARINVOICE").Set("CUSTOMERID", "C-1003").Set("WHENCREATED", new DateOnly(2026, 11, 1))
            .Lines("ARINVOICEITEMS", "lineitem", [new IntacctRecord("lineitem").Set("ACCOUNTNO", "4000").Set("AMOUNT", 300m)])], Cancellation)).Single();
        var recordNo = invoice.Element("RECORDNO")!.Value;
        IntacctRecord Payment(decimal amount) => new IntacctRecord("ARPYMT").Set("CUSTOMERID", "C-1003").Set("PAYMENTMETHOD", "EFT").Set("RECEIPTDATE", new DateOnly(2026, 11, 20))
            .Lines("ARPYMTDETAILS", "arpymtdetail", [new IntacctRecord("arpymtdetail").Set("RECORDKEY", recordNo).Set("TRX_PAYMENTAMOUNT", amount)]);

        await intacct.CreateAsync([Payment(100m)], Cancellation);
        var partial = (await intacct.ReadAsync("ARINVOICE", [recordNo], false, Cancellation)).Single();
        Assert.Equal(("Partially Paid", "100.00", "200.00"), (partial.Element("STATE")!.Value, partial.Element("TOTALPAID")!.Value, partial.Element("TOTALDUE")!.Value));

        var over = await Assert.ThrowsAsync<IntacctException>(() => intacct.CreateAsync([Payment(250m)], Cancellation));
        Assert.Contains("more than the 200.00 due", over.Errors[0].Description2);

        await intacct.CreateAsync([Payment(200m)], Cancellation);
        var paid = (await intacct.ReadAsync("ARINVOICE", [recordNo], false, Cancellation)).Single();
        Assert.Equal(("Paid", "0.00", "11/20/2026"), (paid.Element("STATE")!.Value, paid.Element("TOTALDUE")!.Value, paid.Element("WHENPAID")!.Value));
        _clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(recordNo, Assert.Single(await intacct.ReadByQueryAsync("ARINVOICE", ReadByQueryCondition.ModifiedSince(_clock.GetUtcNow().AddMinutes(-2)), cancellationToken: Cancellation).ToListAsync(Cancellation)).Element("RECORDNO")!.Value);
    }

    [Fact]
    public async Task Documents_refuse_unknown_customers_and_items_bad_values_and_read_only_fields()
    {
        var intacct = Connect();
        async Task<string> Refusal(IntacctRecord record) => (await Assert.ThrowsAsync<IntacctException>(() => intacct.CreateAsync([record], Cancellation))).Errors[0].Description2;

        Assert.Contains("Invalid Customer 'NOPE'", await Refusal(new IntacctRecord("SODOCUMENT").Set("TRANSACTIONTYPE", "Sales Order").Set("WHENCREATED", new DateOnly(2026, 1, 1)).Set("CUSTOMERID", "NOPE")
            .Lines("SOTRANSITEMS", "sotransitem", [Line("WIDGET-STD", 1)])));
        Assert.Contains("Invalid Item 'NOPE'", await Refusal(new IntacctRecord("SODOCUMENT").Set("TRANSACTIONTYPE", "Sales Order").Set("WHENCREATED", new DateOnly(2026, 1, 1)).Set("CUSTOMERID", "C-1001")
            .Lines("SOTRANSITEMS", "sotransitem", [Line("NOPE", 1)])));
        Assert.Contains("is not one of", await Refusal(new IntacctRecord("SODOCUMENT").Set("TRANSACTIONTYPE", "Purchase Order").Set("WHENCREATED", new DateOnly(2026, 1, 1)).Set("CUSTOMERID", "C-1001")));
        Assert.Contains("MM/DD/YYYY", await Refusal(new IntacctRecord("ARINVOICE").Set("CUSTOMERID", "C-1001").Set("WHENCREATED", "2026-01-01")));
        Assert.Contains("is not a number", await Refusal(new IntacctRecord("ITEM").Set("ITEMID", "X").Set("NAME", "X").Set("BASEPRICE", "cheap")));
        Assert.Contains("TOTALDUE is read-only", await Refusal(new IntacctRecord("CUSTOMER").Set("CUSTOMERID", "X").Set("NAME", "X").Set("TOTALDUE", "5")));
        Assert.Contains("Required field NAME", await Refusal(new IntacctRecord("ITEM").Set("ITEMID", "X")));
    }

    [Fact]
    public async Task Items_carry_the_productid_custom_field_and_incremental_pulls_filter_on_whenmodified()
    {
        var intacct = Connect();
        _clock.Advance(TimeSpan.FromHours(1)); // the seed was written at 09:00
        var before = _clock.GetUtcNow().AddMinutes(-1);
        await intacct.CreateAsync([new IntacctRecord("ITEM").Set("ITEMID", "NEW-1").Set("NAME", "New").Set("PRODUCTID", "prod-guid-1")], Cancellation);

        var changed = await intacct.ReadByQueryAsync("ITEM", ReadByQueryCondition.ModifiedSince(before), cancellationToken: Cancellation).ToListAsync(Cancellation);
        Assert.Equal("prod-guid-1", Assert.Single(changed).Element("PRODUCTID")!.Value);
        var none = await intacct.ReadByQueryAsync("ITEM", ReadByQueryCondition.ModifiedSince(_clock.GetUtcNow().AddMinutes(5)), cancellationToken: Cancellation).ToListAsync(Cancellation);
        Assert.Empty(none);
    }

    [Fact]
    public async Task A_role_without_permission_fails_the_connection_test_with_a_hint()
    {
        Simulator.Gateway.Company.DeniedObjects.Add("CUSTOMER");

        var failure = await Assert.ThrowsAsync<IntacctException>(() => Connect().TestAsync(Cancellation));

        Assert.Equal(IntacctErrorLevel.Function, failure.Level);
        Assert.Contains("Company > Admin > Roles", failure.Hint);
    }

    [Fact]
    public async Task Uniqueid_refuses_a_control_id_seen_before_and_bad_xml_fails_at_control_level()
    {
        using var http = new HttpClient();
        var o = Simulator.Options;
        string Request(string controlId) => $"<?xml version=\"1.0\" encoding=\"UTF-8\"?><request><control><senderid>{o.SenderId}</senderid><password>{o.SenderPassword}</password><controlid>{controlId}</controlid><uniqueid>true</uniqueid><dtdversion>3.0</dtdversion></control><operation><authentication><login><userid>{o.UserId}</userid><companyid>{o.CompanyId}</companyid><password>{o.UserPassword}</password></login></authentication><content><function controlid=\"f1\"><readByQuery><object>ITEM</object><query></query><fields>*</fields><pagesize>1</pagesize></readByQuery></function></content></operation></request>";
        async Task<XElement> Post(string body)
        {
            var response = await http.PostAsync(Simulator.EndpointUrl, new StringContent(body, Encoding.UTF8, "application/xml"), Cancellation);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return XElement.Parse(await response.Content.ReadAsStringAsync(Cancellation));
        }

        Assert.Equal("success", (await Post(Request("once")))?.Element("control")?.Element("status")?.Value);
        var repeated = await Post(Request("once"));
        Assert.Equal("failure", repeated.Element("control")!.Element("status")!.Value);
        Assert.Null(repeated.Element("operation"));
        var broken = await Post("<request><control>");
        Assert.Equal("XL03000003", broken.Element("errormessage")!.Element("error")!.Element("errorno")!.Value);
    }

    [Fact]
    public async Task Faults_come_as_5xx_html_pages_and_timeouts()
    {
        Simulator.Options.FaultRate = 1;
        Simulator.Options.FaultTimeoutMs = 10;
        using var http = new HttpClient();
        var seen = new HashSet<string>();
        for (var i = 0; i < 30 && seen.Count < 3; i++)
        {
            var response = await http.PostAsync(Simulator.EndpointUrl, new StringContent("<request/>", Encoding.UTF8, "application/xml"), Cancellation);
            seen.Add($"{(int)response.StatusCode} {response.Content.Headers.ContentType?.MediaType}");
        }

        Assert.Contains("200 text/html", seen); // a proxy's error page where XML belongs
        Assert.Contains("503 text/plain", seen);
        Assert.Contains(seen, s => s.StartsWith("504", StringComparison.Ordinal));
    }
}
