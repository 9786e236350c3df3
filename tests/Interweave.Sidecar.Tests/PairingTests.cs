using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using Interweave.Sidecar.Api.Contracts;
using Interweave.Sidecar.Creatio;
using Interweave.Sidecar.Flows.Engine;
using Interweave.Sidecar.Storage;
using Interweave.Sidecar.Tests.Infrastructure;
using Interweave.Simulators.Creatio;

namespace Interweave.Sidecar.Tests;

/// <summary>
/// Who may pair a Creatio record with an Intacct record (security review 2026-12-07, F1): a committed binding run, an
/// admin's link call, or the Intacct record's own key field naming the Creatio row. An Intacct id typed on the Creatio
/// side alone pairs nothing. Against the demo company, where C-1005 and SUB-ANNUAL are not linked to anything.
/// </summary>
public abstract class PairingTests(StoreProvider provider, PostgresServer postgres) : SimulatedSystemsTestBase(provider, postgres, intacctRandomSeed: 11, intacctSeed: "demo")
{
    public sealed class OnSqlite(PostgresServer postgres) : PairingTests(StoreProvider.Sqlite, postgres);

    public sealed class OnPostgres(PostgresServer postgres) : PairingTests(StoreProvider.Postgres, postgres);

    private static readonly Guid Attacker = Guid.Parse("e0000000-0000-4000-8000-0000000000e2");
    private static readonly Guid KnockOff = Guid.Parse("e0000000-0000-4000-8000-0000000000a1");
    private static readonly Guid OBrien = Guid.Parse("a0000000-0000-4000-8000-000000000001");
    private static readonly Guid Widget = Guid.Parse("b0000000-0000-4000-8000-000000000001");

    private string IntacctRecordText(string objectName, string idField, string id) =>
        Intacct.Gateway.Company.All(objectName).Single(r => r.Element(idField)?.Value == id).ToString(SaveOptions.DisableFormatting);

    private Dictionary<string, object?> CreatioRow(string entity, Guid id) => Creatio.Data.Find(entity, id)!;

    private void Insert(string entity, JsonObject values)
    {
        lock (Creatio.Data.Lock) Creatio.Data.Insert(Creatio.Data.Model.Find(entity)!, values, CreatioData.SupervisorId);
    }

    private void InsertAttacker() => Insert("Account", new JsonObject
    {
        ["Id"] = Attacker.ToString(),
        ["Name"] = "Attacker Ltd",
        ["Phone"] = "+1 666 0000",
        ["Address"] = "1 Attacker Street",
        ["UsrIntacctCustomerId"] = "C-1005",
    });

    private void InsertKnockOff() => Insert("Product", new JsonObject
    {
        ["Id"] = KnockOff.ToString(),
        ["Name"] = "Cheap knock-off",
        ["Price"] = 1m,
        ["CurrencyId"] = CreatioDemoSeed.UsdCurrency.ToString(),
        ["UsrIntacctItemId"] = "SUB-ANNUAL",
    });

    /// <summary>An opportunity of the account with one line of the product, as a sales rep makes it.</summary>
    private Guid InsertOpportunity(Guid account, Guid product)
    {
        var id = Guid.NewGuid();
        Insert("Opportunity", new JsonObject { ["Id"] = id.ToString(), ["Title"] = "Order " + id.ToString("N")[..6], ["AccountId"] = account.ToString() });
        Insert("OpportunityProductInterest", new JsonObject { ["OpportunityId"] = id.ToString(), ["ProductId"] = product.ToString(), ["Quantity"] = 100m, ["Price"] = 49.50m });
        return id;
    }

    private async Task<HttpClient> CreatioKeyClientAsync() => Sidecar.CreateClient((await CreateKeyAsync("creatio-package", "creatio")).Key);

    private static async Task AssertNotLinkedAsync(HttpResponseMessage response, string intacctId)
    {
        var body = await response.Content.ReadAsStringAsync(Cancellation);
        Assert.True(response.StatusCode == HttpStatusCode.UnprocessableEntity, body);
        var problem = JsonNode.Parse(body)!;
        Assert.Contains("not linked", (string?)problem["detail"]);
        Assert.Contains(intacctId, (string?)problem["detail"]);
        Assert.Contains("/api/bindings/", (string?)problem["detail"] + (string?)problem["hint"]);
    }

    private async Task<SyncError> OpenErrorAsync(string flowId, Guid record) =>
        Assert.Single((await AdminClient().GetFromJsonAsync<SyncError[]>("/api/errors", Cancellation))!,
            e => e.FlowId == flowId && e.RecordKey == record.ToString() && e.Status == ErrorStatus.Open);

    [Fact]
    public async Task An_account_naming_an_unlinked_customer_is_not_linked_by_Sync_a_run_or_Send_to_Intacct()
    {
        InsertAttacker();
        var before = IntacctRecordText("CUSTOMER", "CUSTOMERID", "C-1005");
        var creatio = await CreatioKeyClientAsync();

        await AssertNotLinkedAsync(await creatio.PostAsync($"/api/accounts/{Attacker}/sync", null, Cancellation), "C-1005");
        var error = await OpenErrorAsync("creatio-accounts", Attacker);
        Assert.Equal("not-linked", error.ErrorKind);
        Assert.Contains("binding run", error.Hint);

        var run = await RunAsync("creatio-accounts");
        Assert.Equal((1, 0, 1), (run.ReadCount, run.UpdatedCount, run.FailedCount));

        var opportunity = InsertOpportunity(Attacker, Widget);
        await AssertNotLinkedAsync(await creatio.PostAsync($"/api/opportunities/{opportunity}/send-to-intacct", null, Cancellation), "C-1005");

        Assert.Equal(before, IntacctRecordText("CUSTOMER", "CUSTOMERID", "C-1005"));
        Assert.Empty(Intacct.Gateway.Company.All("SODOCUMENT"));
        Assert.Equal(5, Intacct.Gateway.Company.All("CUSTOMER").Count);
        Assert.DoesNotContain((await AdminClient().GetFromJsonAsync<Binding[]>("/api/bindings", Cancellation))!, b => b.CreatioId == Attacker.ToString());
        Assert.Equal("C-1005", CreatioRow("Account", Attacker)["UsrIntacctCustomerId"]);
        Assert.Equal(1, (await AdminClient().GetFromJsonAsync<SyncError[]>("/api/errors", Cancellation))!.Count(e => e.RecordKey == Attacker.ToString()));
    }

    [Fact]
    public async Task A_product_naming_an_unlinked_item_is_not_linked_by_Sync_a_run_or_Send_to_Intacct()
    {
        InsertKnockOff();
        var before = IntacctRecordText("ITEM", "ITEMID", "SUB-ANNUAL");
        var creatio = await CreatioKeyClientAsync();

        await AssertNotLinkedAsync(await creatio.PostAsync($"/api/products/{KnockOff}/sync", null, Cancellation), "SUB-ANNUAL");
        Assert.Equal("not-linked", (await OpenErrorAsync("creatio-products", KnockOff)).ErrorKind);

        var run = await RunAsync("creatio-products");
        Assert.Equal((1, 0, 1), (run.ReadCount, run.UpdatedCount, run.FailedCount));

        // O'Brien & Sons is linked (C-1001 names it in ACCOUNTID); the knock-off on its order is not.
        var opportunity = InsertOpportunity(OBrien, KnockOff);
        await AssertNotLinkedAsync(await creatio.PostAsync($"/api/opportunities/{opportunity}/send-to-intacct", null, Cancellation), "SUB-ANNUAL");

        Assert.Equal(before, IntacctRecordText("ITEM", "ITEMID", "SUB-ANNUAL"));
        Assert.Empty(Intacct.Gateway.Company.All("SODOCUMENT"));
        Assert.Equal(4, Intacct.Gateway.Company.All("ITEM").Count);
        Assert.DoesNotContain((await AdminClient().GetFromJsonAsync<Binding[]>("/api/bindings", Cancellation))!, b => b.CreatioId == KnockOff.ToString());
    }

    [Fact]
    public async Task A_Creatio_id_that_Intacct_confirms_in_its_key_field_pairs()
    {
        // C-1001 names O'Brien & Sons in ACCOUNTID (holder == key): the id on the account agrees with Intacct.
        EditInCreatio("Account", OBrien, new JsonObject { ["UsrIntacctCustomerId"] = "C-1001" });

        var response = await (await CreatioKeyClientAsync()).PostAsync($"/api/accounts/{OBrien}/sync", null, Cancellation);

        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync(Cancellation));
        Assert.Equal("C-1001", (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync(Cancellation))!["intacctId"]);
        Assert.Contains((await AdminClient().GetFromJsonAsync<Binding[]>("/api/bindings", Cancellation))!, b => b.CreatioId == OBrien.ToString() && b.IntacctId == "C-1001");
    }

    [Fact]
    public async Task An_admin_links_an_account_to_its_customer_and_the_queued_refusal_then_goes_through()
    {
        InsertAttacker(); // read here as a real account whose customer finance made before Interweave was installed
        await (await CreatioKeyClientAsync()).PostAsync($"/api/accounts/{Attacker}/sync", null, Cancellation);
        var error = await OpenErrorAsync("creatio-accounts", Attacker);

        var linked = await AdminClient().PutAsJsonAsync($"/api/bindings/account-customer/{Attacker}", new { intacctId = "C-1005" }, Cancellation);

        Assert.True(linked.StatusCode == HttpStatusCode.OK, await linked.Content.ReadAsStringAsync(Cancellation));
        var binding = (await linked.Content.ReadFromJsonAsync<Binding>(Cancellation))!;
        Assert.Equal(("account-customer", Attacker.ToString(), "C-1005"), (binding.Kind, binding.CreatioId, binding.IntacctId));
        Assert.Equal(Attacker.ToString(), Intacct.Gateway.Company.All("CUSTOMER").Single(c => c.Element("CUSTOMERID")!.Value == "C-1005").Element("ACCOUNTID")!.Value);
        Assert.Equal(("C-1005", IntacctSyncStatus.Synced), (CreatioRow("Account", Attacker)["UsrIntacctCustomerId"], CreatioRow("Account", Attacker)["UsrIntacctSyncStatus"]));
        Assert.Equal(HttpStatusCode.OK, (await AdminClient().PutAsJsonAsync($"/api/bindings/account-customer/{Attacker}", new { intacctId = "C-1005" }, Cancellation)).StatusCode);

        var retried = await AdminClient().PostAsync($"/api/errors/{error.Id}/retry", null, Cancellation);

        Assert.Equal(ErrorStatus.Resolved, (await retried.Content.ReadFromJsonAsync<SyncError>(Cancellation))!.Status);
        Assert.Contains("<NAME>Attacker Ltd</NAME>", IntacctRecordText("CUSTOMER", "CUSTOMERID", "C-1005"));
        var send = await AdminClient().PostAsync($"/api/opportunities/{InsertOpportunity(Attacker, Widget)}/send-to-intacct", null, Cancellation);
        Assert.True(send.StatusCode == HttpStatusCode.OK, await send.Content.ReadAsStringAsync(Cancellation));
        Assert.Equal("C-1005", Assert.Single(Intacct.Gateway.Company.All("SODOCUMENT")).Element("CUSTVENDID")!.Value);
    }

    [Fact]
    public async Task The_link_call_is_for_admins_checks_both_records_never_moves_a_link_and_unlinks_both_sides()
    {
        InsertKnockOff();
        var before = IntacctRecordText("ITEM", "ITEMID", "SUB-ANNUAL");
        var creatio = await CreatioKeyClientAsync();
        Assert.Equal(HttpStatusCode.Forbidden, (await creatio.PutAsJsonAsync($"/api/bindings/product-item/{KnockOff}", new { intacctId = "SUB-ANNUAL" }, Cancellation)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await creatio.DeleteAsync($"/api/bindings/product-item/{Widget}", Cancellation)).StatusCode);

        async Task<(HttpStatusCode, JsonNode?)> LinkAsync(string kind, Guid id, object? body)
        {
            var response = body is null
                ? await AdminClient().PutAsync($"/api/bindings/{kind}/{id}", null, Cancellation)
                : await AdminClient().PutAsJsonAsync($"/api/bindings/{kind}/{id}", body, Cancellation);
            return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync(Cancellation) is { Length: > 0 } text ? text : "null"));
        }

        var (status, problem) = await LinkAsync("opportunity-document", KnockOff, new { intacctId = "SUB-ANNUAL" });
        Assert.Equal((HttpStatusCode.BadRequest, true), (status, problem!["errors"]!.AsObject().ContainsKey("kind")));
        (status, problem) = await LinkAsync("product-item", KnockOff, new { intacctId = " " });
        Assert.Equal((HttpStatusCode.BadRequest, true), (status, problem!["errors"]!.AsObject().ContainsKey("intacctId")));
        Assert.Equal(HttpStatusCode.BadRequest, (await LinkAsync("product-item", KnockOff, null)).Item1);
        Assert.Equal(HttpStatusCode.NotFound, (await LinkAsync("product-item", Guid.NewGuid(), new { intacctId = "SUB-ANNUAL" })).Item1);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await LinkAsync("product-item", KnockOff, new { intacctId = "NO-SUCH-ITEM" })).Item1);
        (status, problem) = await LinkAsync("product-item", KnockOff, new { intacctId = "WIDGET-STD" }); // PRODUCTID names the Standard Widget
        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Contains(Widget.ToString(), (string?)problem!["detail"]);
        Assert.Equal(before, IntacctRecordText("ITEM", "ITEMID", "SUB-ANNUAL"));
        Assert.DoesNotContain((await AdminClient().GetFromJsonAsync<Binding[]>("/api/bindings", Cancellation))!, b => b.CreatioId == KnockOff.ToString());

        Assert.Equal(HttpStatusCode.OK, (await LinkAsync("product-item", KnockOff, new { intacctId = "SUB-ANNUAL" })).Item1);
        Assert.Equal(HttpStatusCode.Conflict, (await LinkAsync("product-item", Widget, new { intacctId = "SUB-ANNUAL" })).Item1);
        Assert.Equal(HttpStatusCode.Conflict, (await LinkAsync("product-item", KnockOff, new { intacctId = "WIDGET-PRO" })).Item1);
        Assert.Contains($"<PRODUCTID>{KnockOff}</PRODUCTID>", IntacctRecordText("ITEM", "ITEMID", "SUB-ANNUAL"));

        Assert.Equal(HttpStatusCode.NoContent, (await AdminClient().DeleteAsync($"/api/bindings/product-item/{KnockOff}", Cancellation)).StatusCode);

        Assert.DoesNotContain(KnockOff.ToString(), IntacctRecordText("ITEM", "ITEMID", "SUB-ANNUAL"));
        Assert.True(string.IsNullOrEmpty((string?)CreatioRow("Product", KnockOff)["UsrIntacctItemId"]));
        Assert.DoesNotContain((await AdminClient().GetFromJsonAsync<Binding[]>("/api/bindings", Cancellation))!, b => b.CreatioId == KnockOff.ToString());
        Assert.Equal(HttpStatusCode.NotFound, (await AdminClient().DeleteAsync($"/api/bindings/product-item/{KnockOff}", Cancellation)).StatusCode);
    }

    [Fact]
    public async Task Markup_typed_into_a_record_reaches_its_support_Case_as_text()
    {
        // Security review F2: a Case's Symptoms is rich text in Creatio, so a label or message must not carry markup into it.
        var hostile = Guid.Parse("e0000000-0000-4000-8000-0000000000e7");
        Insert("Account", new JsonObject
        {
            ["Id"] = hostile.ToString(),
            ["Name"] = "<svg onload=\"window.__xss=2\">Label Co",
            ["UsrIntacctCustomerId"] = "<iframe srcdoc=\"<script>parent.__xss=3</script>\">",
        });

        var run = await RunAsync("creatio-accounts");

        Assert.Equal(1, run.FailedCount);
        var raised = Assert.Single(Creatio.Data.Rows("Case"));
        var (subject, symptoms) = ((string)raised["Subject"]!, (string)raised["Symptoms"]!);
        Assert.DoesNotContain("<", subject);
        Assert.DoesNotContain(">", subject);
        Assert.Contains("svg onload=\"window.__xss=2\"Label Co", subject);
        Assert.DoesNotContain("<iframe", symptoms);
        Assert.DoesNotContain("<script", symptoms);
        Assert.Contains("&lt;iframe srcdoc=&quot;&lt;script&gt;parent.__xss=3&lt;/script&gt;&quot;&gt;", symptoms);
        Assert.Contains("<br>", symptoms);
        Assert.DoesNotContain("\n", symptoms);
    }
}
