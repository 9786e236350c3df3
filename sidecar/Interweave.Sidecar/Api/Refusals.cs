using Interweave.Sidecar.Creatio;
using Interweave.Sidecar.Flows.Engine;
using Interweave.Sidecar.Intacct;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

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
        RefusalReason.Disabled => StatusCodes.Status409Conflict,
        RefusalReason.Overloaded => StatusCodes.Status503ServiceUnavailable,
        _ => throw new ArgumentOutOfRangeException(nameof(reason), reason, null),
    };

    public static ProblemHttpResult Problem(FlowRefusedException refused, string? title = null)
    {
        var extensions = new Dictionary<string, object?>();
        if (refused.Hint is not null) extensions["hint"] = refused.Hint;
        if (refused.FlowId is not null) extensions["flowId"] = refused.FlowId;
        if (refused.Reason == RefusalReason.Disabled) extensions["reason"] = "disabled";
        return TypedResults.Problem(title: title ?? refused.Title, detail: refused.Message, statusCode: StatusFor(refused.Reason),
            extensions: extensions.Count > 0 ? extensions : null);
    }

    /// <summary>
    /// Runs an endpoint's work and answers with its result, or with problem details for a refusal of the domain or of
    /// a remote system: the answer every endpoint that starts work gives.
    /// </summary>
    public static async Task<Results<TOk, ProblemHttpResult, JsonHttpResult<ProblemDetails>>> AnswerAsync<TOk>(Func<Task<TOk>> work, string intacctTitle,
        string creatioTitle, string? refusedTitle = null)
        where TOk : IResult
    {
        try
        {
            return await work();
        }
        catch (FlowRefusedException ex)
        {
            return Problem(ex, refusedTitle);
        }
        catch (IntacctException ex)
        {
            return RemoteProblems.From(ex, intacctTitle);
        }
        catch (CreatioException ex)
        {
            return RemoteProblems.From(ex, creatioTitle);
        }
    }
}
