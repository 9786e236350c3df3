namespace Interweave.Sidecar.Flows.Engine;

/// <summary>Why the work was refused, in the domain's words; <c>Api/Refusals</c> alone turns it into an HTTP status.</summary>
public enum RefusalReason
{
    /// <summary>The record or flow asked for does not exist.</summary>
    NotFound,

    /// <summary>The same work is under way (a run of the flow, another click on the record).</summary>
    Busy,

    /// <summary>The record or request cannot be carried out as it stands; the detail says what to change.</summary>
    Invalid,

    /// <summary>Something an admin sets up is missing: a connection, an installed flow.</summary>
    NotConfigured,
}

/// <summary>Why a flow cannot go ahead: shown to the user as it is, with nothing written anywhere.</summary>
public sealed class FlowRefusedException(RefusalReason reason, string title, string detail) : Exception(detail)
{
    public RefusalReason Reason { get; } = reason;

    public string Title { get; } = title;
}
