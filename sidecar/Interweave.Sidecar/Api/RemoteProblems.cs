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
    public static JsonHttpResult<ProblemDetails> From(IntacctException exception, string title, bool forAdmin = true)
    {
        // Intacct's own words about a record (a function's errors) are what a Creatio user needs to fix it; anything
        // about transport, sign-in or the sender may name addresses and settings, which only admins see (F7).
        if (!forAdmin && exception.Level != IntacctErrorLevel.Function) return Result(Fixed("Intacct", exception.Failure, title, exception.Hint));
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

    public static JsonHttpResult<ProblemDetails> From(CreatioException exception, string title, bool forAdmin = true)
    {
        if (!forAdmin) return Result(Fixed("Creatio", exception.Failure, title, exception.Hint));
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

    /// <summary>What the creatio role sees of a remote failure: its class and a fixed sentence, never the remote's text or an address.</summary>
    private static ProblemDetails Fixed(string system, RemoteFailure failure, string title, string? hint) =>
        Create(failure, title, failure switch
        {
            RemoteFailure.Transient or RemoteFailure.UnknownOutcome => $"Interweave could not reach {system}, or {system} did not answer properly. An administrator has the details.",
            RemoteFailure.RateLimited => $"{system} is busy and refused the request for now. Try again in a minute.",
            RemoteFailure.Unauthorized => $"{system} did not accept Interweave's credentials or rights. An administrator has the details.",
            _ => $"{system} refused the request. An administrator has the details.",
        }, hint);

    /// <summary>Whether the caller is an admin (who sees remote failures in full) rather than the creatio role.</summary>
    public static bool IsAdmin(System.Security.Claims.ClaimsPrincipal user) =>
        user.FindFirst(System.Security.Claims.ClaimTypes.Role)?.Value == Security.Policies.Admin;

    private static JsonHttpResult<ProblemDetails> Result(ProblemDetails problem) =>
        TypedResults.Json(problem, statusCode: problem.Status, contentType: "application/problem+json");

    private static string Join(string a, string b) => string.Join(" ", new[] { a, b }.Where(s => !string.IsNullOrWhiteSpace(s)));
}
