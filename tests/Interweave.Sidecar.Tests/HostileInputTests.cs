using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Interweave.Sidecar.Api.Contracts;
using Interweave.Sidecar.Flows.Engine;
using Interweave.Sidecar.Storage;
using Interweave.Sidecar.Tests.Infrastructure;

namespace Interweave.Sidecar.Tests;

/// <summary>
/// Input that once broke the sidecar (a hostile probe of 535cb34): each is refused at the edge with a 400 naming the
/// field, and a control character in a record's data costs neither the record nor its neighbours.
/// </summary>
public sealed class HostileInputTests(PostgresServer postgres) : SimulatedSystemsTestBase(StoreProvider.Sqlite, postgres, intacctRandomSeed: 13)
{
    private static readonly Guid OBrien = Guid.Parse("a0000000-0000-4000-8000-000000000001");

    public static TheoryData<string, string, string> BadFlowChanges() => new()
    {
        { "intacct-customers", """{"mapping":[null]}""", "mapping[0]" },
        { "intacct-customers", """{"filter":[null]}""", "filter[0]" },
        { "intacct-customers", """{"filter":[{"field":"STATUS","op":"equals"}]}""", "filter[0].value" },
        { "intacct-customers", """{"filter":[{"field":"STATUS = 'x' OR NAME","op":"equals","value":"a"}]}""", "filter[0].field" },
        { "intacct-customers", """{"filter":[{"field":"STATUS","op":"equals","value":"a\u0000b"}]}""", "filter[0].value" },
        { "creatio-accounts", $$"""{"filter":[{"field":"{{new string('A', 129)}}","op":"equals","value":"a"}]}""", "filter[0].field" },
        { "creatio-accounts", $$"""{"filter":[{"field":"Name","op":"equals","value":"{{new string('v', 501)}}"}]}""", "filter[0].value" },
        { "creatio-accounts", $$"""{"filter":[{{string.Join(",", Enumerable.Repeat("""{"field":"Name","op":"notEquals","value":"x"}""", 21))}}]}""", "filter" },
        // A mapping names fields as filters do; a name that is not one broke every later run of the flow.
        { "intacct-customers", """{"mapping":[{"target":"Name","source":"NAME'); DROP TABLE flows;--"}]}""", "mapping[0].source" },
        { "intacct-customers", """{"mapping":[{"target":"Na me","source":"NAME"}]}""", "mapping[0].target" },
        { "intacct-customers", """{"mapping":[{"target":"Name","sources":["NAME","A\u0000B"],"format":"{0} {1}"}]}""", "mapping[0].sources[1]" },
        { "intacct-customers", """{"mapping":[{"target":"Name","sources":["NAME",null],"format":"{0} {1}"}]}""", "mapping[0].sources[1]" },
        { "creatio-accounts", """{"mapping":[{"target":"DISPLAYCONTACT//PHONE1","source":"Phone"}]}""", "mapping[0].target" },
        { "creatio-accounts", $$"""{"mapping":[{"target":"NAME","source":"{{new string('N', 300)}}"}]}""", "mapping[0].source" },
    };

    [Theory]
    [MemberData(nameof(BadFlowChanges))]
    public async Task A_flow_change_that_would_break_later_runs_is_refused_when_it_is_made(string flowId, string body, string field)
    {
        var before = await AdminClient().GetStringAsync($"/api/flows/{flowId}", Cancellation);

        var response = await AdminClient().PutAsync($"/api/flows/{flowId}", new StringContent(body, System.Text.Encoding.UTF8, "application/json"), Cancellation);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.NotNull(JsonNode.Parse(await response.Content.ReadAsStringAsync(Cancellation))!["errors"]![field]);
        Assert.Equal(before, await AdminClient().GetStringAsync($"/api/flows/{flowId}", Cancellation)); // nothing stored
    }

    [Theory]
    [InlineData("intacct-customers", "target", "UsrNoSuchColumn", "source", "NAME", "UsrNoSuchColumn is not a field of Account in Creatio")]
    [InlineData("intacct-customers", "source", "NOSUCHFIELD", "target", "Name", "NOSUCHFIELD is not a field of CUSTOMER in Intacct")]
    [InlineData("creatio-accounts", "target", "NOSUCHFIELD", "source", "Name", "NOSUCHFIELD is not a field of CUSTOMER in Intacct")]
    public async Task A_mapping_field_neither_system_lists_is_refused_unless_the_admin_marks_it_unlisted(string flowId, string checkedSide, string name,
        string otherSide, string otherName, string message)
    {
        var before = await AdminClient().GetStringAsync($"/api/flows/{flowId}", Cancellation);
        var mapping = JsonNode.Parse(before)!["mapping"]!.AsArray();
        var index = mapping.Count;
        var entry = new JsonObject { [checkedSide] = name, [otherSide] = otherName };
        mapping.Add(entry.DeepClone());

        var refused = await AdminClient().PutAsJsonAsync($"/api/flows/{flowId}", new JsonObject { ["mapping"] = mapping.DeepClone() }, Cancellation);

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var errors = JsonNode.Parse(await refused.Content.ReadAsStringAsync(Cancellation))!["errors"]!.AsObject();
        var error = Assert.Single(errors); // the shipped entries, unchanged, are not checked again
        Assert.Equal($"mapping[{index}].{checkedSide}", error.Key);
        Assert.Contains(message, (string?)error.Value![0], StringComparison.Ordinal);
        Assert.Contains("\"unlisted\": true", (string?)error.Value![0], StringComparison.Ordinal);
        Assert.Equal(before, await AdminClient().GetStringAsync($"/api/flows/{flowId}", Cancellation));

        // The admin vouches for a custom field the integration user cannot see yet.
        entry["unlisted"] = true;
        mapping[index] = entry;
        var accepted = await AdminClient().PutAsJsonAsync($"/api/flows/{flowId}", new JsonObject { ["mapping"] = mapping.DeepClone() }, Cancellation);

        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        var saved = JsonNode.Parse(await accepted.Content.ReadAsStringAsync(Cancellation))!["mapping"]![index]!;
        Assert.Equal((name, true), ((string?)saved[checkedSide], (bool?)saved["unlisted"]));
    }

    [Fact]
    public async Task A_new_mapping_entry_naming_fields_both_systems_list_is_accepted()
    {
        var mapping = JsonNode.Parse(await AdminClient().GetStringAsync("/api/flows/intacct-customers", Cancellation))!["mapping"]!.AsArray();
        mapping.Add(new JsonObject { ["target"] = "UsrIntacctLastSyncError", ["source"] = "DISPLAYCONTACT/PHONE1" });

        var response = await AdminClient().PutAsJsonAsync("/api/flows/intacct-customers", new JsonObject { ["mapping"] = mapping.DeepClone() }, Cancellation);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("/api/connections/intacct", """{"companyId":"AC\u0000ME","senderId":"s","senderPassword":"p","userId":"u","userPassword":"p"}""", "companyId")]
    [InlineData("/api/connections/intacct", """{"companyId":"ACME","senderId":"s","senderPassword":"p","userId":"u\u0000","userPassword":"p"}""", "userId")]
    [InlineData("/api/keys", """{"name":"ops\u202Eyek","role":"admin"}""", "name")]
    [InlineData("/api/keys", """{"name":"a\u0000b","role":"admin"}""", "name")]
    public async Task Names_and_ids_with_control_or_direction_characters_are_refused(string route, string body, string field)
    {
        var content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        var response = route == "/api/keys" ? await AdminClient().PostAsync(route, content, Cancellation) : await AdminClient().PutAsync(route, content, Cancellation);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotNull(JsonNode.Parse(await response.Content.ReadAsStringAsync(Cancellation))!["errors"]![field]);
    }

    [Theory]
    [InlineData("utf-16", "utf-16")]
    [InlineData("iso-8859-1", "iso-8859-1")]
    [InlineData("x-no-such-charset", "utf-8")]
    [InlineData("\"utf-8\"; charset=utf-32", "utf-8")]
    public async Task A_body_in_a_charset_other_than_utf8_is_refused_with_415_and_nothing_is_stored(string charset, string encodeAs)
    {
        var before = await AdminClient().GetStringAsync("/api/flows/intacct-customers", Cancellation);
        var bytes = System.Text.Encoding.GetEncoding(encodeAs).GetBytes("""{"enabled":false,"schedule":"0 0 3 * * ?"}""");
        using var content = new ByteArrayContent(bytes);
        content.Headers.TryAddWithoutValidation("Content-Type", $"application/json; charset={charset}");

        var response = await AdminClient().PutAsync("/api/flows/intacct-customers", content, Cancellation);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("UTF-8", (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync(Cancellation))!["detail"], StringComparison.Ordinal);
        Assert.Equal(before, await AdminClient().GetStringAsync("/api/flows/intacct-customers", Cancellation));
    }

    [Theory]
    [InlineData("utf-8")]
    [InlineData("UTF-8")]
    [InlineData("\"utf-8\"")]
    public async Task A_body_labelled_utf8_in_any_spelling_is_read(string charset)
    {
        using var content = new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes("""{"schedule":"0 0 3 * * ?"}"""));
        content.Headers.TryAddWithoutValidation("Content-Type", $"application/json; charset={charset}");

        var response = await AdminClient().PutAsync("/api/flows/intacct-customers", content, Cancellation);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task A_control_character_in_a_crm_field_is_dropped_and_the_account_and_its_neighbours_still_sync()
    {
        await IntacctDirect.CreateAsync(Intacct, "CUSTOMER", ("CUSTOMERID", "C-8001"), ("NAME", "O'Brien & Sons"), ("ACCOUNTID", OBrien.ToString()));
        await RunAsync("intacct-customers"); // pairs the demo account with its customer
        EditInCreatio("Account", OBrien, new JsonObject { ["Phone"] = "+353 1 555\u0001 0100", ["Name"] = "O'Brien & Sons 😀" });

        var push = await RunAsync("creatio-accounts");

        Assert.Equal((RunState.Succeeded, 0), (push.State, push.FailedCount));
        var customer = Intacct.Gateway.Company.All("CUSTOMER").Single(c => c.Element("CUSTOMERID")!.Value == "C-8001");
        Assert.Equal("+353 1 555 0100", customer.Element("DISPLAYCONTACT")!.Element("PHONE1")!.Value);
        Assert.Equal("O'Brien & Sons 😀", customer.Element("NAME")!.Value);
    }
}
