using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Dapper;
using Interweave.Sidecar.Api.Contracts;
using Interweave.Sidecar.Creatio;
using Interweave.Sidecar.Flows;
using Interweave.Sidecar.Storage;
using Interweave.Sidecar.Tests.Infrastructure;
using Interweave.Simulators.Creatio;
using Interweave.Simulators.Intacct;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Interweave.Sidecar.Tests;

/// <summary>Send to Intacct end to end: the sidecar over HTTP, both simulators over HTTP, on both stores.</summary>
public abstract class SendToIntacctTests(StoreProvider provider, PostgresServer postgres) : SimulatedSystemsTestBase(provider, postgres, intacctRandomSeed: 11)
{
    public sealed class OnSqlite(PostgresServer postgres) : SendToIntacctTests(StoreProvider.Sqlite, postgres);

    public sealed class OnPostgres(PostgresServer postgres) : SendToIntacctTests(StoreProvider.Postgres, postgres);

    private static readonly Guid WidgetRollout = Guid.Parse("d0000000-0000-4000-8000-000000000001"); // O'Brien & Sons, 2 lines
    private static readonly Guid MuellerProWidgets = Guid.Parse("d0000000-0000-4000-8000-000000000002");
    private Task<HttpResponseMessage> SendAsync(Guid opportunity) =>
        AdminClient().PostAsync($"/api/opportunities/{opportunity}/send-to-intacct", null, Cancellation);

    private int Documents => Intacct.Gateway.Company.All("SODOCUMENT").Count;

    private Dictionary<string, object?> CreatioRow(string entity, Guid id) => Creatio.Data.Find(entity, id)!;

    private void InsertOpportunity(Guid id, string title, Guid account) =>
        Creatio.Data.Insert(Creatio.Data.Model.Find("Opportunity")!, new JsonObject { ["Id"] = id.ToString(), ["Title"] = title, ["AccountId"] = account.ToString() }, CreatioData.SupervisorId);

    private void AddProductLine(Guid opportunity, string product, decimal quantity, decimal price) =>
        Creatio.Data.Insert(Creatio.Data.Model.Find("OpportunityProductInterest")!, new JsonObject
        {
            ["OpportunityId"] = opportunity.ToString(),
            ["ProductId"] = product,
            ["Quantity"] = quantity,
            ["Price"] = price,
        }, CreatioData.SupervisorId);

    [Fact]
    public async Task SendToIntacct_creates_customer_items_and_order_once_and_writes_the_keys_back()
    {
        var response = await SendAsync(WidgetRollout);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = await response.Content.ReadFromJsonAsync<SendToIntacctResult>(Cancellation);
        Assert.True(result!.Created);
        Assert.StartsWith("SO", result.DocumentNo);
        var document = Assert.Single(Intacct.Gateway.Company.All("SODOCUMENT"));
        Assert.Equal(WidgetRollout.ToString(), document.Element("PONUMBER")!.Value);
        Assert.Equal("945", document.Element("TOTAL")!.Value); // 10 × 49.50 + 450
        var customer = Assert.Single(Intacct.Gateway.Company.All("CUSTOMER"));
        Assert.Equal("a0000000-0000-4000-8000-000000000001", customer.Element("ACCOUNTID")!.Value);
        Assert.Equal("O'Brien & Sons <UK>", customer.Element("NAME")!.Value);
        Assert.Equal(2, Intacct.Gateway.Company.All("ITEM").Count(i => i.Element("PRODUCTID")?.Value.Length > 0));

        Assert.Equal(result.DocumentNo, CreatioRow("Opportunity", WidgetRollout)["UsrIntacctDocumentNo"]);
        Assert.Equal("Sales Order", CreatioRow("Opportunity", WidgetRollout)["UsrIntacctDocumentType"]);
        Assert.Equal(IntacctSyncStatus.Synced, CreatioRow("Opportunity", WidgetRollout)["UsrIntacctSyncStatus"]);
        Assert.Equal(IntacctSyncStatus.Synced, CreatioRow("Account", Guid.Parse("a0000000-0000-4000-8000-000000000001"))["UsrIntacctSyncStatus"]);
        Assert.Equal(IntacctSyncStatus.Synced, CreatioRow("Product", Guid.Parse("b0000000-0000-4000-8000-000000000001"))["UsrIntacctSyncStatus"]);
        Assert.Equal(customer.Element("CUSTOMERID")!.Value, CreatioRow("Account", Guid.Parse("a0000000-0000-4000-8000-000000000001"))["UsrIntacctCustomerId"]);
        Assert.Equal("WIDGET-STD", CreatioRow("Product", Guid.Parse("b0000000-0000-4000-8000-000000000001"))["UsrIntacctItemId"]);

        var bindings = await AdminClient().GetFromJsonAsync<Binding[]>("/api/bindings", Cancellation);
        Assert.Equal(["account-customer", "opportunity-document", "product-item", "product-item"], bindings!.Select(b => b.Kind).Order());
        Assert.Contains(bindings!, b => b.Kind == BindingKinds.OpportunityDocument && b.CreatioId == WidgetRollout.ToString() && b.IntacctId == result.DocumentNo);
        Assert.Single((await AdminClient().GetFromJsonAsync<Binding[]>("/api/bindings?kind=account-customer", Cancellation))!);

        var again = await (await SendAsync(WidgetRollout)).Content.ReadFromJsonAsync<SendToIntacctResult>(Cancellation);
        Assert.False(again!.Created);
        Assert.Equal(result.DocumentNo, again.DocumentNo);
        Assert.Equal(1, Documents);
    }

    [Fact]
    public async Task Existing_customers_and_items_are_found_by_their_key_fields_not_created_again()
    {
        await SendAsync(WidgetRollout);
        var customersBefore = Intacct.Gateway.Company.All("CUSTOMER").Count;
        var itemsBefore = Intacct.Gateway.Company.All("ITEM").Count;

        // Another opportunity of another account sharing a product: one new customer, no new item for the shared product.
        var response = await SendAsync(MuellerProWidgets);

        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync(Cancellation));
        Assert.Equal(customersBefore + 1, Intacct.Gateway.Company.All("CUSTOMER").Count);
        Assert.Equal(itemsBefore + 1, Intacct.Gateway.Company.All("ITEM").Count); // WIDGET-PRO only
        Assert.Equal(2, Documents);
    }

    [Fact]
    public async Task An_unlinked_intacct_item_with_the_same_id_is_not_silently_taken_over()
    {
        await Interweave.Sidecar.Tests.Infrastructure.IntacctDirect.CreateAsync(Intacct, "ITEM", ("ITEMID", "WIDGET-STD"), ("NAME", "Someone else's widget"));

        var response = await SendAsync(WidgetRollout);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync(Cancellation))!;
        Assert.Equal("Conflict", (string?)problem["failure"]);
        Assert.Contains("not linked", (string?)problem["hint"]);
        Assert.Equal(0, Documents);
        Assert.Equal("", CreatioRow("Opportunity", WidgetRollout)["UsrIntacctDocumentNo"]);
        // Whoever opens the opportunity later sees why it is not in Intacct.
        Assert.Equal(IntacctSyncStatus.Error, CreatioRow("Opportunity", WidgetRollout)["UsrIntacctSyncStatus"]);
        Assert.Contains("WIDGET-STD", (string?)CreatioRow("Opportunity", WidgetRollout)["UsrIntacctLastSyncError"]);
    }

    [Fact]
    public async Task An_intacct_refusal_of_the_document_reaches_the_user_with_its_number_text_and_correction()
    {
        // A term the company does not have: create_sotransaction is refused by Intacct, not by the sidecar.
        await AdminClient().PutAsJsonAsync("/api/flows/send-to-intacct", new { settings = new { paymentTerm = "Net 45" } }, Cancellation);

        var response = await SendAsync(WidgetRollout);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync(Cancellation))!;
        var specific = problem["intacctErrors"]![0]!;
        Assert.Equal("BL01001973", (string?)specific["errorNo"]);
        Assert.Contains("Invalid Term 'Net 45' specified", (string?)specific["description2"]);
        Assert.Contains("Terms", (string?)specific["correction"]);
        Assert.Equal("Could not create Document record.", (string?)problem["intacctErrors"]![1]!["description2"]);
        Assert.Equal(0, Documents);
        // The customer and items went in the same transaction as the document: nothing of it is left behind.
        Assert.Empty(Intacct.Gateway.Company.All("CUSTOMER"));
        Assert.Empty(Intacct.Gateway.Company.All("ITEM"));
        Assert.Equal(IntacctSyncStatus.Error, CreatioRow("Opportunity", WidgetRollout)["UsrIntacctSyncStatus"]);
        Assert.Contains("Invalid Term 'Net 45'", (string?)CreatioRow("Opportunity", WidgetRollout)["UsrIntacctLastSyncError"]);
    }

    [Fact]
    public async Task With_the_demo_seeds_customers_and_items_already_linked_are_reused()
    {
        await using var seeded = await IntacctSimulator.StartAsync(new IntacctSimulatorOptions { Seed = "demo" });
        Assert.Equal(HttpStatusCode.OK, (await AdminClient().PutAsJsonAsync("/api/connections/intacct", IntacctTestSettings.Request(seeded), Cancellation)).StatusCode);
        var customers = seeded.Gateway.Company.All("CUSTOMER").Count;
        var items = seeded.Gateway.Company.All("ITEM").Count;

        var result = await (await SendAsync(WidgetRollout)).Content.ReadFromJsonAsync<SendToIntacctResult>(Cancellation);

        Assert.Equal("C-1001", result!.CustomerId);
        Assert.Equal((customers, items), (seeded.Gateway.Company.All("CUSTOMER").Count, seeded.Gateway.Company.All("ITEM").Count));
        Assert.Single(seeded.Gateway.Company.All("SODOCUMENT"));
    }

    [Fact]
    public async Task A_click_after_a_failed_write_back_repairs_the_opportunity_without_a_second_document()
    {
        await SendAsync(WidgetRollout);
        var opportunity = Creatio.Data.Rows("Opportunity").Single(r => (Guid)r["Id"]! == WidgetRollout);
        var documentNo = opportunity["UsrIntacctDocumentNo"];
        opportunity["UsrIntacctDocumentNo"] = ""; // as if Creatio had failed to take the write-back

        var again = await (await SendAsync(WidgetRollout)).Content.ReadFromJsonAsync<SendToIntacctResult>(Cancellation);

        Assert.False(again!.Created);
        Assert.Equal(documentNo, opportunity["UsrIntacctDocumentNo"]);
        Assert.Equal(1, Documents);
    }

    [Fact]
    public async Task Sync_with_intacct_links_an_account_once_then_pushes_its_new_name()
    {
        var societe = Guid.Parse("a0000000-0000-4000-8000-000000000003");
        var first = await (await AdminClient().PostAsync($"/api/accounts/{societe}/sync", null, Cancellation)).Content.ReadFromJsonAsync<SyncResult>(Cancellation);
        Assert.True(first!.Created);
        Assert.Equal(first.IntacctId, CreatioRow("Account", societe)["UsrIntacctCustomerId"]);

        CreatioRow("Account", societe)["Name"] = "Société Générale d'Électricité SA";
        var second = await (await AdminClient().PostAsync($"/api/accounts/{societe}/sync", null, Cancellation)).Content.ReadFromJsonAsync<SyncResult>(Cancellation);

        Assert.Equal((first.IntacctId, false), (second!.IntacctId, second.Created));
        var customer = Assert.Single(Intacct.Gateway.Company.All("CUSTOMER"));
        Assert.Equal("Société Générale d'Électricité SA", customer.Element("NAME")!.Value);
        Assert.Equal(societe.ToString(), customer.Element("ACCOUNTID")!.Value);
        Assert.Equal(HttpStatusCode.NotFound, (await AdminClient().PostAsync($"/api/accounts/{Guid.NewGuid()}/sync", null, Cancellation)).StatusCode);
    }

    [Fact]
    public async Task Sync_with_intacct_links_a_product_once_then_pushes_its_name_and_takes_its_price_from_intacct()
    {
        var widget = Guid.Parse("b0000000-0000-4000-8000-000000000001");
        var first = await (await AdminClient().PostAsync($"/api/products/{widget}/sync", null, Cancellation)).Content.ReadFromJsonAsync<SyncResult>(Cancellation);
        Assert.Equal(("WIDGET-STD", true), (first!.IntacctId, first.Created));
        Assert.Equal("WIDGET-STD", CreatioRow("Product", widget)["UsrIntacctItemId"]);
        Assert.Equal(IntacctSyncStatus.Synced, CreatioRow("Product", widget)["UsrIntacctSyncStatus"]);
        Assert.Equal("49.5", Assert.Single(Intacct.Gateway.Company.All("ITEM")).Element("BASEPRICE")!.Value.TrimEnd('0'));

        // The name belongs to Creatio; the price to Intacct's price list (the shipped flows' system-of-record rules).
        CreatioRow("Product", widget)["Name"] = "Standard Widget v2";
        CreatioRow("Product", widget)["Price"] = 55.25m;
        var second = await AdminClient().PostAsync($"/api/products/{widget}/sync", null, Cancellation);

        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.False((await second.Content.ReadFromJsonAsync<SyncResult>(Cancellation))!.Created);
        var item = Assert.Single(Intacct.Gateway.Company.All("ITEM"));
        Assert.Equal("Standard Widget v2", item.Element("NAME")!.Value);
        Assert.Equal(49.5m, decimal.Parse(item.Element("BASEPRICE")!.Value, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(49.5m, CreatioRow("Product", widget)["Price"]);
    }

    [Fact]
    public async Task The_document_carries_the_currency_the_due_date_and_the_mapped_header()
    {
        var put = await AdminClient().PutAsJsonAsync("/api/flows/send-to-intacct", new { settings = new { dueInDays = "14" } }, Cancellation);
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await SendAsync(WidgetRollout)).StatusCode);

        var document = Assert.Single(Intacct.Gateway.Company.All("SODOCUMENT"));
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        Assert.Equal("USD", document.Element("CURRENCY")!.Value); // the opportunity's currency, by its Creatio code
        Assert.Equal(today.AddDays(14).ToString("MM/dd/yyyy", System.Globalization.CultureInfo.InvariantCulture), document.Element("WHENDUE")!.Value);
        Assert.Equal(CreatioRow("Opportunity", WidgetRollout)["Title"], document.Element("MESSAGE")!.Value); // the template's header mapping

        // A payment term instead of a day count: Intacct works the due date out from the term.
        await AdminClient().PutAsJsonAsync("/api/flows/send-to-intacct", new { settings = new { paymentTerm = "Net 30" } }, Cancellation);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(MuellerProWidgets)).StatusCode);
        var second = Intacct.Gateway.Company.All("SODOCUMENT").Single(d => d.Element("PONUMBER")!.Value == MuellerProWidgets.ToString());
        // The sidecar sends termname and no datedue; Intacct reads the term back as TERM.NAME and dates the document by it.
        Assert.Equal(("Net 30", today.AddDays(30).ToString("MM/dd/yyyy", System.Globalization.CultureInfo.InvariantCulture)),
            (second.Element("TERM")?.Element("NAME")?.Value, second.Element("WHENDUE")?.Value));

        var badDays = await AdminClient().PutAsJsonAsync("/api/flows/send-to-intacct", new { settings = new { dueInDays = "soon" } }, Cancellation);
        Assert.Equal(HttpStatusCode.BadRequest, badDays.StatusCode);
        var keyOverMapped = await AdminClient().PutAsJsonAsync("/api/flows/send-to-intacct", new { mapping = new[] { new { target = "PONUMBER", source = "Title" } } }, Cancellation);
        Assert.Equal(HttpStatusCode.BadRequest, keyOverMapped.StatusCode); // the document's key is never the mapping's to change
    }

    [Fact]
    public async Task An_AR_invoice_is_made_once_when_the_flow_says_so_and_a_later_type_change_makes_no_second_document()
    {
        var missingAccount = await AdminClient().PutAsJsonAsync("/api/flows/send-to-intacct", new { settings = new { documentType = "AR Invoice" } }, Cancellation);
        Assert.Equal(HttpStatusCode.BadRequest, missingAccount.StatusCode);
        Assert.Contains("arRevenueAccount", await missingAccount.Content.ReadAsStringAsync(Cancellation));
        var put = await AdminClient().PutAsJsonAsync("/api/flows/send-to-intacct", new { settings = new { documentType = "AR Invoice", arRevenueAccount = "4000" } }, Cancellation);
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);

        var result = await (await SendAsync(WidgetRollout)).Content.ReadFromJsonAsync<SendToIntacctResult>(Cancellation);

        Assert.Equal(("AR Invoice", true), (result!.DocumentType, result.Created));
        var invoice = Assert.Single(Intacct.Gateway.Company.All("ARINVOICE"));
        Assert.Equal((WidgetRollout.ToString(), "945", "USD"), (invoice.Element("DOCNUMBER")!.Value, invoice.Element("TOTALENTERED")!.Value, invoice.Element("CURRENCY")!.Value));
        Assert.All(Intacct.Gateway.Company.All("ARINVOICEITEM").Where(l => l.Element("RECORDKEY")!.Value == invoice.Element("RECORDNO")!.Value),
            line => Assert.Equal("4000", line.Element("ACCOUNTNO")!.Value));
        Assert.Equal(0, Documents);
        Assert.Equal((invoice.Element("RECORDID")!.Value, "AR Invoice"), (CreatioRow("Opportunity", WidgetRollout)["UsrIntacctDocumentNo"], CreatioRow("Opportunity", WidgetRollout)["UsrIntacctDocumentType"]));

        await AdminClient().PutAsJsonAsync("/api/flows/send-to-intacct", new { settings = new { documentType = "Sales Order" } }, Cancellation);
        var again = await (await SendAsync(WidgetRollout)).Content.ReadFromJsonAsync<SendToIntacctResult>(Cancellation);

        Assert.Equal((result.DocumentNo, "AR Invoice", false), (again!.DocumentNo, again.DocumentType, again.Created));
        Assert.Equal(0, Documents);
        Assert.Single(Intacct.Gateway.Company.All("ARINVOICE"));
    }

    [Fact]
    public async Task The_company_s_own_transaction_definition_is_offered_accepted_and_sent_and_an_unknown_name_is_refused_with_the_list()
    {
        // A company names its own definitions; an administrator made this one in Intacct (it posts to AR, as a Sales Invoice does).
        Intacct.Gateway.Company.AddTransactionDefinition(new TransactionDefinition("UK Sales Invoice", "UKINV", true, "Closed"), "Invoice");
        Intacct.Gateway.Company.AddTransactionDefinition(new TransactionDefinition("Retired Order", "RO", false, "Pending"), "Order", active: false);

        var choices = await AdminClient().GetFromJsonAsync<FlowSettingChoices>("/api/flows/send-to-intacct/settings/documentType/choices", Cancellation);
        Assert.Equal(["Sales Quote", "Sales Order", "Sales Invoice", "UK Sales Invoice", "AR Invoice"], choices!.Choices);
        Assert.Equal(HttpStatusCode.NotFound, (await AdminClient().GetAsync("/api/flows/send-to-intacct/settings/dueInDays/choices", Cancellation)).StatusCode);

        var unknown = await AdminClient().PutAsJsonAsync("/api/flows/send-to-intacct", new { settings = new { documentType = "Pro Forma Invoice" } }, Cancellation);
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        var problem = JsonNode.Parse(await unknown.Content.ReadAsStringAsync(Cancellation))!;
        var message = (string)problem["errors"]!["settings.documentType"]![0]!;
        Assert.Contains("\"Pro Forma Invoice\"", message);
        Assert.Contains("\"UK Sales Invoice\"", message);
        Assert.DoesNotContain("Retired Order", message);
        Assert.Equal("Sales Order", (string?)(await AdminClient().GetFromJsonAsync<JsonObject>("/api/flows/send-to-intacct", Cancellation))!["settings"]!["documentType"]);

        var put = await AdminClient().PutAsJsonAsync("/api/flows/send-to-intacct", new { settings = new { documentType = "UK Sales Invoice" } }, Cancellation);
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var result = await (await SendAsync(WidgetRollout)).Content.ReadFromJsonAsync<SendToIntacctResult>(Cancellation);

        Assert.Equal(("UK Sales Invoice", true), (result!.DocumentType, result.Created));
        var document = Assert.Single(Intacct.Gateway.Company.All("SODOCUMENT"));
        Assert.Equal(("UK Sales Invoice", WidgetRollout.ToString()), (document.Element("DOCPARID")!.Value, document.Element("PONUMBER")!.Value));
        Assert.Single(Intacct.Gateway.Company.All("ARINVOICE")); // the definition posts to AR
        Assert.Equal("UK Sales Invoice", CreatioRow("Opportunity", WidgetRollout)["UsrIntacctDocumentType"]);
    }

    [Fact]
    public async Task Concurrent_clicks_create_one_document()
    {
        Intacct.Options.LatencyMs = 30;
        var responses = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => SendAsync(WidgetRollout)));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        var numbers = await Task.WhenAll(responses.Select(async r => (await r.Content.ReadFromJsonAsync<SendToIntacctResult>(Cancellation))!.DocumentNo));
        Assert.Single(numbers.Distinct());
        Assert.Equal(1, Documents);
        Assert.Single(Intacct.Gateway.Company.All("CUSTOMER"));
    }

    [Fact]
    public async Task A_send_a_crash_left_unfinished_can_be_sent_again_as_soon_as_the_sidecar_restarts()
    {
        // What a kill -9 mid-send leaves: a fresh claim on the opportunity and nothing in Intacct.
        await using (var store = TestStore.OpenStore())
        await using (var connection = await store.OpenAsync(Cancellation))
            await connection.ExecuteAsync("insert into bindings (kind, creatio_id, created_at, updated_at) values (@kind, @id, @now, @now)",
                new { kind = BindingKinds.OpportunityDocument, id = WidgetRollout.ToString("D"), now = DateTimeOffset.UtcNow });

        await using (var restarted = new SidecarFactory(TestStore))
        {
            restarted.Settings["Interweave:Flows:SchedulerEnabled"] = "false";
            Assert.Equal(HttpStatusCode.OK, (await restarted.CreateClient(SidecarFactory.AdminKey).GetAsync("/health/ready", Cancellation)).StatusCode);
            await restarted.Logs.WaitForAsync("left unfinished by a previous process", TimeSpan.FromSeconds(10));
        }

        var response = await SendAsync(WidgetRollout); // was: 409 "Already being sent" for the claim's 5 minutes

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True((await response.Content.ReadFromJsonAsync<SendToIntacctResult>(Cancellation))!.Created);
        Assert.Equal(1, Documents);
    }

    [Fact]
    public async Task Concurrent_sends_that_need_the_same_new_customer_and_item_all_succeed_with_one_of_each()
    {
        const int sends = 12;
        var account = Guid.Parse("a0000000-0000-4000-8000-000000000004");
        var opportunities = Enumerable.Range(0, sends).Select(_ => Guid.NewGuid()).ToList();
        lock (Creatio.Data.Lock)
            foreach (var id in opportunities)
            {
                InsertOpportunity(id, "Shared customer", account);
                AddProductLine(id, "b0000000-0000-4000-8000-000000000001", 1, 49.5m);
            }

        Intacct.Options.LatencyMs = 20; // widens the window between each send's lookup and its create
        var responses = await Task.WhenAll(opportunities.Select(SendAsync));

        foreach (var response in responses) Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync(Cancellation));
        Assert.Equal(sends, Documents);
        Assert.Single(Intacct.Gateway.Company.All("CUSTOMER"));
        Assert.Single(Intacct.Gateway.Company.All("ITEM"));
        Assert.All(opportunities, id => Assert.NotEqual(IntacctSyncStatus.Error, CreatioRow("Opportunity", id)["UsrIntacctSyncStatus"]));
    }

    [Fact]
    public async Task A_new_account_with_three_new_products_costs_at_most_3_Intacct_and_5_Creatio_requests_and_a_repeated_click_1_and_2()
    {
        var id = Guid.NewGuid();
        InsertOpportunity(id, "Three new products", Guid.Parse("a0000000-0000-4000-8000-000000000004"));
        AddProductLine(id, "b0000000-0000-4000-8000-000000000001", 2, 49.5m);
        AddProductLine(id, "b0000000-0000-4000-8000-000000000002", 1, 129m);
        AddProductLine(id, "b0000000-0000-4000-8000-000000000003", 1, 450m);

        var (intacct, creatio, first) = await CountRequestsAsync(() => SendAsync(id));
        var (intacctAgain, creatioAgain, again) = await CountRequestsAsync(() => SendAsync(id));

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (first.StatusCode, again.StatusCode));
        Assert.Equal((1, 3, 1), (Intacct.Gateway.Company.All("CUSTOMER").Count, Intacct.Gateway.Company.All("ITEM").Count, Documents));
        Assert.Equal("SO", ((string?)CreatioRow("Opportunity", id)["UsrIntacctDocumentNo"])?[..2]);
        Assert.All(new[] { "001", "002", "003" }, p => Assert.NotEqual("", CreatioRow("Product", Guid.Parse($"b0000000-0000-4000-8000-000000000{p}"))["UsrIntacctItemId"]));
        Assert.True(intacct <= 3 && creatio <= 5, $"first click: {intacct} Intacct and {creatio} Creatio requests");
        Assert.True(intacctAgain <= 1 && creatioAgain <= 2, $"repeated click: {intacctAgain} Intacct and {creatioAgain} Creatio requests");
    }

    [Fact]
    public async Task A_send_that_outlasts_the_deadline_answers_202_and_the_opportunity_shows_the_document_once_it_is_in()
    {
        Sidecar.Services.GetRequiredService<IOptions<ButtonOptions>>().Value.AnswerWithinSeconds = 1;
        Intacct.Options.LatencyMs = 1000; // three requests: the send needs about three seconds

        var response = await SendAsync(WidgetRollout);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Contains("The send goes on", (string?)(await response.Content.ReadFromJsonAsync<JsonObject>(Cancellation))!["message"]);
        Assert.Equal("", CreatioRow("Opportunity", WidgetRollout)["UsrIntacctDocumentNo"]);
        var documentNo = await Eventually.UntilAsync(() => Task.FromResult(CreatioRow("Opportunity", WidgetRollout)["UsrIntacctDocumentNo"] as string),
            d => d is { Length: > 0 }, TimeSpan.FromSeconds(30), "the document number on the opportunity", Cancellation);
        Intacct.Options.LatencyMs = 0;
        var again = await (await SendAsync(WidgetRollout)).Content.ReadFromJsonAsync<SendToIntacctResult>(Cancellation);
        Assert.Equal((documentNo, false, 1), (again!.DocumentNo, again.Created, Documents));
    }

    [Fact]
    public async Task A_refusal_after_the_deadline_shows_on_the_opportunity_and_leaves_nothing_in_Intacct()
    {
        Sidecar.Services.GetRequiredService<IOptions<ButtonOptions>>().Value.AnswerWithinSeconds = 1;
        await AdminClient().PutAsJsonAsync("/api/flows/send-to-intacct", new { settings = new { paymentTerm = "Net 45" } }, Cancellation);
        Intacct.Options.LatencyMs = 1000;

        var response = await SendAsync(WidgetRollout);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        await Eventually.UntilAsync(() => Task.FromResult(CreatioRow("Opportunity", WidgetRollout)), o => Equals(o["UsrIntacctSyncStatus"], IntacctSyncStatus.Error),
            TimeSpan.FromSeconds(30), "the error on the opportunity", Cancellation);
        Assert.Contains("Invalid Term 'Net 45'", (string?)CreatioRow("Opportunity", WidgetRollout)["UsrIntacctLastSyncError"]);
        Assert.Equal(0, Documents);
        Assert.Empty(Intacct.Gateway.Company.All("CUSTOMER"));
    }

    [Fact]
    public async Task Waiting_clicks_leave_intacct_to_the_click_that_sends()
    {
        Intacct.Options.LatencyMs = 30;
        var before = Intacct.RequestsReceived;
        var solo = await SendAsync(MuellerProWidgets);
        Assert.Equal(HttpStatusCode.OK, solo.StatusCode);
        var requestsForOneSend = Intacct.RequestsReceived - before;

        const int clicks = 8;
        before = Intacct.RequestsReceived;
        var responses = await Task.WhenAll(Enumerable.Range(0, clicks).Select(_ => SendAsync(WidgetRollout)));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        // Each waiting click looks for the document before it waits and once after, never while the sender works.
        // Waiting clicks that polled Intacct every 100 ms made 77-83 calls here; now they make two requests each.
        var requests = Intacct.RequestsReceived - before;
        var bound = requestsForOneSend + 2 * (clicks - 1);
        Assert.True(requests <= bound, $"{requests} Intacct requests for {clicks} clicks (bound {bound}); one send alone makes {requestsForOneSend}");
    }

    [Fact]
    public async Task A_lost_intacct_response_still_ends_with_one_customer_one_set_of_items_and_one_document()
    {
        Intacct.Options.LostResponseRate = 0.35;

        var response = await SendAsync(WidgetRollout);

        Intacct.Options.LostResponseRate = 0;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(Intacct.InjectedFaults > 0, "no response was lost");
        Assert.Equal(1, Documents);
        Assert.Single(Intacct.Gateway.Company.All("CUSTOMER"));
        Assert.Equal(2, Intacct.Gateway.Company.All("ITEM").Count);
    }

    [Theory]
    [InlineData("no-account", "The opportunity has no account")]
    [InlineData("no-lines", "The opportunity has no products")]
    [InlineData("zero", "The opportunity is worth nothing")]
    [InlineData("negative", "A product line cannot be sent")]
    public async Task An_opportunity_that_cannot_be_sent_answers_422_and_writes_nothing(string kind, string title)
    {
        var id = Guid.NewGuid();
        var account = kind == "no-account" ? Guid.Empty : Guid.Parse("a0000000-0000-4000-8000-000000000004");
        InsertOpportunity(id, $"Broken {kind}", account);
        if (kind != "no-lines")
            AddProductLine(id, "b0000000-0000-4000-8000-000000000001", kind switch { "zero" => 0, "negative" => -2, _ => 1 }, 49.5m);
        if (kind == "negative") // a positive line too, so the total alone would not refuse it
            AddProductLine(id, "b0000000-0000-4000-8000-000000000003", 1, 450);

        var response = await SendAsync(id);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync(Cancellation))!;
        Assert.Equal(title, (string?)problem["title"]);
        Assert.Empty(Intacct.Gateway.Company.All("CUSTOMER"));
        Assert.Empty(Intacct.Gateway.Company.All("ITEM"));
        Assert.Equal(0, Documents);
        Assert.Equal("", CreatioRow("Opportunity", id)["UsrIntacctDocumentNo"]);

        // Nothing half-written: once fixed, the same opportunity sends normally.
        if (kind == "no-account")
        {
            Creatio.Data.Rows("Opportunity").Single(r => (Guid)r["Id"]! == id)["Account"] = Guid.Parse("a0000000-0000-4000-8000-000000000004");
            AddProductLine(id, "b0000000-0000-4000-8000-000000000001", 1, 49.5m);
            Assert.Equal(HttpStatusCode.OK, (await SendAsync(id)).StatusCode);
        }
    }

    [Fact]
    public async Task An_unknown_opportunity_is_404_and_the_creatio_role_may_send()
    {
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(Guid.NewGuid())).StatusCode);

        var created = await (await AdminClient().PostAsJsonAsync("/api/keys", new { name = "package", role = "creatio" }, Cancellation))
            .Content.ReadFromJsonAsync<Interweave.Sidecar.Api.CreatedApiKey>(Cancellation);
        var response = await Sidecar.CreateClient(created!.Key).PostAsync($"/api/opportunities/{WidgetRollout}/send-to-intacct", null, Cancellation);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
