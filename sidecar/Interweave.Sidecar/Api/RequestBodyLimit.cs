using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace Interweave.Sidecar.Api;

/// <summary>
/// Holds every /api request body to Interweave:Api:MaxRequestBodyKilobytes (security review F10; Kestrel's own cap is
/// 30 MB). A declared length past it is answered 413 problem details before anything is read; a chunked body is
/// stopped by the server when it passes the cap, which BadRequestHandler answers as 413 too.
/// </summary>
public static class RequestBodyLimit
{
    public static WebApplication UseRequestBodyLimit(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<ApiOptions>>().Value;
        app.UseWhen(context => context.Request.Path.StartsWithSegments("/api"), api => api.Use(async (context, next) =>
        {
            if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
                feature.MaxRequestBodySize = options.MaxRequestBodyBytes;
            if (context.Request.ContentLength > options.MaxRequestBodyBytes)
            {
                context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
                await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = context,
                    ProblemDetails =
                    {
                        Status = StatusCodes.Status413PayloadTooLarge,
                        Title = "The request is too large.",
                        Detail = $"An /api request body may be at most {options.MaxRequestBodyKilobytes} KB (Interweave:Api:MaxRequestBodyKilobytes); this one is "
                                 + $"{(context.Request.ContentLength + 1023) / 1024} KB. Nothing was read or stored.",
                    },
                });
                return;
            }

            await next(context);
        }));
        return app;
    }
}
