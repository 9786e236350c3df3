using System.Globalization;
using Interweave.Sidecar.Creatio;
using Interweave.Sidecar.Intacct;

namespace Interweave.Sidecar.Flows.Engine;

/// <summary>What went wrong with one record, in words for the error queue and the support Case.</summary>
public sealed record RecordFailure(string Kind, string System, string Message, string? ErrorNo = null, string? Hint = null)
{
    /// <summary>Intacct's refusal as a queued error: its error number, and its correction text as the hint when it gives one.</summary>
    public static RecordFailure From(IntacctException ex)
    {
        var first = ex.Errors.Count > 0 ? ex.Errors[0] : null;
        return new RecordFailure("intacct-" + ex.Failure.ToString().ToLowerInvariant(), "Intacct", ex.Message, first?.ErrorNo,
            first?.Correction is { Length: > 0 } correction ? correction : ex.Hint);
    }

    /// <summary>
    /// The failure of one record that its neighbours go on without: a mapping refusal, or a remote system refusing
    /// this record. Null for what stops the whole run (a transient fault, a refused sign-in).
    /// </summary>
    public static RecordFailure? Of(Exception exception) => exception switch
    {
        MappingException ex => new RecordFailure(ex.Kind, "Interweave", ex.Message, Hint: ex.Hint),
        IntacctException { Failure: RemoteFailure.Rejected or RemoteFailure.Conflict or RemoteFailure.NotFound } ex => From(ex),
        CreatioException { Failure: RemoteFailure.Rejected or RemoteFailure.Conflict or RemoteFailure.NotFound } ex => From(ex),
        _ => null,
    };

    /// <summary>Creatio's refusal as a queued error: its message with the database's reason, its HTTP status as the error number, and its hint.</summary>
    public static RecordFailure From(CreatioException ex) =>
        new("creatio-" + ex.Failure.ToString().ToLowerInvariant(), "Creatio",
            ex.Detail is { Length: > 0 } detail && !ex.Message.Contains(detail, StringComparison.Ordinal) ? $"{ex.Message} ({detail})" : ex.Message,
            ex.StatusCode?.ToString(CultureInfo.InvariantCulture), ex.Hint);
}
