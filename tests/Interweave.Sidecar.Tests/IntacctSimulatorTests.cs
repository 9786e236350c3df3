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
        new IntacctRecord("sotransitem").Set("itemid", item).Set("quantity", quantity).Set("discountpercent", discount).Set("price", price);

    /// <summary>create_sotransaction as the official SDK writes it (element order of OrderEntryTransactionCreate).</summary>
    private static LegacyFunction SalesTransaction(string type, string customerId, string? reference, params IntacctRecord[] lines)
    {
        var body = new IntacctRecord("create_sotransaction").Set("transactiontype", type).Group("datecreated", LegacyFunction.Date(new DateOnly(2026, 11, 24)))
            .Set("customerid", customerId).Set("referenceno", reference).Set("termname", "Net 30");
        return new LegacyFunction(body.Lines("sotransitems", "sotransitem", lines));
    }

    private static LegacyFunction Invoice(string customerId, decimal amount, string account = "4000") => new(new IntacctRecord("create_invoice")
        .Set("customerid", customerId).Group("datecreated", LegacyFunction.Date(new DateOnly(2026, 11, 1))).Set("termname", "Net 30")
        .Lines("invoiceitems", "lineitem", [new IntacctRecord("lineitem").Set("glaccountno", account).Set("amount", amount)]));

    private static LegacyFunction Payment(string customerId, string invoiceRecordNo, decimal amount) => new(new IntacctRecord("create_arpayment")
        .Set("customerid", customerId).Set("paymentamount", amount).Set("bankaccountid", "BOA").Group("datereceived", LegacyFunction.Date(new DateOnly(2026, 11, 20)))
        .Set("paymentmethod", "EFT").Set("currency", "USD")
        .Group("arpaymentitem", new IntacctRecord("arpaymentitem").Set("invoicekey", invoiceRecordNo).Set("amount", amount)));

    private static async Task<string> Refusal(Func<Task> call) =>
        string.Join(" / ", (await Assert.ThrowsAsync<IntacctException>(call)).Errors.Select(e => $"{e.ErrorNo} {e.Description} {e.Description2}"));

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
    public async Task A_sales_invoice_made_with_create_sotransaction_answers_its_docid_is_read_through_custvendid_and_docparid_and_posts_an_ar_invoice()
    {
        var intacct = Connect();
        var created = await intacct.ExecuteOneAsync(SalesTransaction("Sales Invoice", "C-1004", "OPP-42", Line("WIDGET-STD", 10, 49.50m, 10), Line("SVC-INSTALL", 1)), Cancellation);

        Assert.Matches("^Sales Invoice-INV[0-9]{4}$", created.Key); // a legacy create answers with a bare key (SDK LegacyCreateClassKeyTest)
        var found = await intacct.FindAsync("SODOCUMENT", "CUSTVENDID", "C-1004", ["RECORDNO", "DOCID", "DOCPARID", "CUSTVENDNAME", "PONUMBER", "TOTAL", "PRRECORDKEY", "TERM.NAME", "CUSTOMER.NAME"], Cancellation);
        Assert.Equal((created.Key, "Sales Invoice", "Acme Widgets, Inc.", "OPP-42", "895.5", "Net 30", "Acme Widgets, Inc."),
            (found!.Element("DOCID")!.Value, found.Element("DOCPARID")!.Value, found.Element("CUSTVENDNAME")!.Value, found.Element("PONUMBER")!.Value,
             found.Element("TOTAL")!.Value, found.Element("TERM.NAME")!.Value, found.Element("CUSTOMER.NAME")!.Value)); // 10 × 49.50 − 10 % + 450 (base price)

        // A read nests the lines as SODOCUMENTENTRIES/sodocumententry; SODOCUMENTENTRY is an object of its own.
        var read = (await intacct.ReadAsync("SODOCUMENT", [found.Element("RECORDNO")!.Value], false, Cancellation)).Single();
        Assert.Equal("SODOCUMENT", read.Name.LocalName);
        Assert.Equal(["WIDGET-STD", "SVC-INSTALL"], read.Element("SODOCUMENTENTRIES")!.Elements("sodocumententry").Select(l => l.Element("ITEMID")!.Value));
        var lines = await intacct.QueryAsync("SODOCUMENTENTRY", ["LINE_NO", "ITEMID", "TOTAL"], QueryFilter.EqualTo("DOCHDRID", created.Key!), cancellationToken: Cancellation).ToListAsync(Cancellation);
        Assert.Equal(["445.5", "450"], lines.Select(l => l.Element("TOTAL")!.Value));

        var invoice = (await intacct.ReadAsync("ARINVOICE", [found.Element("PRRECORDKEY")!.Value], false, Cancellation)).Single();
        Assert.Equal(("895.5", "Posted", "8.SO"), (invoice.Element("TOTALDUE")!.Value, invoice.Element("STATE")!.Value, invoice.Element("MODULEKEY")!.Value));

        // Updating the Order Entry document deletes and recreates its AR invoice: PRRECORDKEY moves (Order Entry page).
        await intacct.ExecuteOneAsync(new LegacyFunction(new IntacctRecord("update_sotransaction").Set("message", "Updated"), [("key", created.Key!)]), Cancellation);
        var after = await intacct.FindAsync("SODOCUMENT", "DOCID", created.Key!, ["PRRECORDKEY", "MESSAGE"], Cancellation);
        Assert.NotEqual(found.Element("PRRECORDKEY")!.Value, after!.Element("PRRECORDKEY")!.Value);
        Assert.Equal("Updated", after.Element("MESSAGE")!.Value);
        Assert.Single(Simulator.Gateway.Company.All("ARINVOICE"), i => i.Element("MODULEKEY")!.Value == "8.SO");
    }

    [Fact]
    public async Task Order_entry_documents_are_filtered_by_state_codes_and_docparid_and_refuse_the_generic_create()
    {
        var intacct = Connect();
        await intacct.ExecuteOneAsync(SalesTransaction("Sales Order", "C-1001", "OPP-1", Line("WIDGET-STD", 1)), Cancellation);
        await intacct.ExecuteOneAsync(SalesTransaction("Sales Quote", "C-1001", "OPP-2", Line("WIDGET-STD", 1)), Cancellation);

        var pending = await intacct.ReadByQueryAsync("SODOCUMENT", ReadByQueryCondition.Equal("STATE", "O"), "DOCID,STATE", cancellationToken: Cancellation).ToListAsync(Cancellation);
        Assert.Equal(2, pending.Count); // O is Pending (Order Entry page)
        var orders = await intacct.ExecuteOneAsync(new DocParQuery("Sales Order"), Cancellation);
        Assert.Equal("Sales Order", Assert.Single(orders.Records).Element("DOCPARID")!.Value);

        var generic = await Refusal(() => intacct.CreateAsync([new IntacctRecord("SODOCUMENT").Set("CUSTVENDID", "C-1001")], Cancellation));
        Assert.Contains("create_sotransaction", generic);
        Assert.Contains("Could not create Order Entry transaction record.", generic); // the generic second error
    }

    [Fact]
    public async Task Payments_move_the_invoice_to_partially_paid_then_paid_refuse_overpayment_and_a_reversal_puts_the_amount_back()
    {
        var intacct = Connect();
        _clock.Advance(TimeSpan.FromHours(1)); // the seed was written at 09:00
        var recordNo = (await intacct.ExecuteOneAsync(Invoice("C-1003", 300m), Cancellation)).Key!;

        await intacct.ExecuteOneAsync(Payment("C-1003", recordNo, 100m), Cancellation);
        var partial = (await intacct.ReadAsync("ARINVOICE", [recordNo], false, Cancellation)).Single();
        Assert.Equal(("Partially Paid", "100", "200"), (partial.Element("STATE")!.Value, partial.Element("TOTALPAID")!.Value, partial.Element("TOTALDUE")!.Value));

        Assert.Contains("more than the 200 due", await Refusal(() => intacct.ExecuteOneAsync(Payment("C-1003", recordNo, 250m), Cancellation)));

        var last = (await intacct.ExecuteOneAsync(Payment("C-1003", recordNo, 200m), Cancellation)).Key!;
        var paid = (await intacct.ReadAsync("ARINVOICE", [recordNo], false, Cancellation)).Single();
        Assert.Equal(("Paid", "0", "11/20/2026"), (paid.Element("STATE")!.Value, paid.Element("TOTALDUE")!.Value, paid.Element("WHENPAID")!.Value));
        var details = await intacct.QueryAsync("ARPYMTDETAIL", ["PAYMENTKEY", "TRX_PAYMENTAMOUNT"], QueryFilter.EqualTo("RECORDKEY", recordNo), cancellationToken: Cancellation).ToListAsync(Cancellation);
        Assert.Equal(2, details.Count);

        await intacct.ExecuteOneAsync(new LegacyFunction(new IntacctRecord("reverse_arpayment").Group("datereversed", LegacyFunction.Date(new DateOnly(2026, 11, 25))), [("key", last)]), Cancellation);
        var reopened = (await intacct.ReadAsync("ARINVOICE", [recordNo], false, Cancellation)).Single();
        Assert.Equal(("Partially Paid", "200", ""), (reopened.Element("STATE")!.Value, reopened.Element("TOTALDUE")!.Value, reopened.Element("WHENPAID")!.Value));
        _clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(recordNo, Assert.Single(await intacct.ReadByQueryAsync("ARINVOICE", ReadByQueryCondition.ModifiedSince(_clock.GetUtcNow().AddMinutes(-2)), cancellationToken: Cancellation).ToListAsync(Cancellation)).Element("RECORDNO")!.Value);
    }

    [Fact]
    public async Task Payments_carry_their_record_type_readByQuery_gives_own_fields_and_details_come_from_read_or_their_payment_key()
    {
        var intacct = Connect();
        var invoice = (await intacct.ExecuteOneAsync(Invoice("C-1003", 300m), Cancellation)).Key!;
        var payment = (await intacct.ExecuteOneAsync(Payment("C-1003", invoice, 100m), Cancellation)).Key!;
        // create_arpayment applied to nothing is an advance under Open Item (AR payments page); apply_arpayment uses it.
        var advance = (await intacct.ExecuteOneAsync(new LegacyFunction(new IntacctRecord("create_arpayment").Set("customerid", "C-1003").Set("paymentamount", 500m)
            .Set("bankaccountid", "BOA").Group("datereceived", LegacyFunction.Date(new DateOnly(2026, 11, 18))).Set("paymentmethod", "EFT")), Cancellation)).Key!;
        var applied = (await intacct.ExecuteOneAsync(new LegacyFunction(new IntacctRecord("apply_arpayment").Set("arpaymentkey", advance)
            .Group("paymentdate", LegacyFunction.Date(new DateOnly(2026, 11, 21)))
            .Group("arpaymentitems", new IntacctRecord("arpaymentitems").Group("arpaymentitem", new IntacctRecord("arpaymentitem").Set("invoicekey", invoice).Set("amount", 150m)))),
            Cancellation)).Key!;

        var listed = (await intacct.ReadByQueryAsync("ARPYMT", ReadByQueryCondition.Equal("CUSTOMERID", "C-1003"), cancellationToken: Cancellation).ToListAsync(Cancellation))
            .ToDictionary(p => p.Element("RECORDNO")!.Value);
        Assert.Equal(("rp", "rr", "ro"), (listed[payment].Element("RECORDTYPE")!.Value, listed[advance].Element("RECORDTYPE")!.Value, listed[applied].Element("RECORDTYPE")!.Value));
        Assert.All(listed.Values, p => Assert.Null(p.Element("ARPYMTDETAILS"))); // own fields only
        Assert.Equal(("0", "350"), (listed[advance].Element("TOTALPAID")!.Value, listed[advance].Element("TOTALDUE")!.Value));

        var read = Assert.Single(await intacct.ReadAsync("ARPYMT", [applied], false, Cancellation));
        var detail = Assert.Single(read.Element("ARPYMTDETAILS")!.Elements("arpymtdetail"));
        Assert.Equal((invoice, advance, "150"), (detail.Element("RECORDKEY")!.Value, detail.Element("ADVANCEKEY")!.Value, detail.Element("TRX_POSTEDADVANCEAMOUNT")!.Value));
        var byPaymentKey = await intacct.ReadByQueryAsync("ARPYMTDETAIL", ReadByQueryCondition.In("PAYMENTKEY", [payment, advance]), cancellationToken: Cancellation).ToListAsync(Cancellation);
        Assert.Equal(invoice, Assert.Single(byPaymentKey).Element("RECORDKEY")!.Value); // the advance itself paid nothing

        var paidInvoice = Assert.Single(await intacct.ReadAsync("ARINVOICE", [invoice], false, Cancellation));
        Assert.Equal(("ri", "250", "50"), (paidInvoice.Element("RECORDTYPE")!.Value, paidInvoice.Element("TOTALPAID")!.Value, paidInvoice.Element("TOTALDUE")!.Value));
        Assert.Single(paidInvoice.Element("ARINVOICEITEMS")!.Elements("arinvoiceitem"));
        Assert.Null((await intacct.ReadByQueryAsync("ARINVOICE", ReadByQueryCondition.Equal("RECORDNO", invoice), cancellationToken: Cancellation).SingleAsync(Cancellation))
            .Element("ARINVOICEITEMS"));

        // Reversing the advance reverses what it paid through its application.
        await intacct.ExecuteOneAsync(new LegacyFunction(new IntacctRecord("reverse_arpayment").Group("datereversed", LegacyFunction.Date(new DateOnly(2026, 11, 25))), [("key", advance)]),
            Cancellation);
        var reopened = Assert.Single(await intacct.ReadAsync("ARINVOICE", [invoice], false, Cancellation));
        Assert.Equal(("100", "200"), (reopened.Element("TOTALPAID")!.Value, reopened.Element("TOTALDUE")!.Value));
    }

    [Fact]
    public async Task A_payment_refused_on_its_second_invoice_leaves_the_first_invoice_and_the_customer_as_they_were()
    {
        var intacct = Connect();
        var first = (await intacct.ExecuteOneAsync(Invoice("C-1003", 100m), Cancellation)).Key!;
        var second = (await intacct.ExecuteOneAsync(Invoice("C-1003", 50m), Cancellation)).Key!;
        var owedBefore = Simulator.Gateway.Company.All("CUSTOMER").Single(c => c.Element("CUSTOMERID")!.Value == "C-1003").Element("TOTALDUE")!.Value;
        var payment = new IntacctRecord("create_arpayment")
            .Set("customerid", "C-1003").Set("paymentamount", 180m).Set("bankaccountid", "BOA").Group("datereceived", LegacyFunction.Date(new DateOnly(2026, 11, 20)))
            .Set("paymentmethod", "EFT").Set("currency", "USD")
            .Group("arpaymentitem", new IntacctRecord("arpaymentitem").Set("invoicekey", first).Set("amount", 100m))
            .Group("arpaymentitem", new IntacctRecord("arpaymentitem").Set("invoicekey", second).Set("amount", 80m));

        Assert.Contains("more than the 50 due", await Refusal(() => intacct.ExecuteOneAsync(new LegacyFunction(payment), Cancellation)));

        var invoice = (await intacct.ReadAsync("ARINVOICE", [first], false, Cancellation)).Single();
        Assert.Equal(("Posted", "0", "100"), (invoice.Element("STATE")!.Value, invoice.Element("TOTALPAID")!.Value, invoice.Element("TOTALDUE")!.Value));
        Assert.Equal(owedBefore, Simulator.Gateway.Company.All("CUSTOMER").Single(c => c.Element("CUSTOMERID")!.Value == "C-1003").Element("TOTALDUE")!.Value);
        Assert.DoesNotContain(Simulator.Gateway.Company.All("ARPYMT"), p => p.Element("TOTALENTERED")!.Value == "180");
    }

    [Fact]
    public async Task A_generic_payment_needs_its_currency_and_a_deposit_target_and_a_draft_applies_nothing()
    {
        var intacct = Connect();
        var recordNo = (await intacct.ExecuteOneAsync(Invoice("C-1003", 50m), Cancellation)).Key!;
        IntacctRecord Payment(params (string Field, string Value)[] header) => header.Aggregate(new IntacctRecord("ARPYMT"), (r, f) => r.Set(f.Field, f.Value))
            .Set("PAYMENTMETHOD", "EFT").Set("RECEIPTDATE", new DateOnly(2026, 11, 20))
            .Lines("ARPYMTDETAILS", "ARPYMTDETAIL", [new IntacctRecord("ARPYMTDETAIL").Set("RECORDKEY", recordNo).Set("TRX_PAYMENTAMOUNT", 50m)]);

        Assert.Contains("Required field CURRENCY", await Refusal(() => intacct.CreateAsync([Payment(("CUSTOMERID", "C-1003"), ("FINANCIALENTITY", "BOA"))], Cancellation)));
        Assert.Contains("FINANCIALENTITY, PRBATCH or UNDEPOSITEDACCOUNTNO", await Refusal(() => intacct.CreateAsync([Payment(("CUSTOMERID", "C-1003"), ("CURRENCY", "USD"))], Cancellation)));
        var draft = (await intacct.CreateAsync([Payment(("CUSTOMERID", "C-1003"), ("CURRENCY", "USD"), ("UNDEPOSITEDACCOUNTNO", "1300"), ("ACTION", "Draft"))], Cancellation)).Single();
        Assert.Equal("Posted", (await intacct.ReadAsync("ARINVOICE", [recordNo], false, Cancellation)).Single().Element("STATE")!.Value);

        await intacct.UpdateAsync(new IntacctRecord("ARPYMT").Set("RECORDNO", draft.Element("RECORDNO")!.Value).Set("ACTION", "Submit"), Cancellation);
        Assert.Equal("Paid", (await intacct.ReadAsync("ARINVOICE", [recordNo], false, Cancellation)).Single().Element("STATE")!.Value);
        Assert.Contains("draft state", await Refusal(() => intacct.DeleteAsync("ARPYMT", [draft.Element("RECORDNO")!.Value], Cancellation)));
    }

    [Fact]
    public async Task Failures_carry_the_documented_numbers_and_no_angle_brackets()
    {
        var intacct = Connect();

        Assert.StartsWith("XL03000010  Field requested is not valid: sodocument.CUSTOMERID",
            await Refusal(() => intacct.FindAsync("SODOCUMENT", "PONUMBER", "x", ["CUSTOMERID"], Cancellation)));
        Assert.StartsWith("XL03000006  The following fields cannot be queried: [ item: [BASEUOM] ]",
            await Refusal(() => intacct.FindAsync("ITEM", "ITEMID", "x", ["BASEUOM"], Cancellation)));
        Assert.StartsWith("DL02000001  There was an error processing the request.",
            await Refusal(() => intacct.ExecuteOneAsync(new RawReadByQuery("CUSTOMER", "STATUS != 'active'"), Cancellation)));
        Assert.StartsWith("Query Failed  Object definition NOSUCH not found", await Refusal(async () => await intacct.ReadByQueryAsync("NOSUCH", null, cancellationToken: Cancellation).ToListAsync(Cancellation)));
        Assert.Contains("Invalid Customer 'NOPE'", await Refusal(() => intacct.ExecuteOneAsync(SalesTransaction("Sales Order", "NOPE", null, Line("WIDGET-STD", 1)), Cancellation)));
        Assert.Contains("Invalid Item 'NOPE'", await Refusal(() => intacct.ExecuteOneAsync(SalesTransaction("Sales Order", "C-1001", null, Line("NOPE", 1)), Cancellation)));
        Assert.Contains("Invalid GL Account 9999", await Refusal(() => intacct.ExecuteOneAsync(Invoice("C-1001", 5m, account: "9999"), Cancellation)));
        Assert.Contains("transaction definition 'Purchase Order' does not exist", await Refusal(() => intacct.ExecuteOneAsync(SalesTransaction("Purchase Order", "C-1001", null, Line("WIDGET-STD", 1)), Cancellation)));
        Assert.Contains("is not a number", await Refusal(() => intacct.CreateAsync([new IntacctRecord("ITEM").Set("ITEMID", "X").Set("NAME", "X").Set("BASEPRICE", "cheap")], Cancellation)));
        Assert.Contains("TOTALDUE is set by Intacct", await Refusal(() => intacct.CreateAsync([new IntacctRecord("CUSTOMER").Set("CUSTOMERID", "X").Set("NAME", "X").Set("TOTALDUE", "5")], Cancellation)));
        Assert.Contains("Required field NAME", await Refusal(() => intacct.CreateAsync([new IntacctRecord("ITEM").Set("ITEMID", "X")], Cancellation)));
        Assert.DoesNotContain(Simulator.Gateway.Company.All("SODOCUMENT"), _ => true); // nothing half-written
    }

    [Fact]
    public async Task Lookup_lists_fields_with_types_custom_fields_and_relationships()
    {
        var intacct = Connect();
        var customer = (await intacct.ExecuteOneAsync(new LookupObject("CUSTOMER"), Cancellation)).Data!.Element("Type")!;
        var accountId = customer.Element("Fields")!.Elements("Field").Single(f => f.Element("ID")!.Value == "ACCOUNTID");
        Assert.Equal("true", accountId.Element("ISCUSTOM")!.Value);
        Assert.Contains(customer.Element("Fields")!.Elements("Field"), f => f.Element("ID")!.Value == "DISPLAYCONTACT.MAILADDRESS.CITY");
        var document = (await intacct.ExecuteOneAsync(new LookupObject("SODOCUMENT"), Cancellation)).Data!.Element("Type")!;
        Assert.Contains(document.Element("Relationships")!.Elements("Relationship"), r => r.Element("OBJECTPATH")!.Value == "CUSTOMER" && r.Element("RELATEDBY")!.Value == "CUSTVENDID");
        Assert.Contains(document.Element("Fields")!.Elements("Field").Single(f => f.Element("ID")!.Value == "STATE").Element("VALIDVALUES")!.Elements(), v => v.Value == "Partially Converted");
    }

    /// <summary>A query narrowed to one transaction definition with docparid (Order Entry page).</summary>
    private sealed record DocParQuery(string DocParId) : IntacctFunction
    {
        public override bool IsWrite => false;

        protected override void WriteBody(System.Xml.XmlWriter xml)
        {
            xml.WriteStartElement("query");
            xml.WriteStartElement("select");
            xml.WriteElementString("field", "DOCID");
            xml.WriteElementString("field", "DOCPARID");
            xml.WriteEndElement();
            xml.WriteElementString("object", "SODOCUMENT");
            xml.WriteElementString("docparid", DocParId);
            xml.WriteEndElement();
        }
    }

    /// <summary>readByQuery with a query string as someone types it, not as the sidecar builds it.</summary>
    private sealed record RawReadByQuery(string ObjectName, string Query) : IntacctFunction
    {
        public override bool IsWrite => false;

        protected override void WriteBody(System.Xml.XmlWriter xml)
        {
            xml.WriteStartElement("readByQuery");
            xml.WriteElementString("object", ObjectName);
            xml.WriteElementString("fields", "*");
            xml.WriteElementString("query", Query);
            xml.WriteEndElement();
        }
    }

    private sealed record LookupObject(string ObjectName) : IntacctFunction
    {
        public override bool IsWrite => false;

        protected override void WriteBody(System.Xml.XmlWriter xml)
        {
            xml.WriteStartElement("lookup");
            xml.WriteElementString("object", ObjectName);
            xml.WriteEndElement();
        }
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
