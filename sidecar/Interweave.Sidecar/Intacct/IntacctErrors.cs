namespace Interweave.Sidecar.Intacct;

public enum IntacctErrorLevel
{
    Transport,
    Control,
    Authentication,
    Function,
}

/// <summary>One error as Intacct reports it, each text bounded (<see cref="RemoteText"/>) however long the gateway made it.</summary>
public sealed record IntacctError(string ErrorNo, string Description, string Description2, string Correction)
{
    public string ErrorNo { get; init; } = RemoteText.Bound(ErrorNo);

    public string Description { get; init; } = RemoteText.Bound(Description);

    public string Description2 { get; init; } = RemoteText.Bound(Description2);

    public string Correction { get; init; } = RemoteText.Bound(Correction);

    public override string ToString() =>
        string.Join(" ", new[] { ErrorNo, Description, Description2, Correction }.Where(s => !string.IsNullOrWhiteSpace(s)));
}

public sealed class IntacctException : Exception
{
    public IntacctException(RemoteFailure failure, IntacctErrorLevel level, IReadOnlyList<IntacctError> errors, string? controlId = null, string? message = null, Exception? inner = null)
        : base(RemoteText.Bound(message ?? (errors.Count > 0 ? string.Join("; ", errors) : failure.ToString())), inner)
    {
        Failure = failure;
        Level = level;
        Errors = errors;
        ControlId = controlId;
    }

    public RemoteFailure Failure { get; }

    public IntacctErrorLevel Level { get; }

    public IReadOnlyList<IntacctError> Errors { get; }

    /// <summary>The function's controlid (or the request's, for control and authentication errors).</summary>
    public string? ControlId { get; }

    /// <summary>A plain-language next step for the common cases, or null.</summary>
    public string? Hint => IntacctHints.For(this);
}

internal static class IntacctHints
{
    public static string? For(IntacctException exception)
    {
        var text = string.Join(" ", exception.Errors.Select(e => $"{e.Description} {e.Description2} {e.Correction}"));
        bool Has(string s) => text.Contains(s, StringComparison.OrdinalIgnoreCase);

        if (RemoteHosts.RefusalIn(exception) is not null)
            return "An operator lists the endpoint's host, and a private address it resolves to, in Interweave:AllowedRemoteHosts.";
        if (exception.Level == IntacctErrorLevel.Control && Has("not authorized"))
            return "The sender ID is not authorized for this company. In Intacct, an administrator adds it under Company > Setup > Company > Security > Web Services authorizations.";
        if (exception.Level == IntacctErrorLevel.Control && (Has("Partner ID") || Has("sender")))
            return "The Web Services sender ID or sender password is wrong. They come with the Web Services developer license, not from the company's users.";
        if (Has("subscription") || Has("Web Services is not enabled"))
            return "Web Services are not enabled for this company. An administrator turns them on under Company > Subscriptions > Web Services.";
        if (exception.Level == IntacctErrorLevel.Authentication && Has("session"))
            return "The API session expired; the sidecar logs in again by itself. If this repeats, check the web services user.";
        if (exception.Level == IntacctErrorLevel.Authentication)
            return "The company ID, the web services user ID or its password is wrong, or the user is not a Web Services user (Company > Admin > Web Services users).";
        if (exception.Failure == RemoteFailure.Conflict)
            return "Intacct already has a record with this ID that is not linked to the Creatio record. Link them (set ACCOUNTID or PRODUCTID on the Intacct record to the Creatio Id), or give the Creatio record a different code; the sidecar never links records by name on its own.";
        if (Has("permission"))
            return "The web services user's role lacks a permission this operation needs. Grant it under Company > Admin > Roles.";
        return exception.Failure switch
        {
            RemoteFailure.Transient => "Intacct did not answer properly; the request can be retried.",
            RemoteFailure.RateLimited => "Intacct refused the request because too many were running at once; it is retried with backoff.",
            RemoteFailure.UnknownOutcome => "The connection to Intacct was lost while a change was being made; the sidecar checks whether it was saved before trying again.",
            _ => null,
        };
    }
}
