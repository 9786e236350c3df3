using Interweave.Sidecar.Intacct;
using Microsoft.AspNetCore.Mvc;

namespace Interweave.Sidecar.Api;

/// <summary>Turns an Intacct failure into problem details that carry Intacct's own words and a plain hint.</summary>
internal static class IntacctProblems
{
    public static ProblemDetails From(IntacctException exception, string title)
    {
        var unreachable = exception.Failure is RemoteFailure.Transient or RemoteFailure.UnknownOutcome or RemoteFailure.RateLimited;
        var problem = new ProblemDetails
        {
            Status = unreachable ? StatusCodes.Status502BadGateway : StatusCodes.Status422UnprocessableEntity,
            Title = title,
            Detail = exception.Errors.Count > 0 ? string.Join(" ", exception.Errors.Select(e => Join(e.Description, e.Description2))) : exception.Message,
            Type = "https://github.com/interweave/interweave/blob/main/README.md#intacct-errors",
        };
        problem.Extensions["failure"] = exception.Failure.ToString();
        problem.Extensions["level"] = exception.Level.ToString();
        problem.Extensions["intacctErrors"] = exception.Errors
            .Select(e => new { errorNo = e.ErrorNo, description = e.Description, description2 = e.Description2, correction = e.Correction })
            .ToArray();
        if (exception.Hint is { } hint) problem.Extensions["hint"] = hint;
        if (exception.ControlId is { } controlId) problem.Extensions["controlId"] = controlId;
        return problem;
    }

    private static string Join(string a, string b) => string.Join(" ", new[] { a, b }.Where(s => !string.IsNullOrWhiteSpace(s)));
}
