using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Interweave.Sidecar.Tests.Infrastructure;

/// <summary>
/// A reverse proxy that serves the sidecar under a path prefix and strips it on the way in, as nginx's
/// <c>location /interweave/ { proxy_pass http://sidecar/; }</c> does: what an admin puts in front of the console.
/// </summary>
internal sealed class PrefixProxy : IAsyncDisposable
{
    private static readonly string[] ForwardedRequestHeaders = ["X-Api-Key", "Accept"];
    private readonly WebApplication _app;
    private readonly HttpClient _upstream;

    private PrefixProxy(WebApplication app, HttpClient upstream)
    {
        _app = app;
        _upstream = upstream;
    }

    public Uri Address => new(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

    public static async Task<PrefixProxy> StartAsync(Uri upstream, string prefix)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var http = new HttpClient { BaseAddress = upstream };
        var proxy = new PrefixProxy(app, http);
        app.Map(prefix + "/{**rest}", proxy.ForwardAsync);
        await app.StartAsync();
        return proxy;
    }

    private async Task ForwardAsync(HttpContext context, string? rest)
    {
        using var request = new HttpRequestMessage(new HttpMethod(context.Request.Method), "/" + rest + context.Request.QueryString);
        foreach (var name in ForwardedRequestHeaders)
            if (context.Request.Headers.TryGetValue(name, out var value)) request.Headers.TryAddWithoutValidation(name, value.ToArray());
        if (context.Request.ContentLength is > 0 || context.Request.Headers.TransferEncoding.Count > 0)
        {
            request.Content = new StreamContent(context.Request.Body);
            if (context.Request.ContentType is { } type) request.Content.Headers.TryAddWithoutValidation("Content-Type", type);
        }

        using var response = await _upstream.SendAsync(request, context.RequestAborted);
        context.Response.StatusCode = (int)response.StatusCode;
        foreach (var header in response.Headers.Concat(response.Content.Headers))
            if (!header.Key.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase))
                context.Response.Headers[header.Key] = header.Value.ToArray();
        await response.Content.CopyToAsync(context.Response.Body, context.RequestAborted);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        _upstream.Dispose();
    }
}
