using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using Interweave.Sidecar.Api.Contracts;
using Interweave.Sidecar.Flows.Engine;
using Interweave.Sidecar.Storage;
using Interweave.Sidecar.Tests.Infrastructure;

namespace Interweave.Sidecar.Tests;

/// <summary>
/// A field Creatio and Intacct both changed since it was last synced: queued with both values, written by neither
/// direction, resolved from the API by keeping one side; the system of record decides without a person; on both stores.
/// </summary>
public abstract class ConflictTests(StoreProvider provider, PostgresServer postgres) : SimulatedSystemsTestBase(provider, postgres, intacctRandomSeed: 29)
{
    public sealed class OnSqlite(PostgresServer postgres) : ConflictTests(StoreProvider.Sqlite, postgres);

    public sealed class OnPostgres(PostgresServer postgres) : ConflictTests(StoreProvider.Postgres, postgres);

    private static readonly Guid OBrien = Guid.Parse("a0000000-0000-4000-8000-000000000001");

    private string _customerId = "";

    private JsonNode? Account(string column) => JsonValue.Create(Creatio.Data.Find("Account", OBrien)![column]?.ToString());

    private string? Contact(string path) => FieldMapperPath(Intacct.Gateway.Company.All("CUSTOMER").Single(c => c.Element("CUSTOMERID")!.Value == _customerId), path);

    private static string? FieldMapperPath(XElement record, string path) => FieldMapper.ValueAt(record, path);

    /// <summary>O'Brien paired with its customer by Sync with Intacct, then its phone changed on both sides before either flow ran.</summary>
    private async Task<SyncConflict> PhoneChangedOnBothSidesAsync()
    {
        Assert.Equal(HttpStatusCode.OK, (await AdminClient().PostAsync($"/api/accounts/{OBrien}/sync", null, Cancellation)).StatusCode);
        _customerId = (string)Creatio.Data.Find("Account", OBrien)!["UsrIntacctCustomerId"]!;
        EditInCreatio("Account", OBrien, new JsonObject { ["Phone"] = "+1 555 0301" });
        IntacctDirect.Update(Intacct, new XElement("CUSTOMER", new XElement("CUSTOMERID", _customerId), new XElement("DISPLAYCONTACT", new XElement("PHONE1", "+1 555 0302"))));

        var pull = await RunAsync("intacct-customers");
        var push = await RunAsync("creatio-accounts");

        Assert.Equal((0, 0), (pull.UpdatedCount, pull.FailedCount));
        Assert.Equal((0, 0), (push.UpdatedCount, push.FailedCount));
        Assert.Equal("+1 555 0301", (string?)Account("Phone")); // neither direction wrote the field
        Assert.Equal("+1 555 0302", Contact("DISPLAYCONTACT/PHONE1"));
        var conflict = Assert.Single((await AdminClient().GetFromJsonAsync<SyncConflict[]>("/api/conflicts", Cancellation))!);
        Assert.Equal(("account-customer", OBrien.ToString(), _customerId, "Phone", "DISPLAYCONTACT/PHONE1"),
            (conflict.BindingKind, conflict.CreatioId, conflict.IntacctId, conflict.CreatioField, conflict.IntacctField));
        Assert.Equal(("+1 555 0301", "+1 555 0302", "+1 555 0100"), (conflict.CreatioValue, conflict.IntacctValue, conflict.SyncedValue));
        Assert.Equal((ConflictStatus.Open, 2, "O'Brien & Sons <UK>"), (conflict.Status, conflict.Occurrences, conflict.RecordLabel)); // found by both directions
        return conflict;
    }

    private async Task<HttpResponseMessage> ResolveAsync(long id, object body) =>
        await AdminClient().PostAsJsonAsync($"/api/conflicts/{id}/resolve", body, Cancellation);

    [Fact]
    public async Task A_field_both_sides_changed_is_queued_with_both_values_and_keeping_Creatio_writes_it_to_Intacct()
    {
        var conflict = await PhoneChangedOnBothSidesAsync();

        var resolved = await ResolveAsync(conflict.Id, new { keep = "creatio" });

        Assert.Equal(HttpStatusCode.OK, resolved.StatusCode);
        var answer = (await resolved.Content.ReadFromJsonAsync<SyncConflict>(Cancellation))!;
        Assert.Equal((ConflictStatus.Resolved, ConflictSide.Creatio), (answer.Status, answer.Kept));
        Assert.Equal("+1 555 0301", Contact("DISPLAYCONTACT/PHONE1"));
        Assert.Equal("+1 555 0301", (string?)Account("Phone"));

        // The kept value is the last-synced value now: neither direction writes or queues anything more.
        var pull = await RunAsync("intacct-customers");
        var push = await RunAsync("creatio-accounts");
        Assert.Equal((0, 0, 0, 0), (pull.UpdatedCount, pull.FailedCount, push.UpdatedCount, push.FailedCount));
        Assert.Empty((await AdminClient().GetFromJsonAsync<SyncConflict[]>("/api/conflicts", Cancellation))!);
        Assert.Single((await AdminClient().GetFromJsonAsync<SyncConflict[]>("/api/conflicts?status=resolved", Cancellation))!);

        // A later change on one side is an ordinary change again.
        IntacctDirect.Update(Intacct, new XElement("CUSTOMER", new XElement("CUSTOMERID", _customerId), new XElement("DISPLAYCONTACT", new XElement("PHONE1", "+1 555 0303"))));
        var later = await RunAsync("intacct-customers");
        Assert.Equal(1, later.UpdatedCount);
        Assert.Equal("+1 555 0303", (string?)Account("Phone"));
    }

    [Fact]
    public async Task Keeping_Intacct_writes_its_value_to_Creatio_and_bad_answers_change_nothing()
    {
        var conflict = await PhoneChangedOnBothSidesAsync();

        foreach (var body in new object[] { new { keep = "both" }, new { keep = "" }, new { } })
        {
            var refused = await ResolveAsync(conflict.Id, body);
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        }

        var unknown = await ResolveAsync(999_999, new { keep = "intacct" });
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("application/problem+json", unknown.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.BadRequest, (await AdminClient().GetAsync("/api/conflicts?status=closed", Cancellation)).StatusCode);
        Assert.Equal(ConflictStatus.Open, Assert.Single((await AdminClient().GetFromJsonAsync<SyncConflict[]>("/api/conflicts", Cancellation))!).Status);
        Assert.Equal(("+1 555 0301", "+1 555 0302"), ((string?)Account("Phone"), Contact("DISPLAYCONTACT/PHONE1")));

        var resolved = await ResolveAsync(conflict.Id, new { keep = "intacct" });

        Assert.Equal(HttpStatusCode.OK, resolved.StatusCode);
        Assert.Equal(ConflictSide.Intacct, (await resolved.Content.ReadFromJsonAsync<SyncConflict>(Cancellation))!.Kept);
        Assert.Equal(("+1 555 0302", "+1 555 0302"), ((string?)Account("Phone"), Contact("DISPLAYCONTACT/PHONE1")));
        var again = await ResolveAsync(conflict.Id, new { keep = "creatio" });
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal("+1 555 0302", Contact("DISPLAYCONTACT/PHONE1"));

        var push = await RunAsync("creatio-accounts");
        var pull = await RunAsync("intacct-customers");
        Assert.Equal((0, 0), (push.UpdatedCount, pull.UpdatedCount));
        Assert.Empty((await AdminClient().GetFromJsonAsync<SyncConflict[]>("/api/conflicts", Cancellation))!);
    }

    [Fact]
    public async Task A_change_made_after_the_other_side_was_synced_is_no_conflict_and_the_system_of_record_needs_no_person()
    {
        Assert.Equal(HttpStatusCode.OK, (await AdminClient().PostAsync($"/api/accounts/{OBrien}/sync", null, Cancellation)).StatusCode);
        _customerId = (string)Creatio.Data.Find("Account", OBrien)!["UsrIntacctCustomerId"]!;

        // Creatio's edit reaches Intacct; then finance changes it in Intacct before the pull runs: Intacct's is the newer change.
        EditInCreatio("Account", OBrien, new JsonObject { ["Phone"] = "+1 555 0401" });
        Assert.Equal(1, (await RunAsync("creatio-accounts")).UpdatedCount);
        IntacctDirect.Update(Intacct, new XElement("CUSTOMER", new XElement("CUSTOMERID", _customerId), new XElement("DISPLAYCONTACT", new XElement("PHONE1", "+1 555 0402"))));
        Assert.Equal(1, (await RunAsync("intacct-customers")).UpdatedCount);
        Assert.Equal("+1 555 0402", (string?)Account("Phone"));

        // The name belongs to Creatio: both renamed it, and Creatio's name wins without a conflict.
        EditInCreatio("Account", OBrien, new JsonObject { ["Name"] = "O'Brien & Sons Ltd" });
        IntacctDirect.Update(Intacct, "CUSTOMER", ("CUSTOMERID", _customerId), ("NAME", "OBRIEN SONS"));
        await RunAsync("intacct-customers");
        await RunAsync("creatio-accounts");

        Assert.Equal("O'Brien & Sons Ltd", (string?)Account("Name"));
        Assert.Equal("O'Brien & Sons Ltd", Contact("NAME"));
        Assert.Empty((await AdminClient().GetFromJsonAsync<SyncConflict[]>("/api/conflicts?status=all", Cancellation))!);
    }
}
