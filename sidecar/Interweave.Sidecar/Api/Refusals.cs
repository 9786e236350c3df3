using Interweave.Sidecar.Flows.Engine;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Interweave.Sidecar.Api;

/// <summary>The one place where the domain's refusal reasons become HTTP statuses.</summary>
internal static class Refusals
{
    public static int StatusFor(RefusalReason reason) => reason switch
    {
        RefusalReason.NotFound => StatusCodes.Status404NotFound,
        RefusalReason.Busy => StatusCodes.Status409Conflict,
        RefusalReason.Invalid => StatusCodes.Status422UnprocessableEntity,
        RefusalReason.NotConfigured => StatusCodes.Status503ServiceUnavailable,
        _ => throw new ArgumentOutOfRangeException(nameof(reason), reason, null),
    };

    public static ProblemHttpResult Problem(FlowRefusedException refused, string? title = null) =>
        TypedResults.Problem(title: title ?? refused.Title, detail: refused.Message, statusCode: StatusFor(refused.Reason));
}
