using Interweave.Sidecar.Creatio;
using Interweave.Sidecar.Intacct;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Interweave.Sidecar.Api;

/// <summary>
/// Turns a remote system's failure into problem details: 422 when it refused (with its own words and a plain
/// hint), 502 when it could not be reached or did not answer.
/// </summary>
internal static class RemoteProblems
{
    public static JsonHttpResult<ProblemDetails> From(IntacctException exception, string title)
    {
        var problem = Create(exception.Failure, title,
            exception.Errors.Count > 0 ? string.Join(" ", exception.Errors.Select(e => Join(e.Description, e.Description2))) : exception.Message,
            exception.Hint);
        problem.Extensions["level"] = exception.Level.ToString();
        problem.Extensions["intacctErrors"] = exception.Errors
            .Select(e => new { errorNo = e.ErrorNo, description = e.Description, description2 = e.Description2, correction = e.Correction })
            .ToArray();
        if (exception.ControlId is { } controlId) problem.Extensions["controlId"] = controlId;
        return Result(problem);
    }

    public static JsonHttpResult<ProblemDetails> From(CreatioException exception, string title)
    {
        var problem = Create(exception.Failure, title, exception.Message, exception.Hint);
        if (exception.StatusCode is { } status) problem.Extensions["creatioStatus"] = status;
        if (exception.Detail is { } detail) problem.Extensions["creatioDetail"] = detail;
        return Result(problem);
    }

    private static ProblemDetails Create(RemoteFailure failure, string title, string detail, string? hint)
    {
        var unreachable = failure is RemoteFailure.Transient or RemoteFailure.UnknownOutcome or RemoteFailure.RateLimited;
        var problem = new ProblemDetails
        {
            Status = unreachable ? StatusCodes.Status502BadGateway : StatusCodes.Status422UnprocessableEntity,
            Title = title,
            Detail = detail,
        };
        problem.Extensions["failure"] = failure.ToString();
        if (hint is not null) problem.Extensions["hint"] = hint;
        return problem;
    }

    private static JsonHttpResult<ProblemDetails> Result(ProblemDetails problem) =>
        TypedResults.Json(problem, statusCode: problem.Status, contentType: "application/problem+json");

    private static string Join(string a, string b) => string.Join(" ", new[] { a, b }.Where(s => !string.IsNullOrWhiteSpace(s)));
}
