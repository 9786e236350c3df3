using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Interweave.Sidecar.Tests.Infrastructure;

namespace Interweave.Sidecar.Tests;

/// <summary>
/// The sidecar against an Intacct gateway and a Creatio site that attack it (security review 2026-12-07, F3 to F6):
/// no secret leaves the host it was entered for, nothing remote crashes it, and every answer is a 4xx/5xx problem.
/// </summary>
public sealed class HostileEndpointTests(PostgresServer postgres) : HostileRemoteTestBase(postgres, remoteRetries: 1)
{
    /// <summary>Asserts a problem answer of the status, and returns its body.</summary>
    internal static async Task<JsonNode> ProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode == status, $"{(int)response.StatusCode}: {text[..Math.Min(text.Length, 2000)]}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return JsonNode.Parse(text)!;
    }

    private void AssertNothingCaptured() =>
        Assert.True(Remote.Captured.IsEmpty, "The capture listener received: " + string.Join("\n", Remote.Captured));

    [Theory]
    [InlineData(307)]
    [InlineData(308)]
    public async Task An_Intacct_redirect_is_not_followed_so_no_password_reaches_the_new_address(int status)
    {
        var response = await AdminClient().PutAsJsonAsync("/api/connections/intacct", IntacctRequest(new Uri(Remote.Address, $"redirect/{status}/xmlgw")), Cancellation);

        var problem = await ProblemAsync(response, HttpStatusCode.UnprocessableEntity);
        Assert.Contains("redirect", (string?)problem["detail"], StringComparison.Ordinal);
        AssertNothingCaptured();
    }

    [Fact]
    public async Task An_endpoint_from_getAPISession_on_another_host_is_not_used_and_no_secret_reaches_it()
    {
        var response = await AdminClient().PutAsJsonAsync("/api/connections/intacct", IntacctRequest(new Uri(Remote.Address, "endpoint/xmlgw")), Cancellation);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        // A stored connection's later work (a flow's field list asks Intacct) stays with the configured endpoint too.
        Assert.Equal(HttpStatusCode.OK, (await AdminClient().PutAsJsonAsync("/api/connections/creatio", CreatioRequest(new Uri(Remote.Address, "cr/plain")), Cancellation)).StatusCode);
        await AdminClient().GetAsync("/api/flows/intacct-customers/fields", Cancellation);

        AssertNothingCaptured();
        await Sidecar.Logs.WaitForAsync("not the configured gateway's host", TimeSpan.FromSeconds(10));
        Assert.DoesNotContain(HostileRemote.SessionId, Sidecar.Logs.AllText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_creatio_login_redirect_is_not_followed_so_the_password_stays()
    {
        var response = await AdminClient().PutAsJsonAsync("/api/connections/creatio", CreatioRequest(new Uri(Remote.Address, "cr/redirect")), Cancellation);

        Assert.True((int)response.StatusCode is >= 400 and < 500 or 502, $"{(int)response.StatusCode}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        AssertNothingCaptured();
    }

    [Fact]
    public async Task An_Intacct_answer_with_a_DTD_is_refused_and_its_entity_never_expanded()
    {
        var response = await AdminClient().PutAsJsonAsync("/api/connections/intacct", IntacctRequest(new Uri(Remote.Address, "entity/xmlgw")), Cancellation);

        var problem = await ProblemAsync(response, HttpStatusCode.BadGateway);
        Assert.DoesNotContain("INTERNAL-ENTITY-EXPANDED", problem.ToJsonString(), StringComparison.Ordinal);
        Assert.Contains("DTD", (string?)problem["detail"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Billion_laughs_from_Intacct_is_a_remote_failure_with_nothing_expanded()
    {
        var response = await AdminClient().PutAsJsonAsync("/api/connections/intacct", IntacctRequest(new Uri(Remote.Address, "laughs/9/xmlgw")), Cancellation);

        var problem = await ProblemAsync(response, HttpStatusCode.BadGateway);
        Assert.DoesNotContain("lollol", problem.ToJsonString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("laughs")]
    [InlineData("entity-attribute")]
    [InlineData("malformed")]
    public async Task A_creatio_metadata_with_a_DTD_or_broken_XML_is_a_remote_failure_not_a_crash(string behaviour)
    {
        Assert.Equal(HttpStatusCode.OK, (await AdminClient().PutAsJsonAsync("/api/connections/intacct", IntacctRequest(new Uri(Remote.Address, "endpoint/xmlgw")), Cancellation)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await AdminClient().PutAsJsonAsync("/api/connections/creatio", CreatioRequest(new Uri(Remote.Address, $"cr/{behaviour}")), Cancellation)).StatusCode);

        var response = await AdminClient().GetAsync("/api/flows/creatio-accounts/fields", Cancellation);

        var problem = await ProblemAsync(response, HttpStatusCode.BadGateway);
        Assert.DoesNotContain("lollol", problem.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_long_remote_error_reaches_the_answer_cut_to_two_thousand_characters()
    {
        var response = await AdminClient().PutAsJsonAsync("/api/connections/intacct", IntacctRequest(new Uri(Remote.Address, "huge/1/xmlgw")), Cancellation);

        var problem = await ProblemAsync(response, HttpStatusCode.UnprocessableEntity);
        Assert.InRange(((string?)problem["detail"])!.Length, 2000, 2100);
        Assert.InRange(((string?)problem["intacctErrors"]![0]!["description"])!.Length, 2000, 2100);
        Assert.EndsWith("more characters left out)", (string?)problem["detail"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_Intacct_answer_that_never_ends_times_out_as_a_remote_failure()
    {
        Sidecar.Settings["Interweave:Intacct:TimeoutSeconds"] = "1";
        Sidecar.Settings["Interweave:Intacct:MaxRetries"] = "0";

        var response = await AdminClient().PutAsJsonAsync("/api/connections/intacct", IntacctRequest(new Uri(Remote.Address, "slow/xmlgw")), Cancellation);

        await ProblemAsync(response, HttpStatusCode.BadGateway);
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MemoryBoundCollection
{
    /// <summary>Tests that measure the process's allocations run alone, so no other test's work is counted.</summary>
    public const string Name = "memory-bound";
}

/// <summary>
/// A 600 MB answer, made while it is sent, against a cap of 8 MB: the sidecar reads at most the cap (per attempt),
/// answers 502, and the whole process allocates a small multiple of the cap, not of the answer.
/// </summary>
[Collection(MemoryBoundCollection.Name)]
public sealed class HostileEndpointMemoryTests(PostgresServer postgres) : HostileRemoteTestBase(postgres, remoteRetries: 1)
{
    private const int CapMegabytes = 8;
    private const long AllocationBound = CapMegabytes * 8L * 1024 * 1024;

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        Sidecar.Settings["Interweave:Intacct:MaxResponseMegabytes"] = CapMegabytes.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Sidecar.Settings["Interweave:Creatio:MaxResponseMegabytes"] = CapMegabytes.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    [Theory]
    [InlineData("intacct", "huge/600/xmlgw")]
    [InlineData("creatio", "cr/huge-600")]
    public async Task A_600_MB_answer_is_cut_at_the_cap_with_memory_bounded_and_a_502(string system, string path)
    {
        var admin = AdminClient();
        await admin.GetAsync("/api/status", Cancellation); // the host is up before counting
        var url = new Uri(Remote.Address, path);
        var before = GC.GetTotalAllocatedBytes(precise: true);

        var response = await admin.PutAsJsonAsync($"/api/connections/{system}",
            system == "intacct" ? IntacctRequest(url) : CreatioRequest(url), Cancellation);

        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        var problem = await HostileEndpointTests.ProblemAsync(response, HttpStatusCode.BadGateway);
        Assert.Contains("MaxResponseMegabytes", (string?)problem["detail"], StringComparison.Ordinal);
        TestContext.Current.SendDiagnosticMessage($"{system}: {allocated / (1024 * 1024)} MB allocated for a 600 MB answer with a cap of {CapMegabytes} MB");
        Assert.True(allocated < AllocationBound, $"{allocated / (1024 * 1024)} MB allocated while the sidecar met a 600 MB answer (bound {AllocationBound / (1024 * 1024)} MB)");
    }
}
