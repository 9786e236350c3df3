using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Interweave.Simulators.Intacct;

/// <summary>
/// The XML gateway over HTTP at /ia/xml/xmlgw.phtml, with Intacct's transport behaviour: latency, a
/// per-company concurrency limit (HTTP 429, GW-0010), transient faults, and responses lost after commit.
/// </summary>
public sealed class IntacctSimulator : IAsyncDisposable
{
    public const string GatewayPath = "/ia/xml/xmlgw.phtml";

    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, int> _inFlight = new(StringComparer.OrdinalIgnoreCase);
    private readonly Random _random;

    private IntacctSimulator(WebApplication app, IntacctSimulatorOptions options, IntacctGateway gateway)
    {
        _app = app;
        Options = options;
        Gateway = gateway;
        _random = options.RandomSeed is { } seed ? new Random(seed) : new Random();
    }

    public IntacctSimulatorOptions Options { get; }

    public IntacctGateway Gateway { get; }

    /// <summary>Base address the server listens on (http://127.0.0.1:PORT).</summary>
    public Uri BaseAddress => new(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

    public Uri EndpointUrl => new(BaseAddress, GatewayPath);

    /// <summary>Requests answered with a fault or dropped after commit, for tests to assert on.</summary>
    public int InjectedFaults;

    /// <summary>Requests refused because the company already had MaxConcurrency in flight.</summary>
    public int RefusedForConcurrency;

    /// <summary>Every request received, whatever became of it.</summary>
    public int RequestsReceived;

    /// <summary>The most requests one company had in flight at once.</summary>
    public int MostInFlight;

    /// <summary>Starts on the given URL (port 0 picks a free one); in-process for tests, or from the command line.</summary>
    public static async Task<IntacctSimulator> StartAsync(IntacctSimulatorOptions options, string url = "http://127.0.0.1:0", TimeProvider? time = null, string[]? args = null)
    {
        var builder = WebApplication.CreateSlimBuilder(args ?? []);
        builder.WebHost.UseUrls(url);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var app = builder.Build();
        var simulator = new IntacctSimulator(app, options, new IntacctGateway(options, time ?? TimeProvider.System));
        app.MapPost(GatewayPath, simulator.HandleAsync);
        await app.StartAsync();
        return simulator;
    }

    public Task WaitForShutdownAsync() => _app.WaitForShutdownAsync();

    private async Task HandleAsync(HttpContext context)
    {
        var cancellation = context.RequestAborted;
        string body;
        using (var reader = new StreamReader(context.Request.Body, Encoding.UTF8))
            body = await reader.ReadToEndAsync(cancellation);

        // Concurrency is counted per company, as Intacct's performance tiers count it.
        Interlocked.Increment(ref RequestsReceived);
        var company = CompanyOf(body, Gateway);
        var inFlight = _inFlight.AddOrUpdate(company, 1, (_, n) => n + 1);
        if (inFlight <= Options.MaxConcurrency)
        {
            int most;
            do most = MostInFlight; while (inFlight > most && Interlocked.CompareExchange(ref MostInFlight, inFlight, most) != most);
        }

        if (inFlight > Options.MaxConcurrency)
        {
            _inFlight.AddOrUpdate(company, 0, (_, n) => n - 1);
            Interlocked.Increment(ref RefusedForConcurrency);
            context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
            context.Response.ContentType = "text/xml; charset=UTF-8";
            await context.Response.WriteAsync(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?><response><control><status>failure</status></control><errormessage><error><errorno>GW-0010</errorno>" +
                $"<description>Too many concurrent requests for this company (limit {Options.MaxConcurrency}).</description><description2></description2><correction>Wait and retry with backoff.</correction></error></errormessage></response>",
                cancellation);
            return;
        }

        try
        {
            if (Options.LatencyMs > 0) await Task.Delay(Options.LatencyMs, cancellation);
            if (Roll(Options.FaultRate))
            {
                Interlocked.Increment(ref InjectedFaults);
                await WriteFaultAsync(context);
                return;
            }

            var endpoint = $"{context.Request.Scheme}://{context.Request.Host}{GatewayPath}";
            var response = await Gateway.HandleAsync(body, endpoint, cancellation);
            if (Roll(Options.LostResponseRate))
            {
                // The work is done and committed; the caller never hears about it.
                Interlocked.Increment(ref InjectedFaults);
                context.Abort();
                return;
            }

            context.Response.ContentType = "text/xml; charset=UTF-8";
            await context.Response.WriteAsync(response.Declaration + "\n" + response.Root!.ToString(System.Xml.Linq.SaveOptions.DisableFormatting), cancellation);
        }
        finally
        {
            _inFlight.AddOrUpdate(company, 0, (_, n) => n - 1);
        }
    }

    private async Task WriteFaultAsync(HttpContext context)
    {
        int kind;
        lock (_random) kind = _random.Next(3);
        switch (kind)
        {
            case 0:
                context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                context.Response.ContentType = "text/plain";
                await context.Response.WriteAsync("Service Temporarily Unavailable");
                break;
            case 1:
                // What a load balancer in front of the gateway answers: HTML, not XML, with a 200.
                context.Response.StatusCode = StatusCodes.Status200OK;
                context.Response.ContentType = "text/html";
                await context.Response.WriteAsync("<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1><p>The server is temporarily unable to service your request.</p></body></html>");
                break;
            default:
                await Task.Delay(Options.FaultTimeoutMs, context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
                context.Response.StatusCode = StatusCodes.Status504GatewayTimeout;
                await context.Response.WriteAsync("Gateway Timeout");
                break;
        }
    }

    private bool Roll(double rate)
    {
        if (rate <= 0) return false;
        lock (_random) return _random.NextDouble() < rate;
    }

    /// <summary>The company a request is for: the login's companyid, or the session's. Cheap text scan; the gateway parses properly.</summary>
    private static string CompanyOf(string body, IntacctGateway gateway) =>
        Between(body, "<companyid>", "</companyid>")
        ?? gateway.CompanyOfSession(Between(body, "<sessionid>", "</sessionid>") ?? "")
        ?? "";

    private static string? Between(string text, string open, string close)
    {
        var start = text.IndexOf(open, StringComparison.Ordinal);
        if (start < 0) return null;
        var end = text.IndexOf(close, start, StringComparison.Ordinal);
        return end > start ? text[(start + open.Length)..end] : null;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
