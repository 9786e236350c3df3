using System.Collections.Concurrent;
using System.Text;
using System.Xml.Linq;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Interweave.Sidecar.Tests.Infrastructure;

/// <summary>
/// A hostile Intacct gateway and Creatio site on loopback, and a capture listener on another port that records every
/// request it receives: what the security review of 2026-12-07 attacked the sidecar with (F3 to F6). The first path
/// segments pick the behaviour:
/// <list type="bullet">
/// <item><c>/redirect/{307|308}/xmlgw</c>: redirects to the capture listener.</item>
/// <item><c>/endpoint/xmlgw</c>: a working gateway whose getAPISession names the capture listener as its endpoint.</item>
/// <item><c>/huge/{megabytes}/xmlgw</c>: an error whose description is that many MB, generated while it is sent.</item>
/// <item><c>/entity/xmlgw</c>, <c>/laughs/{levels}/xmlgw</c>: an error answer with an internal DTD (one entity, or billion laughs).</item>
/// <item><c>/slow/xmlgw</c>: sends the headers and a first byte, then nothing until the caller gives up.</item>
/// <item><c>/cr/{behaviour}/…</c>: a Creatio site: <c>redirect</c> (login redirects to the capture listener),
/// <c>huge-{megabytes}</c> (an OData page of that size), <c>laughs</c>, <c>entity-attribute</c>, <c>malformed</c>
/// (a $metadata of those kinds), or <c>plain</c>.</item>
/// </list>
/// </summary>
public sealed class HostileRemote : IAsyncDisposable
{
    public const string SessionId = "HOSTILE-SESSION-5f1c";
    private static readonly byte[] Filler = Encoding.ASCII.GetBytes(new string('A', 64 * 1024));
    private readonly WebApplication _hostile;
    private readonly WebApplication _capture;

    private HostileRemote(WebApplication hostile, WebApplication capture)
    {
        _hostile = hostile;
        _capture = capture;
    }

    /// <summary>Every request the capture listener received: method, path and body.</summary>
    public ConcurrentQueue<string> Captured { get; } = new();

    public Uri Address => AddressOf(_hostile);

    public Uri CaptureAddress => AddressOf(_capture);

    public static async Task<HostileRemote> StartAsync()
    {
        var capture = Build();
        var hostile = Build();
        var remote = new HostileRemote(hostile, capture);
        capture.Map("/{**rest}", async (HttpContext context) =>
        {
            using var reader = new StreamReader(context.Request.Body);
            remote.Captured.Enqueue($"{context.Request.Method} {context.Request.Path}{context.Request.QueryString} {await reader.ReadToEndAsync(context.RequestAborted)}");
            context.Response.ContentType = "text/xml";
            await context.Response.WriteAsync("<response/>", context.RequestAborted);
        });
        hostile.MapPost("/redirect/{status:int}/xmlgw", (int status) => new Redirect(status, new Uri(remote.CaptureAddress, $"captured-{status}")));
        hostile.MapPost("/endpoint/xmlgw", (Delegate)remote.LyingGatewayAsync);
        hostile.MapPost("/huge/{megabytes:int}/xmlgw", (HttpContext context, int megabytes) =>
            StreamAsync(context, "text/xml", ErrorHead("HUGE"), (long)megabytes * 1024 * 1024, ErrorTail));
        hostile.MapPost("/entity/xmlgw", () => Results.Text(
            """<?xml version="1.0"?><!DOCTYPE response [<!ENTITY a "INTERNAL-ENTITY-EXPANDED">]>""" + ErrorHead("DTD") + "&a;" + ErrorTail, "text/xml"));
        hostile.MapPost("/laughs/{levels:int}/xmlgw", (int levels) => Results.Text(BillionLaughs(levels, "response") + ErrorHead("LOL") + $"&lol{levels};" + ErrorTail, "text/xml"));
        hostile.MapPost("/slow/xmlgw", async (HttpContext context) =>
        {
            context.Response.ContentType = "text/xml";
            await context.Response.WriteAsync("<", context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
            await Task.Delay(Timeout.Infinite, context.RequestAborted);
        });
        hostile.Map("/cr/{behaviour}/{**rest}", remote.CreatioAsync);
        await capture.StartAsync();
        await hostile.StartAsync();
        return remote;
    }

    private sealed class Redirect(int status, Uri location) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = status;
            httpContext.Response.Headers.Location = location.ToString();
            return Task.CompletedTask;
        }
    }

    /// <summary>Answers every function with success, and getAPISession with the capture listener as the endpoint.</summary>
    private async Task<IResult> LyingGatewayAsync(HttpContext context)
    {
        var request = await XDocument.LoadAsync(context.Request.Body, LoadOptions.None, context.RequestAborted);
        var results = request.Descendants("function").Select(f =>
        {
            var name = f.Elements().First().Name.LocalName;
            var data = name == "getAPISession"
                ? new XElement("data", new XElement("api", new XElement("sessionid", SessionId), new XElement("endpoint", new Uri(CaptureAddress, "stolen")), new XElement("locationid", "")))
                : new XElement("data", new XAttribute("count", 0), new XAttribute("totalcount", 0), new XAttribute("numremaining", 0));
            return new XElement("result", new XElement("status", "success"), new XElement("function", name), new XElement("controlid", (string?)f.Attribute("controlid") ?? ""), data);
        });
        var response = new XElement("response",
            new XElement("control", new XElement("status", "success")),
            new XElement("operation",
                new XElement("authentication", new XElement("status", "success"), new XElement("userid", "u"), new XElement("companyid", "c"),
                    new XElement("sessiontimeout", DateTimeOffset.UtcNow.AddHours(1).ToString("O"))),
                results));
        return Results.Text(response.ToString(SaveOptions.DisableFormatting), "text/xml");
    }

    private async Task CreatioAsync(HttpContext context, string behaviour, string? rest)
    {
        rest ??= "";
        if (rest.EndsWith("AuthService.svc/Login", StringComparison.Ordinal))
        {
            if (behaviour == "redirect")
            {
                context.Response.StatusCode = StatusCodes.Status307TemporaryRedirect;
                context.Response.Headers.Location = new Uri(CaptureAddress, "captured-login").ToString();
                return;
            }

            context.Response.Headers.SetCookie = new[] { "BPMCSRF=hostile; path=/", ".ASPXAUTH=hostile; path=/" };
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync("""{"Code":0,"Message":""}""", context.RequestAborted);
            return;
        }

        if (rest.EndsWith("$metadata", StringComparison.Ordinal))
        {
            var metadata = behaviour switch
            {
                "laughs" => BillionLaughs(5, "edmx:Edmx") + Csdl("&lol5;"),
                "entity-attribute" => """<?xml version="1.0"?><!DOCTYPE edmx:Edmx [<!ENTITY ext SYSTEM "http://127.0.0.1:9/ext">]>""" + Csdl("&ext;"),
                "malformed" => Csdl("Name")[..200],
                _ => Csdl("Name"),
            };
            context.Response.ContentType = "application/xml";
            await context.Response.WriteAsync(metadata, context.RequestAborted);
            return;
        }

        if (behaviour.StartsWith("huge-", StringComparison.Ordinal))
        {
            await StreamAsync(context, "application/json", "{\"value\":[{\"Id\":\"00000000-0000-4000-8000-000000000001\",\"Name\":\"",
                long.Parse(behaviour["huge-".Length..], System.Globalization.CultureInfo.InvariantCulture) * 1024 * 1024, "\"}]}");
            return;
        }

        await context.Response.WriteAsJsonAsync(new { value = new[] { new { Id = "00000000-0000-4000-8000-000000000001" } } }, context.RequestAborted);
    }

    private static string Csdl(string accountColumnName) =>
        """<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx"><edmx:DataServices><Schema Namespace="Terrasoft.Configuration.OData" xmlns="http://docs.oasis-open.org/odata/ns/edm">""" +
        $"""<EntityType Name="Account"><Key><PropertyRef Name="Id"/></Key><Property Name="Id" Type="Edm.Guid"/><Property Name="{accountColumnName}" Type="Edm.String"/></EntityType>""" +
        "</Schema></edmx:DataServices></edmx:Edmx>";

    /// <summary>The classic entity-expansion document: level n is ten of level n-1, so level 9 is 10^9 characters.</summary>
    private static string BillionLaughs(int levels, string root)
    {
        var dtd = new StringBuilder($"""<?xml version="1.0"?><!DOCTYPE {root} [<!ENTITY lol0 "lol">""");
        for (var i = 1; i <= levels; i++) dtd.Append($"<!ENTITY lol{i} \"{string.Concat(Enumerable.Repeat($"&lol{i - 1};", 10))}\">");
        return dtd.Append("]>").ToString();
    }

    private static string ErrorHead(string errorNo) =>
        $"<response><control><status>failure</status></control><errormessage><error><errorno>{errorNo}</errorno><description>";

    private const string ErrorTail = "</description><description2></description2><correction></correction></error></errormessage></response>";

    /// <summary>Sends head, then <paramref name="fillerBytes"/> of 'A' made while sending (never held whole), then tail.</summary>
    private static async Task StreamAsync(HttpContext context, string contentType, string head, long fillerBytes, string tail)
    {
        context.Response.ContentType = contentType;
        try
        {
            await context.Response.WriteAsync(head, context.RequestAborted);
            for (var sent = 0L; sent < fillerBytes; sent += Filler.Length)
                await context.Response.Body.WriteAsync(Filler.AsMemory(0, (int)Math.Min(Filler.Length, fillerBytes - sent)), context.RequestAborted);
            await context.Response.WriteAsync(tail, context.RequestAborted);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException)
        {
            // The caller stopped reading: what a capped client does.
        }
    }

    private static WebApplication Build()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        return builder.Build();
    }

    private static Uri AddressOf(WebApplication app) =>
        new(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/");

    /// <summary>Stops the hostile gateway and site (the capture listener stays): its port then refuses connections.</summary>
    public Task StopHostileAsync() => _hostile.StopAsync();

    public async ValueTask DisposeAsync()
    {
        await _hostile.DisposeAsync();
        await _capture.DisposeAsync();
    }
}
