using System.Data.Common;
using Interweave.Sidecar.Api;
using Interweave.Sidecar.Cli;
using Interweave.Sidecar.Configuration;
using Interweave.Sidecar.Creatio;
using Interweave.Sidecar.Flows;
using Interweave.Sidecar.Intacct;
using Interweave.Sidecar.Security;
using Interweave.Sidecar.Storage;

// Container health probe without curl in the image: `healthcheck [URL]` exits 0 when the URL answers 2xx.
if (args is ["healthcheck", .. var probe])
    return await HealthcheckCommand.RunAsync(probe.FirstOrDefault() ?? "http://127.0.0.1:8080/health/ready");

var builder = WebApplication.CreateBuilder(args);
builder.Services
    .AddInterweaveOptions()
    .AddInterweaveLogging()
    .AddStorage()
    .AddSecurity(builder.Configuration)
    .AddIntacct()
    .AddCreatio()
    .AddFlows()
    .AddInterweaveApi();

var app = builder.Build();
if (!app.Services.TryValidateConfiguration(Console.Error)) return 1;

if (args is ["keys", .. var keyArgs])
    return await KeysCommand.RunAsync(app.Services, keyArgs, Console.Out, Console.Error, CancellationToken.None);

app.UseInterweaveApi();
app.MapStatus();
app.MapConnections();
app.MapApiKeys();
app.MapButtonActions();
app.MapBindings();
app.MapBindingRuns();
app.MapBulkLoads();
app.MapFlows();
app.MapErrors();
app.MapConflicts();
app.MapMetrics();
app.MapAudit();
app.MapSearch();

try
{
    await app.RunAsync();
    return 0;
}
catch (DbException ex)
{
    await Console.Error.WriteLineAsync($"Interweave cannot use its store ({app.Services.GetRequiredService<Store>().Description}): {ex.Message}");
    return 1;
}

/// <summary>The entry point, visible to the in-memory test host.</summary>
public partial class Program;
