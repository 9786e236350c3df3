using Microsoft.AspNetCore.Diagnostics;

namespace Interweave.Sidecar.Api;

/// <summary>
/// Answers a request the framework could not read (malformed JSON, a wrong content type) with the 4xx it
/// deserves, as problem details naming what was wrong. Because the exception counts as handled, the
/// exception handler logs no stack trace and the request log records the status the client got.
/// </summary>
public sealed class BadRequestHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException bad) return false;
        context.Response.StatusCode = bad.StatusCode;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            Exception = exception,
            ProblemDetails =
            {
                Status = bad.StatusCode,
                Title = "The request could not be read.",
                // The framework's message names the parameter and the JSON path, never the body's contents.
                Detail = bad.Message,
            },
        });
    }
}
