using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using Dapper;
using Interweave.Sidecar.Api.Contracts;
using Interweave.Sidecar.Flows.Engine;
using Interweave.Sidecar.Storage;
using Interweave.Sidecar.Tests.Infrastructure;
using Interweave.Simulators.Creatio;
using Interweave.Simulators.Intacct;
using Microsoft.Extensions.DependencyInjection;

namespace Interweave.Sidecar.Tests;

/// <summary>
/// The flow engine end to end: flows over HTTP, incremental pulls from the Intacct simulator into the Creatio
/// simulator, the error queue and support Cases, on both stores.
/// </summary>
public abstract class FlowTests(StoreProvider provider, PostgresServer postgres) : SimulatedSystemsTestBase(provider, postgres, intacctRandomSeed: 5)
{
    public sealed class OnSqlite(PostgresServer postgres) : FlowTests(StoreProvider.Sqlite, postgres);

    public sealed class OnPostgres(PostgresServer postgres) : FlowTests(StoreProvider.Postgres, postgres);

    private static readonly Guid WidgetRollout = Guid.Parse("d0000000-0000-4000-8000-000000000001"); // O'Brien & Sons, 945.00
    private static readonly Guid OBrien = Guid.Parse("a0000000-0000-4000-8000-000000000001");
    private IReadOnlyList<Dictionary<string, object?>> Rows(string entity) => Creatio.Data.Rows(entity);

    /// <summary>Sends the demo opportunity as a Sales Invoice: Intacct makes the AR invoice (DOCNUMBER = the opportunity id).</summary>
    private async Task<string> SendOpportunityAsSalesInvoiceAsync()
    {
        var put = await AdminClient().PutAsJsonAsync("/api/flows/send-to-intacct", new { settings = new { documentType = "Sales Invoice" } }, Cancellation);
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var sent = await AdminClient().PostAsync($"/api/opportunities/{WidgetRollout}/send-to-intacct", null, Cancellation);
        Assert.True(sent.StatusCode == HttpStatusCode.OK, await sent.Content.ReadAsStringAsync(Cancellation));
        Assert.Equal("Sales Invoice", (string?)JsonNode.Parse(await sent.Content.ReadAsStringAsync(Cancellation))!["documentType"]);
        return Assert.Single(Intacct.Gateway.Company.All("ARINVOICE")).Element("RECORDNO")!.Value;
    }

    private XElement Pay(string invoiceRecordNo, decimal amount, string customerId)
    {
        var recordNo = IntacctDirect.Payment(Intacct, customerId, invoiceRecordNo, amount, new DateOnly(2026, 11, 20), "EFT-77");
        return Intacct.Gateway.Company.All("ARPYMT").Single(p => p.Element("RECORDNO")!.Value == recordNo);
    }

    [Fact]
    public async Task The_shipped_flows_are_listed_and_an_admin_can_schedule_disable_and_configure_them()
    {
        var flows = await AdminClient().GetFromJsonAsync<JsonArray>("/api/flows", Cancellation);
        Assert.Equal(["creatio-accounts", "creatio-products", "intacct-adjustments", "intacct-customers", "intacct-invoices", "intacct-items", "intacct-payments", "send-to-intacct"],
            flows!.Select(f => (string?)f!["id"]).Order());
        var invoices = flows!.Single(f => (string?)f!["id"] == "intacct-invoices")!;
        Assert.True((bool)invoices["enabled"]!);
        Assert.Equal("0 0/15 * * * ?", (string?)invoices["schedule"]);
        Assert.Null(invoices["nextRunAt"]); // schedules are off in these tests: nothing would start by itself
        Assert.Contains(invoices["mapping"]!.AsArray(), m => (string?)m!["target"] == "UsrAccountId" && (string?)m["lookup"]!["binding"] == "account-customer");

        var bad = await AdminClient().PutAsJsonAsync("/api/flows/intacct-invoices", new { schedule = "every 5 minutes" }, Cancellation);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("Quartz cron", await bad.Content.ReadAsStringAsync(Cancellation));
        var badType = await AdminClient().PutAsJsonAsync("/api/flows/send-to-intacct", new { settings = new { documentType = "Invoice" } }, Cancellation);
        Assert.Equal(HttpStatusCode.BadRequest, badType.StatusCode);
        var badEdit = await AdminClient().PutAsJsonAsync("/api/flows/intacct-invoices", new
        {
            mapping = new object[] { new { target = "UsrNumber", source = "RECORDID", lookup = new { binding = "account-customer", flow = "intacct-payments" } } },
            filter = new[] { new { field = "STATE", op = "greaterThan", value = "Paid" } },
        }, Cancellation);
        Assert.Equal(HttpStatusCode.BadRequest, badEdit.StatusCode);
        var problem = JsonNode.Parse(await badEdit.Content.ReadAsStringAsync(Cancellation))!["errors"]!;
        Assert.NotNull(problem["mapping[0].lookup"]);
        Assert.NotNull(problem["filter[0].op"]);
        Assert.Equal(HttpStatusCode.BadRequest, (await AdminClient().GetAsync("/api/errors?status=opened", Cancellation)).StatusCode);
        var unchanged = await AdminClient().GetFromJsonAsync<JsonObject>("/api/flows/intacct-invoices", Cancellation);
        Assert.Empty(unchanged!["filter"]!.AsArray()); // nothing of a refused edit is stored

        var changed = await AdminClient().PutAsJsonAsync("/api/flows/intacct-invoices", new { enabled = false, schedule = "0 0 6 * * ?" }, Cancellation);
        var view = JsonNode.Parse(await changed.Content.ReadAsStringAsync(Cancellation))!;
        Assert.False((bool)view["enabled"]!);
        Assert.Equal("0 0 6 * * ?", (string?)view["schedule"]);
        Assert.Equal(12, view["mapping"]!.AsArray().Count); // the mapping is untouched by a schedule change
        Assert.Equal(HttpStatusCode.NotFound, (await AdminClient().GetAsync("/api/flows/no-such-flow", Cancellation)).StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await AdminClient().PostAsync("/api/flows/send-to-intacct/runs", null, Cancellation)).StatusCode);
    }

    [Fact]
    public async Task A_flow_lists_the_fields_of_both_sides_as_the_systems_describe_them_custom_fields_included()
    {
        var fields = (await AdminClient().GetFromJsonAsync<FlowFields>("/api/flows/intacct-customers/fields", Cancellation))!;

        Assert.Contains(fields.Source, f => f is { Name: "ACCOUNTID", Custom: true }); // Intacct lookup, our custom field
        Assert.Contains(fields.Source, f => f is { Name: "DISPLAYCONTACT/PHONE1", Type: "TEXT" }); // a group's field as mappings name it
        Assert.Contains(fields.Source, f => f is { Name: "RECORDNO", ReadOnly: true });
        Assert.Contains(fields.Target, f => f is { Name: "UsrIntacctCustomerId", Type: "String" }); // Creatio $metadata, a package column
        Assert.Contains(fields.Target, f => f is { Name: "OwnerId", Type: "Guid" }); // a lookup, as its Id column
        var push = (await AdminClient().GetFromJsonAsync<FlowFields>("/api/flows/creatio-products/fields", Cancellation))!;
        Assert.Contains(push.Source, f => f.Name == "UsrIntacctItemId"); // the sides follow the flow's direction
        Assert.Contains(push.Target, f => f is { Name: "PRODUCTID", Custom: true });
        var (_, creatioCalls, _) = await CountRequestsAsync(() => AdminClient().GetFromJsonAsync<FlowFields>("/api/flows/intacct-customers/fields", Cancellation));
        Assert.Equal(0, creatioCalls); // the site's $metadata (megabytes on a real site) is read once and reused
        Assert.Equal(HttpStatusCode.NotFound, (await AdminClient().GetAsync("/api/flows/no-such-flow/fields", Cancellation)).StatusCode);
    }

    [Fact]
    public async Task An_invoice_pull_writes_the_invoice_and_the_opportunity_totals_and_a_second_run_changes_nothing()
    {
        var recordNo = await SendOpportunityAsSalesInvoiceAsync();

        var first = await RunAsync("intacct-invoices");

        Assert.Equal((RunState.Succeeded, 1, 1, 0), (first.State, first.ReadCount, first.CreatedCount, first.FailedCount));
        Assert.Equal(1, first.TotalCount); // Intacct's totalcount at the first page: what the console's progress counts against
        var invoice = Assert.Single(Rows("UsrIntacctInvoice"));
        Assert.Equal(PullFromIntacct.TargetIdFor("intacct-invoices", recordNo), invoice["Id"]);
        Assert.Equal(OBrien, invoice["UsrAccount"]);
        Assert.Equal(WidgetRollout, invoice["UsrOpportunity"]);
        Assert.Equal(945.00m, invoice["UsrTotal"]);
        Assert.Equal(945.00m, invoice["UsrDue"]);
        Assert.Equal("Posted", invoice["UsrState"]);
        Assert.Equal("Invoice", invoice["UsrDocumentType"]);
        var opportunity = Creatio.Data.Find("Opportunity", WidgetRollout)!;
        Assert.Equal((945.00m, 0m, "Posted"), (opportunity["UsrIntacctAmountDue"], opportunity["UsrIntacctAmountPaid"], opportunity["UsrIntacctState"]));

        var flow = await AdminClient().GetFromJsonAsync<JsonObject>("/api/flows/intacct-invoices", Cancellation);
        Assert.NotNull((string?)flow!["watermark"]);

        // The overlap reads the invoice again; its fingerprint shows it unchanged, so nothing is written.
        var modifiedBefore = invoice["ModifiedOn"];
        var second = await RunAsync("intacct-invoices");
        Assert.Equal((1, 0, 0, 1), (second.ReadCount, second.CreatedCount, second.UpdatedCount, second.UnchangedCount));
        Assert.Equal(modifiedBefore, Assert.Single(Rows("UsrIntacctInvoice"))["ModifiedOn"]);
        var records = await AdminClient().GetFromJsonAsync<FlowRunRecord[]>($"/api/runs/{second.Id}/records", Cancellation);
        Assert.Equal(RecordAction.Unchanged, Assert.Single(records!).Action);
        Assert.Equal(recordNo, records![0].SourceKey);
        Assert.Equal(Intacct.Gateway.Company.All("ARINVOICE").Single().Element("RECORDID")!.Value, records[0].Label); // the name people search by
        var runs = await AdminClient().GetFromJsonAsync<FlowRun[]>("/api/runs?flowId=intacct-invoices", Cancellation);
        Assert.Equal([second.Id, first.Id], runs!.Select(r => r.Id));

        // The record's history, by its key in either system: both runs, newest first, with their flow.
        var history = (await AdminClient().GetFromJsonAsync<RecordHistoryEntry[]>($"/api/runs/records?key={recordNo}", Cancellation))!;
        Assert.Equal([(second.Id, RecordAction.Unchanged), (first.Id, RecordAction.Created)], history.Select(h => (h.RunId, h.Action)));
        Assert.All(history, h => Assert.Equal("intacct-invoices", h.FlowId));
        var byTarget = (await AdminClient().GetFromJsonAsync<RecordHistoryEntry[]>($"/api/runs/records?key={invoice["Id"]}", Cancellation))!;
        Assert.Equal(2, byTarget.Length);
        Assert.Equal(HttpStatusCode.BadRequest, (await AdminClient().GetAsync("/api/runs/records", Cancellation)).StatusCode);
    }

    [Fact]
    public async Task Credit_and_debit_memos_join_the_invoices_of_their_account_with_their_type_and_signed_totals()
    {
        await SendOpportunityAsSalesInvoiceAsync(); // links O'Brien's account to a customer
        var customerId = Intacct.Gateway.Company.All("CUSTOMER").Single().Element("CUSTOMERID")!.Value;
        var credit = IntacctDirect.Adjustment(Intacct, customerId, new DateOnly(2026, 11, 20), -120.50m);
        var debit = IntacctDirect.Adjustment(Intacct, customerId, new DateOnly(2026, 11, 21), 35m);

        var run = await RunAsync("intacct-adjustments");

        Assert.Equal((RunState.Succeeded, 2, 2, 0), (run.State, run.ReadCount, run.CreatedCount, run.FailedCount));
        var creditRow = Creatio.Data.Find("UsrIntacctInvoice", PullFromIntacct.TargetIdFor("intacct-adjustments", credit))!;
        Assert.Equal(("Credit memo", -120.50m, -120.50m, "Posted", OBrien), ((string?)creditRow["UsrDocumentType"], creditRow["UsrTotal"], creditRow["UsrDue"],
            (string?)creditRow["UsrState"], creditRow["UsrAccount"]));
        var debitRow = Creatio.Data.Find("UsrIntacctInvoice", PullFromIntacct.TargetIdFor("intacct-adjustments", debit))!;
        Assert.Equal(("Debit memo", 35m), ((string?)debitRow["UsrDocumentType"], debitRow["UsrTotal"]));
        var second = await RunAsync("intacct-adjustments");
        Assert.Equal((0, 0, 2), (second.CreatedCount, second.UpdatedCount, Rows("UsrIntacctInvoice").Count)); // read again in the overlap, written once
    }

    [Fact]
    public async Task A_running_pull_shows_how_many_it_has_read_of_how_many_it_will_read()
    {
        for (var i = 0; i < 120; i++)
            IntacctDirect.Create(Intacct, new System.Xml.Linq.XElement("CUSTOMER", new System.Xml.Linq.XElement("CUSTOMERID", $"P-{i:000}"),
                new System.Xml.Linq.XElement("NAME", $"Progress {i:000}"), new System.Xml.Linq.XElement("STATUS", "active")));
        Sidecar.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<FlowOptions>>().Value.PageSize = 10;
        Creatio.Options.LatencyMs = 20;

        var started = await AdminClient().PostAsync("/api/flows/intacct-customers/runs", null, Cancellation);
        var location = started.Headers.Location!.ToString();
        var midway = (await Eventually.UntilAsync(() => AdminClient().GetFromJsonAsync<FlowRun>(location, Cancellation),
            r => r!.ReadCount > 0 || r.State != RunState.Running, TimeSpan.FromSeconds(60), "the first page written", Cancellation))!;
        var done = (await Eventually.UntilAsync(() => AdminClient().GetFromJsonAsync<FlowRun>(location, Cancellation),
            r => r!.State != RunState.Running, TimeSpan.FromSeconds(60), "the end of the run", Cancellation))!;

        Assert.Equal((RunState.Running, 120), (midway.State, midway.TotalCount));
        Assert.InRange(midway.ReadCount, 1, 119);
        Assert.Equal((RunState.Succeeded, 120, 120), (done.State, done.ReadCount, done.TotalCount));
    }

    [Fact]
    public async Task A_payment_is_linked_to_its_invoice_and_opportunity_and_the_totals_follow()
    {
        var recordNo = await SendOpportunityAsSalesInvoiceAsync();
        await RunAsync("intacct-invoices");
        var customerId = Intacct.Gateway.Company.All("CUSTOMER").Single().Element("CUSTOMERID")!.Value;
        var payment = Pay(recordNo, 300m, customerId);

        var payments = await RunAsync("intacct-payments");
        var invoices = await RunAsync("intacct-invoices");

        Assert.Equal((1, 0), (payments.CreatedCount, payments.FailedCount));
        var row = Assert.Single(Rows("UsrIntacctPayment"));
        Assert.Equal(PullFromIntacct.TargetIdFor("intacct-invoices", recordNo), row["UsrInvoice"]);
        Assert.Equal(WidgetRollout, row["UsrOpportunity"]);
        Assert.Equal(OBrien, row["UsrAccount"]);
        Assert.Equal(300m, row["UsrAmount"]);
        Assert.Equal("Bank transfer", row["UsrMethod"]);
        Assert.Equal($"PMT-{payment.Element("RECORDNO")!.Value} EFT-77", row["UsrNumber"]);

        // The payment changed the invoice in Intacct (WHENMODIFIED moved): the next invoice run picks it up.
        Assert.Equal((1, 0), (invoices.UpdatedCount, invoices.CreatedCount));
        var opportunity = Creatio.Data.Find("Opportunity", WidgetRollout)!;
        Assert.Equal((645.00m, 300m, "Partially Paid"), (opportunity["UsrIntacctAmountDue"], opportunity["UsrIntacctAmountPaid"], opportunity["UsrIntacctState"]));
    }

    [Fact]
    public async Task A_payment_shows_on_its_opportunity_once_and_an_advance_stays_apart_until_applied()
    {
        var recordNo = await SendOpportunityAsSalesInvoiceAsync(); // 945.00
        await RunAsync("intacct-invoices");
        var customerId = Intacct.Gateway.Company.All("CUSTOMER").Single().Element("CUSTOMERID")!.Value;
        var payment = Pay(recordNo, 300m, customerId);
        var advance = IntacctDirect.Advance(Intacct, customerId, 500m, new DateOnly(2026, 11, 18), "ADV-1");
        var applied = IntacctDirect.Apply(Intacct, advance, recordNo, 200m, new DateOnly(2026, 11, 21));

        var first = await RunAsync("intacct-payments");
        var again = await RunAsync("intacct-payments");
        await RunAsync("intacct-invoices");

        Assert.Equal((3, 0, 0), (first.CreatedCount, first.FailedCount, again.CreatedCount + again.UpdatedCount));
        var rows = Rows("UsrIntacctPayment").ToDictionary(r => (string)r["UsrIntacctRecordNo"]!);
        var invoiceRow = PullFromIntacct.TargetIdFor("intacct-invoices", recordNo);
        // The cash payment and the application of the advance each join the opportunity through the invoice their details paid.
        Assert.Equal(("Payment", invoiceRow, WidgetRollout, 300m, 0m), Summary(rows[payment.Element("RECORDNO")!.Value]));
        Assert.Equal(("Applied overpayment", invoiceRow, WidgetRollout, 200m, 0m), Summary(rows[applied]));
        // The advance paid no invoice itself: it stays with the account only, showing what it still holds.
        Assert.Equal(("Advance", Guid.Empty, Guid.Empty, 0m, 300m), Summary(rows[advance]));
        Assert.Equal(OBrien, rows[advance]["UsrAccount"]);

        // What the opportunity's payments add up to is what its invoice was paid: nothing counted twice.
        var opportunity = Creatio.Data.Find("Opportunity", WidgetRollout)!;
        var onOpportunity = rows.Values.Where(r => (Guid?)r["UsrOpportunity"] == WidgetRollout).ToList();
        Assert.Equal((500m, 445m), (opportunity["UsrIntacctAmountPaid"], opportunity["UsrIntacctAmountDue"]));
        Assert.Equal(500m, onOpportunity.Sum(r => (decimal)r["UsrAmount"]!));
        Assert.Single(onOpportunity, r => (string?)r["UsrKind"] == "Payment");

        static (string?, Guid?, Guid?, decimal?, decimal?) Summary(Dictionary<string, object?> row) =>
            ((string?)row["UsrKind"], (Guid?)row["UsrInvoice"] ?? Guid.Empty, (Guid?)row["UsrOpportunity"] ?? Guid.Empty, (decimal?)row["UsrAmount"], (decimal?)row["UsrUnapplied"]);
    }

    [Fact]
    public async Task A_page_of_invoices_and_payments_over_many_opportunities_rolls_up_in_a_few_Creatio_requests()
    {
        const int count = 60;
        await IntacctDirect.CreateAsync(Intacct, "CUSTOMER", ("CUSTOMERID", "C-ROLL"), ("NAME", "Roll-up Customer"));
        Assert.Equal(1, (await RunAsync("intacct-customers")).CreatedCount);
        var opportunities = new List<Guid>();
        var invoices = new List<string>();
        lock (Creatio.Data.Lock)
            for (var i = 0; i < count; i++)
            {
                var opportunity = Guid.NewGuid();
                Creatio.Data.Insert(Creatio.Data.Model.Find("Opportunity")!, new JsonObject { ["Id"] = opportunity.ToString(), ["Title"] = $"Roll-up {i}" }, CreatioData.SupervisorId);
                opportunities.Add(opportunity);
            }

        // Each invoice names its opportunity where Send to Intacct puts it (the reference, DOCNUMBER); half are part paid.
        for (var i = 0; i < count; i++)
        {
            invoices.Add(IntacctDirect.Invoice(Intacct, "C-ROLL", new DateOnly(2026, 11, 2), 100m + i, opportunities[i].ToString()));
            if (i % 2 == 0) Pay(invoices[i], 40m, "C-ROLL");
        }

        var (_, invoiceRequests, invoiceRun) = await CountRequestsAsync(() => RunAsync("intacct-invoices"));
        var (_, paymentRequests, paymentRun) = await CountRequestsAsync(() => RunAsync("intacct-payments"));

        Assert.Equal((count, 0, count / 2, 0), (invoiceRun.CreatedCount, invoiceRun.FailedCount, paymentRun.CreatedCount, paymentRun.FailedCount));
        for (var i = 0; i < count; i++)
        {
            var opportunity = Creatio.Data.Find("Opportunity", opportunities[i])!;
            var paid = i % 2 == 0 ? 40m : 0m;
            Assert.Equal((100m + i - paid, paid, paid > 0 ? "Partially Paid" : "Posted"),
                (opportunity["UsrIntacctAmountDue"], opportunity["UsrIntacctAmountPaid"], opportunity["UsrIntacctState"]));
        }

        Assert.All(Rows("UsrIntacctPayment"), p => Assert.Contains((Guid)p["UsrOpportunity"]!, opportunities));
        // The page's roll-up reads in $batch requests and writes in one: it took three requests per opportunity
        // (180 here) and two per payment (60).
        Assert.True(invoiceRequests <= 8 && paymentRequests <= 6, $"invoices: {invoiceRequests} Creatio requests, payments: {paymentRequests}");
    }

    [Fact]
    public async Task An_unlinked_customer_queues_one_error_with_one_case_and_a_retry_after_linking_resolves_it()
    {
        await IntacctDirect.CreateAsync(Intacct, "CUSTOMER", ("CUSTOMERID", "C-9001"), ("NAME", "O'Brien & Sons (Intacct)"));
        var invoice = IntacctDirect.Invoice(Intacct, "C-9001", new DateOnly(2026, 11, 2), 120.00m);

        var run = await RunAsync("intacct-invoices");
        var again = await RunAsync("intacct-invoices"); // the overlap meets the same record again

        // Its one record failed: nothing went through, so the run failed (it ended "succeeded" before).
        Assert.Equal((RunState.Failed, 1), (run.State, run.FailedCount));
        Assert.Contains("Every record failed (1 of 1)", run.Error);
        Assert.Equal(1, again.FailedCount);
        Assert.Empty(Rows("UsrIntacctInvoice"));
        var error = Assert.Single((await AdminClient().GetFromJsonAsync<SyncError[]>("/api/errors", Cancellation))!);
        Assert.Equal(("intacct-invoices", invoice, ErrorStatus.Open, 2), (error.FlowId, error.RecordKey, error.Status, error.Occurrences));
        Assert.Contains("C-9001 is not linked", error.Message);
        Assert.Contains("ACCOUNTID", error.Hint);
        var supportCase = Assert.Single(Rows("Case"));
        Assert.Equal(Guid.Parse(error.CaseId!), supportCase["Id"]);
        Assert.Contains("is not linked", (string?)supportCase["Subject"]);
        Assert.Contains("Seen 2 time(s)", (string?)supportCase["Symptoms"]); // updated on the repeat, not a second Case
        Assert.Equal(CaseRaiser.NewStatus, supportCase["Status"]);

        // Someone links the customer (ACCOUNTID in Intacct, then Sync with Intacct on the account), then retries.
        IntacctDirect.Update(Intacct, "CUSTOMER", ("CUSTOMERID", "C-9001"), ("ACCOUNTID", OBrien.ToString()));
        Assert.Equal(HttpStatusCode.OK, (await AdminClient().PostAsync($"/api/accounts/{OBrien}/sync", null, Cancellation)).StatusCode);
        var retried = await AdminClient().PostAsync($"/api/errors/{error.Id}/retry", null, Cancellation);

        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
        Assert.Equal(ErrorStatus.Resolved, (await retried.Content.ReadFromJsonAsync<SyncError>(Cancellation))!.Status);
        Assert.Equal(OBrien, Assert.Single(Rows("UsrIntacctInvoice"))["UsrAccount"]);
        Assert.Empty((await AdminClient().GetFromJsonAsync<SyncError[]>("/api/errors", Cancellation))!);
        Assert.Single((await AdminClient().GetFromJsonAsync<SyncError[]>("/api/errors?status=resolved", Cancellation))!);
        Assert.Equal(HttpStatusCode.Conflict, (await AdminClient().PostAsync($"/api/errors/{error.Id}/retry", null, Cancellation)).StatusCode);
    }

    [Fact]
    public async Task A_customer_linked_in_Intacct_by_ACCOUNTID_alone_is_found_and_its_binding_recorded()
    {
        await IntacctDirect.CreateAsync(Intacct, "CUSTOMER", ("CUSTOMERID", "C-7001"), ("NAME", "O'Brien & Sons"), ("ACCOUNTID", OBrien.ToString()));
        IntacctDirect.Invoice(Intacct, "C-7001", new DateOnly(2026, 11, 4), 75.00m);

        var run = await RunAsync("intacct-invoices");

        Assert.Equal((1, 0), (run.CreatedCount, run.FailedCount));
        Assert.Equal(OBrien, Assert.Single(Rows("UsrIntacctInvoice"))["UsrAccount"]);
        var binding = Assert.Single((await AdminClient().GetFromJsonAsync<Binding[]>("/api/bindings?kind=account-customer", Cancellation))!);
        Assert.Equal((OBrien.ToString(), "C-7001"), (binding.CreatioId, binding.IntacctId));
    }

    [Fact]
    public async Task A_dismissed_error_leaves_the_queue_and_a_new_occurrence_opens_a_new_one()
    {
        await IntacctDirect.CreateAsync(Intacct, "CUSTOMER", ("CUSTOMERID", "C-9002"), ("NAME", "Nobody in Creatio"));
        IntacctDirect.Invoice(Intacct, "C-9002", new DateOnly(2026, 11, 3), 10.00m);
        await RunAsync("intacct-invoices");
        var error = Assert.Single((await AdminClient().GetFromJsonAsync<SyncError[]>("/api/errors", Cancellation))!);

        var dismissed = await AdminClient().PostAsync($"/api/errors/{error.Id}/dismiss", null, Cancellation);

        Assert.Equal(ErrorStatus.Dismissed, (await dismissed.Content.ReadFromJsonAsync<SyncError>(Cancellation))!.Status);
        Assert.Empty((await AdminClient().GetFromJsonAsync<SyncError[]>("/api/errors", Cancellation))!);
        Assert.Equal(HttpStatusCode.Conflict, (await AdminClient().PostAsync($"/api/errors/{error.Id}/dismiss", null, Cancellation)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await AdminClient().PostAsync("/api/errors/999999/retry", null, Cancellation)).StatusCode);
        await RunAsync("intacct-invoices");
        Assert.NotEqual(error.Id, Assert.Single((await AdminClient().GetFromJsonAsync<SyncError[]>("/api/errors", Cancellation))!).Id);
    }

    [Fact]
    public async Task A_crash_between_the_Creatio_write_and_the_bookkeeping_duplicates_nothing_on_the_next_run()
    {
        await SendOpportunityAsSalesInvoiceAsync();
        await RunAsync("intacct-invoices");

        // What a crash right after the Creatio create would leave: no link, no watermark, a run still "running".
        await using (var store = TestStore.OpenStore())
        await using (var connection = await store.OpenAsync(Cancellation))
        {
            await connection.ExecuteAsync("delete from flow_links; update flows set watermark = null");
            await connection.ExecuteAsync("insert into flow_runs (flow_id, trigger, state, started_at) values ('intacct-payments', 'schedule', 'running', @now)",
                new { now = DateTimeOffset.UtcNow });
            // Two records it had logged before the crash; its counts in memory died with it.
            var crashed = await connection.ExecuteScalarAsync<long>("select id from flow_runs where state = 'running'");
            await connection.ExecuteAsync("""
                insert into flow_run_records (run_id, source_key, action, at) values (@crashed, 'P-1', 'created', @now);
                insert into flow_run_records (run_id, source_key, action, at) values (@crashed, 'P-2', 'failed', @now);
                """, new { crashed, now = DateTimeOffset.UtcNow });
        }

        await using var restarted = new SidecarFactory(TestStore);
        restarted.Settings["Interweave:Flows:SchedulerEnabled"] = "false";
        var client = restarted.CreateClient(SidecarFactory.AdminKey);
        var runs = await client.GetFromJsonAsync<FlowRun[]>("/api/runs?flowId=intacct-payments", Cancellation);
        var interrupted = Assert.Single(runs!);
        Assert.Equal((RunState.Interrupted, 2, 1, 1), (interrupted.State, interrupted.ReadCount, interrupted.CreatedCount, interrupted.FailedCount));

        var modifiedBefore = Assert.Single(Rows("UsrIntacctInvoice"))["ModifiedOn"];
        var rerun = await RunAsync("intacct-invoices");
        // The invoice is found under its derived Id and already holds every value: no second record, no write.
        Assert.Equal((1, 0, 0, 1), (rerun.ReadCount, rerun.CreatedCount, rerun.UpdatedCount, rerun.UnchangedCount));
        Assert.Equal(modifiedBefore, Assert.Single(Rows("UsrIntacctInvoice"))["ModifiedOn"]);
    }

    [Fact]
    public async Task A_newer_template_replaces_the_definition_and_keeps_the_admins_choices()
    {
        var put = await AdminClient().PutAsJsonAsync("/api/flows/send-to-intacct", new { enabled = false, settings = new { documentType = "Sales Invoice" } }, Cancellation);
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        // What a store installed from version 1 of the template holds: only the settings that version had.
        await using (var store = TestStore.OpenStore())
        await using (var connection = await store.OpenAsync(Cancellation))
            await connection.ExecuteAsync("""update flows set template_version = 1, settings = '{"documentType":"Sales Invoice","retired":"x"}' where id = 'send-to-intacct'""");

        await using var restarted = new SidecarFactory(TestStore);
        restarted.Settings["Interweave:Flows:SchedulerEnabled"] = "false";
        var flow = await restarted.CreateClient(SidecarFactory.AdminKey).GetFromJsonAsync<JsonObject>("/api/flows/send-to-intacct", Cancellation);

        var shipped = FlowStore.Templates.Single(f => f.Id == "send-to-intacct");
        Assert.Equal(shipped.Version, (int)flow!["templateVersion"]!);
        Assert.False((bool)flow["enabled"]!);
        var settings = flow["settings"]!.AsObject();
        Assert.Equal("Sales Invoice", (string?)settings["documentType"]); // the admin's value wins
        Assert.Equal("true", (string?)settings["sendCurrency"]); // a new setting joins with its default
        Assert.False(settings.ContainsKey("retired")); // a setting the template dropped goes
        Assert.Contains(flow["mapping"]!.AsArray(), m => (string?)m!["target"] == "message");
    }

    [Fact]
    public async Task Only_one_run_of_a_flow_at_a_time()
    {
        var flows = Sidecar.Services.GetRequiredService<FlowStore>();
        var first = await flows.TryStartRunAsync("intacct-invoices", "manual", Cancellation);
        Assert.NotNull(first);

        Assert.Null(await flows.TryStartRunAsync("intacct-invoices", "schedule", Cancellation));
        var refused = await AdminClient().PostAsync("/api/flows/intacct-invoices/runs", null, Cancellation);
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        // A second start (a double click) starts nothing and names the run under way, for the console to follow.
        Assert.Equal(first!.Id, (long)JsonNode.Parse(await refused.Content.ReadAsStringAsync(Cancellation))!["runId"]!);
        Assert.Single((await AdminClient().GetFromJsonAsync<FlowRun[]>("/api/runs?flowId=intacct-invoices", Cancellation))!);
        Assert.NotNull(await flows.TryStartRunAsync("intacct-payments", "manual", Cancellation)); // other flows are not held up
    }
}

/// <summary>Quartz runs an enabled flow on its schedule.</summary>
public sealed class ScheduledFlowTests(PostgresServer postgres) : SidecarTestBase(StoreProvider.Sqlite, postgres)
{
    [Fact]
    public async Task An_enabled_flow_runs_on_its_cron_schedule()
    {
        Sidecar.Settings["Interweave:Flows:MinimumScheduleIntervalSeconds"] = "1"; // the default refuses every second; this test must not wait a minute
        var put = await AdminClient().PutAsJsonAsync("/api/flows/intacct-invoices", new { enabled = true, schedule = "* * * * * ?" }, Cancellation);
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);

        var runs = await Eventually.UntilAsync(() => AdminClient().GetFromJsonAsync<FlowRun[]>("/api/runs?flowId=intacct-invoices", Cancellation),
            r => r is { Length: > 0 }, TimeSpan.FromSeconds(20), "a scheduled run", Cancellation);

        Assert.NotEmpty(runs!); // the cron fires every second: one run or more by now
        var run = runs![^1];
        Assert.Equal("schedule", run.Trigger);

        // Without connections the run fails with the reason, and the watermark does not move.
        var finished = (await Eventually.UntilAsync(() => AdminClient().GetFromJsonAsync<FlowRun>($"/api/runs/{run.Id}", Cancellation),
            r => r!.State != RunState.Running, TimeSpan.FromSeconds(20), $"the end of run {run.Id}", Cancellation))!;

        Assert.Equal(RunState.Failed, finished.State);
        Assert.Contains("not configured", finished.Error, StringComparison.OrdinalIgnoreCase);
        await AdminClient().PutAsJsonAsync("/api/flows/intacct-invoices", new { enabled = false }, Cancellation);
    }

    [Fact]
    public async Task Each_enabled_flow_shows_when_its_schedule_next_starts_it()
    {
        Sidecar.Clock.Offset = new DateTimeOffset(2026, 12, 1, 9, 7, 30, TimeSpan.Zero) - DateTimeOffset.UtcNow;
        var flows = (await AdminClient().GetFromJsonAsync<System.Text.Json.Nodes.JsonArray>("/api/flows", Cancellation))!;

        string? Next(string id) => (string?)flows.Single(f => (string?)f!["id"] == id)!["nextRunAt"];
        Assert.Equal(new DateTimeOffset(2026, 12, 1, 9, 15, 0, TimeSpan.Zero), DateTimeOffset.Parse(Next("intacct-invoices")!, System.Globalization.CultureInfo.InvariantCulture)); // 0 0/15
        Assert.Equal(new DateTimeOffset(2026, 12, 1, 9, 20, 0, TimeSpan.Zero), DateTimeOffset.Parse(Next("intacct-customers")!, System.Globalization.CultureInfo.InvariantCulture)); // 0 5/15
        Assert.Null(Next("send-to-intacct")); // a button's flow has no schedule

        var disabled = await AdminClient().PutAsJsonAsync("/api/flows/intacct-invoices", new { enabled = false }, Cancellation);
        Assert.Null((string?)(await disabled.Content.ReadFromJsonAsync<System.Text.Json.Nodes.JsonObject>(Cancellation))!["nextRunAt"]);
    }
}
