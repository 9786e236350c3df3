using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using Dapper;
using Interweave.Sidecar.Api.Contracts;
using Interweave.Sidecar.Creatio;
using Interweave.Sidecar.Flows.Engine;
using Interweave.Sidecar.Storage;
using Interweave.Sidecar.Tests.Infrastructure;
using Interweave.Simulators.Creatio;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Interweave.Sidecar.Tests;

/// <summary>
/// Account ⇄ Customer and Product ⇄ Item in both directions, end to end over HTTP against both simulators: pairing,
/// key write-back, system-of-record rules, echo suppression, scope, failures, on both stores.
/// </summary>
public abstract class TwoWaySyncTests(StoreProvider provider, PostgresServer postgres) : SimulatedSystemsTestBase(provider, postgres, intacctRandomSeed: 11)
{
    public sealed class OnSqlite(PostgresServer postgres) : TwoWaySyncTests(StoreProvider.Sqlite, postgres);

    public sealed class OnPostgres(PostgresServer postgres) : TwoWaySyncTests(StoreProvider.Postgres, postgres);

    private static readonly Guid OBrien = Guid.Parse("a0000000-0000-4000-8000-000000000001");
    private static readonly Guid Widget = Guid.Parse("b0000000-0000-4000-8000-000000000001");

    private Dictionary<string, object?> CreatioRow(string entity, Guid id) => Creatio.Data.Find(entity, id)!;

    private XElement IntacctRecord(string objectName, string idField, string id) =>
        Intacct.Gateway.Company.All(objectName).Single(r => r.Element(idField)?.Value == id);

    private async Task SyncAsync(string what, Guid id)
    {
        var response = await AdminClient().PostAsync($"/api/{what}/{id}/sync", null, Cancellation);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync(Cancellation));
    }

    private static XElement FjordFreight() => new("CUSTOMER",
        new XElement("CUSTOMERID", "C-5001"), new XElement("NAME", "Fjord Freight AS"), new XElement("STATUS", "active"),
        new XElement("DISPLAYCONTACT", new XElement("PHONE1", "+47 555 0101"), new XElement("MAILADDRESS", new XElement("ADDRESS1", "Oslo"), new XElement("ZIP", "0150"))));

    [Fact]
    public async Task A_customer_made_in_Intacct_becomes_an_account_with_its_id_written_back_and_nothing_echoes()
    {
        IntacctDirect.Create(Intacct, FjordFreight());

        var pull = await RunAsync("intacct-customers");

        Assert.Equal((RunState.Succeeded, 1, 1, 0), (pull.State, pull.ReadCount, pull.CreatedCount, pull.FailedCount));
        var accountId = PullFromIntacct.TargetIdFor("intacct-customers", "C-5001");
        var account = CreatioRow("Account", accountId);
        Assert.Equal(("Fjord Freight AS", "+47 555 0101", "Oslo", "0150", "C-5001"),
            (account["Name"], account["Phone"], account["Address"], account["Zip"], account["UsrIntacctCustomerId"]));
        Assert.Equal(IntacctSyncStatus.Synced, account["UsrIntacctSyncStatus"]);
        Assert.Equal(accountId.ToString(), IntacctRecord("CUSTOMER", "CUSTOMERID", "C-5001").Element("ACCOUNTID")!.Value);
        var binding = Assert.Single((await AdminClient().GetFromJsonAsync<Binding[]>("/api/bindings?kind=account-customer", Cancellation))!);
        Assert.Equal((accountId.ToString(), "C-5001"), (binding.CreatioId, binding.IntacctId));

        // The ACCOUNTID write-back moved the customer's WHENMODIFIED; the account our pull made moved its ModifiedOn.
        // Neither comes back as a change.
        var accountModified = CreatioRow("Account", accountId)["ModifiedOn"];
        var customerModified = IntacctRecord("CUSTOMER", "CUSTOMERID", "C-5001").Element("WHENMODIFIED")!.Value;
        var again = await RunAsync("intacct-customers");
        var push = await RunAsync("creatio-accounts");

        Assert.Equal((1, 0, 0, 1), (again.ReadCount, again.CreatedCount, again.UpdatedCount, again.UnchangedCount));
        Assert.Equal((1, 0, 0, 1, 0), (push.ReadCount, push.CreatedCount, push.UpdatedCount, push.UnchangedCount, push.FailedCount));
        Assert.Equal(push.ReadCount, push.TotalCount); // Creatio's $count on the first page
        Assert.Equal(accountModified, CreatioRow("Account", accountId)["ModifiedOn"]);
        Assert.Equal(customerModified, IntacctRecord("CUSTOMER", "CUSTOMERID", "C-5001").Element("WHENMODIFIED")!.Value);
        Assert.Equal(5, Creatio.Data.Rows("Account").Count); // the four demo accounts and this one
    }

    [Fact]
    public async Task A_crash_before_the_binding_was_recorded_makes_no_second_account()
    {
        IntacctDirect.Create(Intacct, FjordFreight());
        await RunAsync("intacct-customers");

        // What a crash right after the account's create leaves: no binding, no link, no ACCOUNTID in Intacct.
        await using (var store = TestStore.OpenStore())
        await using (var connection = await store.OpenAsync(Cancellation))
            await connection.ExecuteAsync("delete from bindings; delete from flow_links; update flows set watermark = null");
        IntacctDirect.Update(Intacct, "CUSTOMER", ("CUSTOMERID", "C-5001"), ("ACCOUNTID", ""));

        var rerun = await RunAsync("intacct-customers");

        Assert.Equal((1, 0, 0), (rerun.ReadCount, rerun.CreatedCount, rerun.FailedCount));
        var accountId = PullFromIntacct.TargetIdFor("intacct-customers", "C-5001");
        Assert.Single(Creatio.Data.Rows("Account"), a => (string?)a["UsrIntacctCustomerId"] == "C-5001");
        Assert.Equal(accountId.ToString(), IntacctRecord("CUSTOMER", "CUSTOMERID", "C-5001").Element("ACCOUNTID")!.Value);
        Assert.Single((await AdminClient().GetFromJsonAsync<Binding[]>("/api/bindings?kind=account-customer", Cancellation))!);
    }

    [Fact]
    public async Task An_account_edited_in_Creatio_reaches_its_customer_and_does_not_come_back()
    {
        await SyncAsync("accounts", OBrien);
        var customerId = (string)CreatioRow("Account", OBrien)["UsrIntacctCustomerId"]!;

        EditInCreatio("Account", OBrien, new JsonObject { ["Name"] = "O'Brien & Sons Ltd", ["Phone"] = "+353 1 555 0199", ["Zip"] = "D02 X285" });
        var push = await RunAsync("creatio-accounts");

        // Scope "linked": the three other demo accounts are not paired and are left alone.
        Assert.Equal((RunState.Succeeded, 1, 1, 0), (push.State, push.ReadCount, push.UpdatedCount, push.FailedCount));
        Assert.Single(Intacct.Gateway.Company.All("CUSTOMER"));
        var customer = IntacctRecord("CUSTOMER", "CUSTOMERID", customerId);
        Assert.Equal("O'Brien & Sons Ltd", customer.Element("NAME")!.Value);
        Assert.Equal("+353 1 555 0199", customer.Element("DISPLAYCONTACT")!.Element("PHONE1")!.Value);
        Assert.Equal("D02 X285", customer.Element("DISPLAYCONTACT")!.Element("MAILADDRESS")!.Element("ZIP")!.Value);
        Assert.Equal("Dublin", customer.Element("DISPLAYCONTACT")!.Element("MAILADDRESS")!.Element("ADDRESS1")!.Value);
        var records = await AdminClient().GetFromJsonAsync<FlowRunRecord[]>($"/api/runs/{push.Id}/records", Cancellation);
        Assert.Equal((OBrien.ToString(), customerId, RecordAction.Updated), (records![0].SourceKey, records[0].TargetKey, records[0].Action));

        var customerModified = customer.Element("WHENMODIFIED")!.Value;
        var accountModified = CreatioRow("Account", OBrien)["ModifiedOn"];
        var pushAgain = await RunAsync("creatio-accounts");
        var pull = await RunAsync("intacct-customers");

        Assert.Equal((1, 0, 1), (pushAgain.ReadCount, pushAgain.UpdatedCount, pushAgain.UnchangedCount));
        Assert.Equal((1, 0, 0, 1), (pull.ReadCount, pull.CreatedCount, pull.UpdatedCount, pull.UnchangedCount));
        Assert.Equal(customerModified, IntacctRecord("CUSTOMER", "CUSTOMERID", customerId).Element("WHENMODIFIED")!.Value);
        Assert.Equal(accountModified, CreatioRow("Account", OBrien)["ModifiedOn"]);
    }

    [Fact]
    public async Task Each_run_record_keeps_the_fields_it_wrote_with_old_and_new_values_and_the_history_shows_them()
    {
        await SyncAsync("accounts", OBrien);
        var customerId = (string)CreatioRow("Account", OBrien)["UsrIntacctCustomerId"]!;

        EditInCreatio("Account", OBrien, new JsonObject { ["Phone"] = "+1 555 0199" });
        var push = await RunAsync("creatio-accounts");
        IntacctDirect.Update(Intacct, new XElement("CUSTOMER", new XElement("CUSTOMERID", customerId), new XElement("DISPLAYCONTACT", new XElement("URL1", "https://obrien.example"))));
        var pull = await RunAsync("intacct-customers");

        var pushed = Assert.Single((await AdminClient().GetFromJsonAsync<FlowRunRecord[]>($"/api/runs/{push.Id}/records", Cancellation))!);
        Assert.Equal([new FieldChange("DISPLAYCONTACT/PHONE1", "+1 555 0100", "+1 555 0199")], pushed.Changes);
        var pulled = Assert.Single((await AdminClient().GetFromJsonAsync<FlowRunRecord[]>($"/api/runs/{pull.Id}/records", Cancellation))!);
        Assert.Equal([new FieldChange("Web", "", "https://obrien.example")], pulled.Changes);

        IntacctDirect.Create(Intacct, FjordFreight());
        var created = await RunAsync("intacct-customers");
        var made = Assert.Single((await AdminClient().GetFromJsonAsync<FlowRunRecord[]>($"/api/runs/{created.Id}/records", Cancellation))!, r => r.Action == RecordAction.Created);
        Assert.Contains(new FieldChange("Phone", null, "+47 555 0101"), made.Changes);
        Assert.Contains(new FieldChange("Name", null, "Fjord Freight AS"), made.Changes);

        var history = (await AdminClient().GetFromJsonAsync<RecordHistoryEntry[]>($"/api/runs/records?key={OBrien}", Cancellation))!;
        Assert.Contains(history, e => e.RunId == push.Id && e.Changes.SequenceEqual([new FieldChange("DISPLAYCONTACT/PHONE1", "+1 555 0100", "+1 555 0199")]));
        Assert.Contains(history, e => e.RunId == pull.Id && e.Changes.Single().Field == "Web");
        Assert.All(history.Where(e => e.Action == RecordAction.Unchanged), e => Assert.Empty(e.Changes));
    }

    [Fact]
    public async Task A_customer_touched_in_Intacct_for_another_reason_does_not_put_back_old_values()
    {
        await SyncAsync("accounts", OBrien);
        var customerId = (string)CreatioRow("Account", OBrien)["UsrIntacctCustomerId"]!;
        Assert.Equal("+1 555 0100", IntacctRecord("CUSTOMER", "CUSTOMERID", customerId).Element("DISPLAYCONTACT")!.Element("PHONE1")!.Value);

        // Sales changes the phone in Creatio; before the push runs, finance edits the customer's credit limit.
        EditInCreatio("Account", OBrien, new JsonObject { ["Phone"] = "+1 555 0200" });
        IntacctDirect.Update(Intacct, "CUSTOMER", ("CUSTOMERID", customerId), ("CREDITLIMIT", "5000"));
        var pull = await RunAsync("intacct-customers");
        var push = await RunAsync("creatio-accounts");

        Assert.Equal((1, 0, 1), (pull.ReadCount, pull.UpdatedCount, pull.UnchangedCount));
        Assert.Equal("+1 555 0200", CreatioRow("Account", OBrien)["Phone"]);
        Assert.Equal((1, 1), (push.ReadCount, push.UpdatedCount));
        Assert.Equal("+1 555 0200", IntacctRecord("CUSTOMER", "CUSTOMERID", customerId).Element("DISPLAYCONTACT")!.Element("PHONE1")!.Value);
    }

    [Fact]
    public async Task A_first_pairing_fills_gaps_and_never_blanks_a_value()
    {
        // A customer already linked in Intacct by ACCOUNTID, without the phone or address the account has.
        await IntacctDirect.CreateAsync(Intacct, "CUSTOMER", ("CUSTOMERID", "C-7001"), ("NAME", "O'Brien & Sons"), ("STATUS", "active"), ("ACCOUNTID", OBrien.ToString()));
        IntacctDirect.Update(Intacct, new XElement("CUSTOMER", new XElement("CUSTOMERID", "C-7001"), new XElement("DISPLAYCONTACT", new XElement("URL1", "https://obrien.example"))));

        var pull = await RunAsync("intacct-customers");

        Assert.Equal((1, 1, 0), (pull.ReadCount, pull.UpdatedCount, pull.FailedCount));
        var account = CreatioRow("Account", OBrien);
        Assert.Equal(("+1 555 0100", "Dublin", "https://obrien.example", "C-7001"), (account["Phone"], account["Address"], account["Web"], account["UsrIntacctCustomerId"]));

        var push = await RunAsync("creatio-accounts");

        Assert.Equal((1, 1), (push.ReadCount, push.UpdatedCount));
        var contact = IntacctRecord("CUSTOMER", "CUSTOMERID", "C-7001").Element("DISPLAYCONTACT")!;
        Assert.Equal(("+1 555 0100", "Dublin", "https://obrien.example"), (contact.Element("PHONE1")!.Value, contact.Element("MAILADDRESS")!.Element("ADDRESS1")!.Value, contact.Element("URL1")!.Value));
    }

    [Fact]
    public async Task The_name_stays_with_Creatio_and_the_price_with_Intacct()
    {
        await SyncAsync("accounts", OBrien);
        var customerId = (string)CreatioRow("Account", OBrien)["UsrIntacctCustomerId"]!;
        IntacctDirect.Update(Intacct, new XElement("CUSTOMER", new XElement("CUSTOMERID", customerId), new XElement("NAME", "OBRIEN AND SONS (AR)"),
            new XElement("DISPLAYCONTACT", new XElement("PHONE1", "+353 1 555 0123"))));

        var customers = await RunAsync("intacct-customers");

        Assert.Equal((1, 1), (customers.ReadCount, customers.UpdatedCount));
        Assert.Equal(("O'Brien & Sons <UK>", "+353 1 555 0123"), (CreatioRow("Account", OBrien)["Name"], CreatioRow("Account", OBrien)["Phone"]));

        await SyncAsync("products", Widget);
        IntacctDirect.Update(Intacct, "ITEM", ("ITEMID", "WIDGET-STD"), ("BASEPRICE", "52.00"), ("NAME", "WIDGET STANDARD"));
        var items = await RunAsync("intacct-items");

        Assert.Equal((1, 1), (items.ReadCount, items.UpdatedCount));
        Assert.Equal((52.00m, "Standard Widget"), (CreatioRow("Product", Widget)["Price"], CreatioRow("Product", Widget)["Name"]));

        // A price typed in Creatio does not reach Intacct; the name Creatio owns is put back over Intacct's edit.
        EditInCreatio("Product", Widget, new JsonObject { ["Price"] = 60m });
        var products = await RunAsync("creatio-products");

        Assert.Equal((1, 1), (products.ReadCount, products.UpdatedCount));
        var item = IntacctRecord("ITEM", "ITEMID", "WIDGET-STD");
        Assert.Equal(("Standard Widget", 52m), (item.Element("NAME")!.Value, decimal.Parse(item.Element("BASEPRICE")!.Value, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public async Task Scope_all_pairs_every_changed_account_once_and_a_bad_scope_is_refused()
    {
        var linkedOnly = await RunAsync("creatio-accounts");
        Assert.Equal((RunState.Succeeded, 0), (linkedOnly.State, linkedOnly.ReadCount));
        Assert.Empty(Intacct.Gateway.Company.All("CUSTOMER"));

        var flow = await AdminClient().GetFromJsonAsync<JsonObject>("/api/flows/creatio-accounts", Cancellation);
        Assert.Equal(("push", "account-customer", "linked"), ((string?)flow!["kind"], (string?)flow["binding"], (string?)flow["settings"]!["scope"]));
        var bad = await AdminClient().PutAsJsonAsync("/api/flows/creatio-accounts", new { settings = new { scope = "everything" } }, Cancellation);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var put = await AdminClient().PutAsJsonAsync("/api/flows/creatio-accounts", new { settings = new { scope = "all" } }, Cancellation);
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);

        var all = await RunAsync("creatio-accounts");
        var again = await RunAsync("creatio-accounts");

        Assert.Equal((4, 4, 0), (all.ReadCount, all.CreatedCount, all.FailedCount));
        var customers = Intacct.Gateway.Company.All("CUSTOMER");
        Assert.Equal(4, customers.Count);
        Assert.All(Creatio.Data.Rows("Account"), account =>
        {
            var customer = Assert.Single(customers, c => c.Element("ACCOUNTID")!.Value == account["Id"]!.ToString());
            Assert.Equal(customer.Element("CUSTOMERID")!.Value, account["UsrIntacctCustomerId"]);
            Assert.Equal(account["Phone"], customer.Element("DISPLAYCONTACT")!.Element("PHONE1")!.Value);
        });
        Assert.Equal((4, 0, 0), (again.ReadCount, again.CreatedCount, again.FailedCount));
        Assert.Equal(4, Intacct.Gateway.Company.All("CUSTOMER").Count);
    }

    [Fact]
    public async Task An_item_nobody_paired_waits_in_the_queue_when_the_flow_may_not_create_products()
    {
        var put = await AdminClient().PutAsJsonAsync("/api/flows/intacct-items", new { settings = new { createInCreatio = "false" } }, Cancellation);
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        await IntacctDirect.CreateAsync(Intacct, "ITEM", ("ITEMID", "GADGET-9"), ("NAME", "Gadget 9"), ("STATUS", "active"), ("BASEPRICE", "19.99"));

        var refused = await RunAsync("intacct-items");

        Assert.Equal((1, 1), (refused.ReadCount, refused.FailedCount));
        Assert.Equal(3, Creatio.Data.Rows("Product").Count);
        var error = Assert.Single((await AdminClient().GetFromJsonAsync<SyncError[]>("/api/errors", Cancellation))!);
        Assert.Equal(("intacct-items", "GADGET-9", "not-linked"), (error.FlowId, error.RecordKey, error.ErrorKind));
        Assert.Contains("createInCreatio", error.Hint);

        await AdminClient().PutAsJsonAsync("/api/flows/intacct-items", new { settings = new { createInCreatio = "true" } }, Cancellation);
        var retried = await AdminClient().PostAsync($"/api/errors/{error.Id}/retry", null, Cancellation);

        Assert.Equal(ErrorStatus.Resolved, (await retried.Content.ReadFromJsonAsync<SyncError>(Cancellation))!.Status);
        var productId = PullFromIntacct.TargetIdFor("intacct-items", "GADGET-9");
        Assert.Equal(("Gadget 9", 19.99m, "GADGET-9"), (CreatioRow("Product", productId)["Name"], CreatioRow("Product", productId)["Price"], CreatioRow("Product", productId)["UsrIntacctItemId"]));
        Assert.Equal(productId.ToString(), IntacctRecord("ITEM", "ITEMID", "GADGET-9").Element("PRODUCTID")!.Value);
        Assert.Equal(Interweave.Simulators.Creatio.CreatioDemoSeed.UsdCurrency, CreatioRow("Product", productId)["Currency"]); // Creatio requires one
    }

    [Fact]
    public async Task A_refused_Sync_with_Intacct_answers_with_Intacct_words_and_marks_the_product()
    {
        await SyncAsync("products", Widget);
        EditInCreatio("Product", Widget, new JsonObject { ["Name"] = new string('W', 101) });

        var response = await AdminClient().PostAsync($"/api/products/{Widget}/sync", null, Cancellation);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync(Cancellation))!;
        Assert.Contains("longer than 100", (string?)problem["detail"]);
        Assert.NotNull((string?)problem["intacctErrors"]![0]!["errorNo"]);
        Assert.Equal(IntacctSyncStatus.Error, CreatioRow("Product", Widget)["UsrIntacctSyncStatus"]);
        Assert.Contains("longer than 100", (string?)CreatioRow("Product", Widget)["UsrIntacctLastSyncError"]);
        Assert.Equal("Standard Widget", IntacctRecord("ITEM", "ITEMID", "WIDGET-STD").Element("NAME")!.Value);
    }

    [Fact]
    public async Task A_run_that_fails_part_way_counts_what_it_wrote()
    {
        var accountEntity = Creatio.Data.Model.Find("Account")!;
        lock (Creatio.Data.Lock)
            for (var i = 0; i < 150; i++)
                Creatio.Data.Insert(accountEntity, new JsonObject { ["Name"] = $"Bulk account {i:000}" }, CreatioData.SupervisorId);
        Assert.Equal(HttpStatusCode.OK, (await AdminClient().PutAsJsonAsync("/api/flows/creatio-accounts", new { settings = new { scope = "all" } }, Cancellation)).StatusCode);
        Sidecar.Services.GetRequiredService<IOptions<FlowOptions>>().Value.PageSize = 50;
        Intacct.Options.LatencyMs = 5; // time to see the run under way
        Intacct.Options.FaultTimeoutMs = 10;

        var started = await AdminClient().PostAsync("/api/flows/creatio-accounts/runs", null, Cancellation);
        var location = started.Headers.Location!.ToString();
        var runId = (await started.Content.ReadFromJsonAsync<FlowRun>(Cancellation))!.Id;
        var flows = Sidecar.Services.GetRequiredService<FlowStore>();
        // Records are written and logged a page at a time (50 here): the first page is in before Intacct goes down.
        await Eventually.UntilAsync(() => flows.ListRunRecordsAsync(runId, Cancellation), r => r.Count >= 50, TimeSpan.FromSeconds(60),
            "the first page written", Cancellation);
        Intacct.Options.FaultRate = 1; // Intacct goes down for good: the run ends failed after its retries
        var failed = (await Eventually.UntilAsync(() => AdminClient().GetFromJsonAsync<FlowRun>(location, Cancellation),
            r => r!.State != RunState.Running, TimeSpan.FromSeconds(60), "the end of the run", Cancellation))!;
        Intacct.Options.FaultRate = 0;

        var logged = await flows.ListRunRecordsAsync(runId, Cancellation);
        Assert.Equal(RunState.Failed, failed.State);
        Assert.InRange(failed.CreatedCount, 50, 149);
        Assert.Equal(logged.Count(r => r.Action == RecordAction.Created), failed.CreatedCount);
        Assert.Equal(logged.Count, failed.ReadCount);
        Assert.True(Intacct.Gateway.Company.All("CUSTOMER").Count >= failed.CreatedCount);
    }

    [Fact]
    public async Task A_refused_push_queues_one_error_marks_the_account_and_is_not_retried_blindly()
    {
        await SyncAsync("accounts", OBrien);
        EditInCreatio("Account", OBrien, new JsonObject { ["Name"] = new string('O', 120) });

        var failed = await RunAsync("creatio-accounts");

        Assert.Equal((RunState.Failed, 1, 1, 0), (failed.State, failed.ReadCount, failed.FailedCount, failed.UpdatedCount)); // it said "succeeded"
        var error = Assert.Single((await AdminClient().GetFromJsonAsync<SyncError[]>("/api/errors", Cancellation))!);
        Assert.Equal(("creatio-accounts", OBrien.ToString(), "Intacct", OBrien.ToString()), (error.FlowId, error.RecordKey, error.System, error.AccountId));
        Assert.NotNull(error.ErrorNo);
        Assert.Contains("longer than 100", error.Message);
        Assert.Equal(IntacctSyncStatus.Error, CreatioRow("Account", OBrien)["UsrIntacctSyncStatus"]);
        Assert.Contains("longer than 100", (string?)CreatioRow("Account", OBrien)["UsrIntacctLastSyncError"]);
        Assert.Equal(OBrien, Assert.Single(Creatio.Data.Rows("Case"))["Account"]);

        // Our own status write moved the account's ModifiedOn; the same values are not sent to Intacct again.
        var calls = Intacct.Gateway.FunctionCounts.GetValueOrDefault("update");
        var next = await RunAsync("creatio-accounts");
        Assert.Equal((RunState.Succeeded, 1, 0, 1), (next.State, next.ReadCount, next.FailedCount, next.UnchangedCount));
        Assert.Equal(calls, Intacct.Gateway.FunctionCounts.GetValueOrDefault("update"));
        Assert.Equal(1, Assert.Single((await AdminClient().GetFromJsonAsync<SyncError[]>("/api/errors", Cancellation))!).Occurrences);

        EditInCreatio("Account", OBrien, new JsonObject { ["Name"] = "O'Brien & Sons (Ireland)" });
        var retried = await AdminClient().PostAsync($"/api/errors/{error.Id}/retry", null, Cancellation);

        Assert.Equal(ErrorStatus.Resolved, (await retried.Content.ReadFromJsonAsync<SyncError>(Cancellation))!.Status);
        Assert.Equal("O'Brien & Sons (Ireland)", IntacctRecord("CUSTOMER", "CUSTOMERID", (string)CreatioRow("Account", OBrien)["UsrIntacctCustomerId"]!).Element("NAME")!.Value);
        Assert.Equal((IntacctSyncStatus.Synced, ""), (CreatioRow("Account", OBrien)["UsrIntacctSyncStatus"], CreatioRow("Account", OBrien)["UsrIntacctLastSyncError"]));

        // A pull that finds nothing to change still clears a failure shown on the record.
        EditInCreatio("Account", OBrien, new JsonObject { ["UsrIntacctSyncStatusId"] = IntacctSyncStatus.Error.ToString(), ["UsrIntacctLastSyncError"] = "stale" });
        var pull = await RunAsync("intacct-customers");
        Assert.Equal((1, 0), (pull.ReadCount, pull.FailedCount));
        Assert.Equal((IntacctSyncStatus.Synced, ""), (CreatioRow("Account", OBrien)["UsrIntacctSyncStatus"], CreatioRow("Account", OBrien)["UsrIntacctLastSyncError"]));
    }
}
