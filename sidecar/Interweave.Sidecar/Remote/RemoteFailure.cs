namespace Interweave.Sidecar;

/// <summary>The small closed set callers decide by (style.md), for every remote system; never by message text.</summary>
public enum RemoteFailure
{
    /// <summary>Network trouble, 5xx, an HTML page instead of the API's answer: safe to retry a read.</summary>
    Transient,

    /// <summary>The remote refused the request before doing anything (too many at once).</summary>
    RateLimited,

    /// <summary>Credentials, authorization or permissions.</summary>
    Unauthorized,

    /// <summary>A business or validation error: retrying the same request gives the same answer.</summary>
    Rejected,

    NotFound,

    /// <summary>The record already exists (duplicate id).</summary>
    Conflict,

    /// <summary>A write may or may not have been committed (timeout, dropped connection): look it up before re-sending.</summary>
    UnknownOutcome,
}
