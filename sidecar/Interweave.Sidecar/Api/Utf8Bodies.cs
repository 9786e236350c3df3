using Microsoft.Net.Http.Headers;

namespace Interweave.Sidecar.Api;

/// <summary>
/// Request bodies are JSON in UTF-8, as RFC 8259 section 8.1 requires of JSON exchanged between systems. A body
/// labelled with another charset, with one the server does not know, or with two charset labels, is refused with 415
/// before any endpoint reads it, so nothing is written; before this, an unknown charset reached the JSON reader and
/// answered 500, and a UTF-16 or Latin-1 body was read in a way no client had been promised.
/// </summary>
public static class Utf8Bodies
{
    public static IApplicationBuilder UseUtf8Bodies(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var (detail, normalized) = Check(context.Request.ContentType);
        if (detail is null)
        {
            // The framework's reader does not unquote charset="utf-8" (valid RFC 9110 syntax) and answered it with 500.
            if (normalized is not null) context.Request.ContentType = normalized;
            await next(context);
            return;
        }

        context.Response.StatusCode = StatusCodes.Status415UnsupportedMediaType;
        await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = { Status = StatusCodes.Status415UnsupportedMediaType, Title = "The request body's charset is not supported.", Detail = detail },
        });
    });

    /// <summary>
    /// Why the Content-Type cannot be read as UTF-8 JSON (null when it can, or there is none), and the header with a
    /// quoted UTF-8 label unquoted (null when it needs no change).
    /// </summary>
    internal static (string? Problem, string? Normalized) Check(string? contentType)
    {
        if (string.IsNullOrEmpty(contentType)) return (null, null);
        if (!MediaTypeHeaderValue.TryParse(contentType, out var mediaType))
            return ("The Content-Type header could not be read. Send application/json; charset=utf-8.", null);
        var charsets = mediaType.Parameters.Where(p => p.Name.Equals("charset", StringComparison.OrdinalIgnoreCase)).ToList();
        if (charsets.Count > 1) return ("The Content-Type header names more than one charset. Send the body in UTF-8 and label it charset=utf-8 (or not at all).", null);
        if (charsets is [var charset] && HeaderUtilities.RemoveQuotes(charset.Value).Value is var name
            && !string.Equals(name, "utf-8", StringComparison.OrdinalIgnoreCase) && !string.Equals(name, "utf8", StringComparison.OrdinalIgnoreCase))
            return ($"The body is labelled charset={name}; this API reads UTF-8 only. Send the body in UTF-8 and label it charset=utf-8 (or not at all).", null);
        if (charsets is [var quoted] && HeaderUtilities.IsQuoted(quoted.Value))
        {
            quoted.Value = "utf-8";
            return (null, mediaType.ToString());
        }

        return (null, null);
    }
}
