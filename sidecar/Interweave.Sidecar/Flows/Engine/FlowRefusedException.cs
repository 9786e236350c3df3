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

    /// <summary>An admin turned the flow off: it runs on no schedule, by no button, retry or load until turned on again.</summary>
    Disabled,

    /// <summary>Too much of the same kind of work is under way; the caller tries again after a few seconds.</summary>
    Overloaded,
}

/// <summary>Why a flow cannot go ahead: shown to the user as it is, with nothing written anywhere.</summary>
/// <param name="reason">Why, in the domain's words.</param>
/// <param name="title">A short title.</param>
/// <param name="detail">What happened, in the user's words.</param>
/// <param name="hint">What the user can do about it, when someone else has to act (shown as the correction).</param>
public sealed class FlowRefusedException(RefusalReason reason, string title, string detail, string? hint = null) : Exception(detail)
{
    public RefusalReason Reason { get; } = reason;

    public string Title { get; } = title;

    public string? Hint { get; } = hint;

    /// <summary>The flow this refusal is about, when it is one flow's switch.</summary>
    public string? FlowId { get; init; }

    /// <summary>The refusal of any work of a flow an admin turned off, naming the flow and who can turn it on.</summary>
    public static FlowRefusedException TurnedOff(string flowId, string name) =>
        new(RefusalReason.Disabled, $"{name} is turned off",
            $"The flow '{flowId}' ({name}) is turned off, so nothing of it runs: no schedule, button, run, retry or bulk load.",
            $"An admin can turn it on, on the Flows page of the console or with PUT /api/flows/{flowId} {{\"enabled\": true}}.")
        {
            FlowId = flowId,
        };
}
