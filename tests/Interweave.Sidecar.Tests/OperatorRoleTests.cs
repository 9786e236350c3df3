using System.Net;
using System.Net.Http.Json;
using Interweave.Sidecar.Security;
using Interweave.Sidecar.Storage;
using Interweave.Sidecar.Tests.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Interweave.Sidecar.Tests;

/// <summary>The operator role reads runs, errors, flows and the dashboard and may retry an error; every settings route answers it 403.</summary>
public abstract class OperatorRoleTests(StoreProvider provider, PostgresServer postgres) : SidecarTestBase(provider, postgres)
{
    public sealed class OnSqlite(PostgresServer postgres) : OperatorRoleTests(StoreProvider.Sqlite, postgres);

    public sealed class OnPostgres(PostgresServer postgres) : OperatorRoleTests(StoreProvider.Postgres, postgres);

    /// <summary>What an operator may call; every other /api route must be refused.</summary>
    private static readonly string[] OperatorRoutes =
    [
        "GET /api/status", "GET /api/metrics", "GET /api/flows/", "GET /api/flows/{flowId}", "GET /api/runs/", "GET /api/runs/{runId:long}",
        "GET /api/runs/records", "GET /api/runs/{runId:long}/records", "GET /api/errors/", "GET /api/errors/{errorId:long}", "POST /api/errors/{errorId:long}/retry",
        "POST /api/errors/retry", "GET /api/search", "POST /api/errors/{errorId:long}/reopen",
    ];

    [Fact]
    public async Task An_operator_gets_403_on_every_route_but_the_reads_and_the_retry()
    {
        var operatorKey = Sidecar.CreateClient((await CreateKeyAsync("finance lead", Roles.Operator)).Key);
        var endpoints = Sidecar.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api", StringComparison.Ordinal) == true)
            .SelectMany(e => e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()!.HttpMethods.Select(m => (Method: m, Route: e.RoutePattern.RawText!)))
            .ToList();
        Assert.Subset(endpoints.Select(e => $"{e.Method} {e.Route}").ToHashSet(), OperatorRoutes.ToHashSet());

        var wrong = new List<string>();
        foreach (var (method, route) in endpoints)
        {
            var path = System.Text.RegularExpressions.Regex.Replace(route, @"\{(\w+)(:(\w+))?\}", m => m.Groups[3].Value switch
            {
                "guid" => Guid.NewGuid().ToString(),
                "long" => "987654",
                _ => m.Groups[1].Value == "kind" ? "account-customer" : "intacct-customers",
            });
            var response = await operatorKey.SendAsync(new HttpRequestMessage(new HttpMethod(method), path) { Content = method is "GET" or "DELETE" ? null : JsonContent.Create(new { }) },
                Cancellation);
            var allowed = OperatorRoutes.Contains($"{method} {route}");
            if (allowed == (response.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized))
                wrong.Add($"{method} {path}: {(int)response.StatusCode}");
        }

        Assert.Empty(wrong);
    }

    [Fact]
    public async Task An_operator_reads_runs_errors_flows_and_the_dashboard_and_its_retry_is_answered()
    {
        var operatorKey = Sidecar.CreateClient((await CreateKeyAsync("support", Roles.Operator)).Key);

        foreach (var path in new[] { "/api/status", "/api/metrics?range=24h", "/api/flows", "/api/flows/intacct-customers", "/api/runs", "/api/runs/records?key=1", "/api/errors", "/api/search?q=C-1" })
            Assert.Equal((path, HttpStatusCode.OK), (path, (await operatorKey.GetAsync(path, Cancellation)).StatusCode));
        Assert.Equal("operator", (string?)(await operatorKey.GetFromJsonAsync<System.Text.Json.Nodes.JsonObject>("/api/status", Cancellation))!["role"]);
        Assert.Equal(HttpStatusCode.NotFound, (await operatorKey.PostAsync("/api/errors/987654/retry", null, Cancellation)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await operatorKey.PostAsync("/api/errors/987654/dismiss", null, Cancellation)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await operatorKey.PutAsJsonAsync("/api/flows/intacct-customers", new { enabled = false }, Cancellation)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await operatorKey.GetAsync("/api/audit", Cancellation)).StatusCode);
    }
}
