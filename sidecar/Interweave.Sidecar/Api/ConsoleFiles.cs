using Microsoft.Extensions.FileProviders;

namespace Interweave.Sidecar.Api;

/// <summary>
/// The admin console at <c>/</c>: static files embedded in the assembly (sidecar/Interweave.Sidecar/Console), public
/// like the OpenAPI document, since they hold no data; everything they show comes from the <c>/api</c> routes with
/// the key the admin signs in with. Paths inside the console are relative, so it works under a proxy's path prefix.
/// </summary>
public static class ConsoleFiles
{
    // The console loads only its own files and talks only to its own origin; nobody may frame it.
    private const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";

    public static WebApplication UseConsole(this WebApplication app)
    {
        var files = new ManifestEmbeddedFileProvider(typeof(ConsoleFiles).Assembly, "Console");
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = files,
            OnPrepareResponse = context =>
            {
                var headers = context.Context.Response.Headers;
                headers.ContentSecurityPolicy = ContentSecurityPolicy;
                headers.XContentTypeOptions = "nosniff";
                headers["Referrer-Policy"] = "no-referrer";
                // A new sidecar version ships new files: the browser asks again rather than run an old console.
                headers.CacheControl = "no-cache";
            },
        });
        return app;
    }
}
