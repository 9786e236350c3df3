using System.Net;
using System.Net.Http.Json;
using Interweave.Sidecar.Api.Contracts;
using Interweave.Sidecar.Flows.Engine;
using Interweave.Sidecar.Storage;
using Interweave.Sidecar.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Interweave.Sidecar.Tests;

/// <summary>
/// One search box for what people know: either system's id, a document number or a name, across the run log, the
/// bindings and the error queue (console review, "No way to search a record across runs by what people know").
/// </summary>
public abstract class SearchTests(StoreProvider provider, PostgresServer postgres) : SimulatedSystemsTestBase(provider, postgres, intacctRandomSeed: 71)
{
    public sealed class OnSqlite(PostgresServer postgres) : SearchTests(StoreProvider.Sqlite, postgres);

    public sealed class OnPostgres(PostgresServer postgres) : SearchTests(StoreProvider.Postgres, postgres);

    private const string Account = "a0000000-0000-4000-8000-000000000001";
    private const string Opportunity = "d0000000-0000-4000-8000-000000000001";
    private const string Invoice = "f0000000-0000-4000-8000-000000000001";

    private async Task<long> LogAsync(string flowId, params RunRecordEntry[] entries)
    {
        _ = AdminClient();
        var flows = Sidecar.Services.GetRequiredService<FlowStore>();
        var run = (await flows.TryStartRunAsync(flowId, "manual", Cancellation))!;
        await flows.AddRunRecordsAsync(run.Id, entries, Cancellation);
        await flows.UpdateRunAsync(run with { State = RunState.Succeeded, FinishedAt = DateTimeOffset.UtcNow }, Cancellation);
        return run.Id;
    }

    private async Task<SearchResults> SearchAsync(string q, HttpClient? client = null) =>
        (await (client ?? AdminClient()).GetFromJsonAsync<SearchResults>($"/api/search?q={Uri.EscapeDataString(q)}", Cancellation))!;

    private async Task SeedAsync()
    {
        _ = AdminClient();
        await Sidecar.Services.GetRequiredService<BindingRepository>().RecordAsync(BindingKinds.AccountCustomer, Account, "C-1001", "7", Cancellation);
        await LogAsync("intacct-customers", new RunRecordEntry("C-1001", Account, RecordAction.Created, null, "O'Brien & Sons <UK>"));
        await LogAsync("creatio-accounts", new RunRecordEntry(Account, "C-1001", RecordAction.Updated, null, "O'Brien & Sons <UK>"));
        await LogAsync("intacct-invoices", new RunRecordEntry("1", Invoice, RecordAction.Created, null, "ARINV-0001"),
            new RunRecordEntry("2", null, RecordAction.Failed, "No such opportunity", "ARINV-0002"));
        await LogAsync("send-to-intacct", new RunRecordEntry(Opportunity, "SO0001", RecordAction.Created, null, "SO0001"));
        await Sidecar.Services.GetRequiredService<ErrorQueue>().RaiseAsync("intacct-invoices", "2", "ARINV-0002", Guid.Parse(Account),
            new RecordFailure("creatio-rejected", "Creatio", "No such opportunity"), null, Cancellation);
    }

    [Fact]
    public async Task A_record_is_found_by_either_system_s_id_its_document_number_or_its_name_with_its_run_pages_and_errors()
    {
        await SeedAsync();

        // By name, from its start and without case: the customer once per flow that logged it, and its binding.
        var byName = await SearchAsync("o'brien");
        Assert.Equal(["creatio-accounts", "intacct-customers"], byName.Records.Select(r => r.FlowId));
        var pulled = byName.Records.Single(r => r.FlowId == "intacct-customers");
        Assert.Equal(("Account", Account, "CUSTOMER", "C-1001"), (pulled.Places!.CreatioEntity, pulled.Places.CreatioId, pulled.Places.IntacctObject, pulled.Places.IntacctKey));
        Assert.Equal(("account-customer", "C-1001"), (Assert.Single(byName.Bindings).Kind, byName.Bindings[0].IntacctId));
        Assert.Empty(byName.Errors);

        // By either system's id, exactly.
        Assert.Equal(["creatio-accounts", "intacct-customers"], (await SearchAsync(Account)).Records.Select(r => r.FlowId));
        Assert.Equal(["creatio-accounts", "intacct-customers"], (await SearchAsync("C-1001")).Records.Select(r => r.FlowId));
        Assert.Empty((await SearchAsync("C-100")).Records); // an id is not matched by its start
        Assert.Single((await SearchAsync("7")).Bindings); // the customer's RECORDNO

        // By document number: the send's sales order, an invoice, and a failed invoice with its error.
        var order = Assert.Single((await SearchAsync("SO0001")).Records);
        Assert.Equal(("send-to-intacct", "Opportunity", Opportunity, "SODOCUMENT", "SO0001"),
            (order.FlowId, order.Places!.CreatioEntity, order.Places.CreatioId, order.Places.IntacctObject, order.Places.IntacctKey));
        var invoices = await SearchAsync("arinv-000");
        Assert.Equal(["2", "1"], invoices.Records.Select(r => r.SourceKey));
        Assert.Equal(("ARINVOICE", "UsrIntacctInvoice", RecordAction.Failed), (invoices.Records[0].SourceObject, invoices.Records[0].TargetObject, invoices.Records[0].Action));
        var error = Assert.Single(invoices.Errors);
        Assert.Equal(("2", "ARINVOICE", "Account", Account), (error.RecordKey, error.Places!.IntacctObject, error.Places.CreatioEntity, error.Places.CreatioId));
        Assert.Equal(error.Id, Assert.Single((await SearchAsync("ARINV-0002")).Errors).Id);
        Assert.Empty((await SearchAsync("Globex")).Records);
    }

    [Fact]
    public async Task Records_link_to_their_page_in_Creatio_through_its_navigation_service_and_an_operator_may_search()
    {
        await SeedAsync();

        var found = await SearchAsync("SO0001", Sidecar.CreateClient((await CreateKeyAsync("finance lead", "operator")).Key));

        Assert.StartsWith(Creatio.BaseAddress.ToString().TrimEnd('/'), found.Records[0].Places!.CreatioUrl);
        Assert.EndsWith($"/Navigation/Navigation.aspx?schemaName=Opportunity&recordId={Opportunity}", found.Records[0].Places!.CreatioUrl);
        var run = (await AdminClient().GetFromJsonAsync<FlowRunRecord[]>($"/api/runs/{found.Records[0].RunId}/records", Cancellation))!;
        Assert.Equal(found.Records[0].Places, Assert.Single(run).Places);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("a\u0001b")]
    public async Task An_empty_or_control_character_query_is_a_validation_problem(string q)
    {
        var response = await AdminClient().GetAsync($"/api/search?q={Uri.EscapeDataString(q)}", Cancellation);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await AdminClient().GetAsync($"/api/search?q={new string('x', 101)}", Cancellation)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await AdminClient().GetAsync("/api/search?q=x&limit=51", Cancellation)).StatusCode);
    }
}
