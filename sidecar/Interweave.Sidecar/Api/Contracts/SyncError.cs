using Interweave.Sidecar.Flows.Engine;

namespace Interweave.Sidecar.Api.Contracts;

/// <summary>An error in the queue: one record of one flow that a retry alone will not fix, or a run of a flow that stopped as a whole.</summary>
/// <param name="Id">The error's number; retry and dismiss take it.</param>
/// <param name="FlowId">The flow the record failed in.</param>
/// <param name="RecordKey">The record's key in the system it came from; empty for a run-level error.</param>
/// <param name="RecordLabel">A name people know the record by.</param>
/// <param name="AccountId">The Creatio account it concerns, when known.</param>
/// <param name="ErrorKind">What kind of failure, e.g. intacct-rejected or missing-UsrAccountId; repeats of a kind count up one error.</param>
/// <param name="System">Which system refused: Intacct, Creatio or Interweave.</param>
/// <param name="ErrorNo">Intacct's error number, or Creatio's HTTP status.</param>
/// <param name="Message">What went wrong.</param>
/// <param name="Hint">What to do about it (Intacct's correction text when it gives one).</param>
/// <param name="Status">Where the error stands.</param>
/// <param name="Occurrences">How many times it was seen.</param>
/// <param name="CaseId">The support Case raised in Creatio for it.</param>
/// <param name="FirstSeenAt">When it was first seen.</param>
/// <param name="LastSeenAt">When it was last seen.</param>
/// <param name="ClosedAt">When it was resolved or dismissed.</param>
/// <param name="Scope">record (one record failed; retry sends it again) or run (the whole run stopped: a system unreachable, a refused sign-in, a 5xx; retry runs the flow again).</param>
/// <param name="RunId">The run it was last seen in; GET /api/runs/{id} shows it.</param>
/// <param name="CaseNumber">The number people know its support Case by in Creatio (Case.Number, e.g. SR00003), once raised. Errors of one group (flow, kind, error number) share one Case.</param>
/// <param name="CaseUrl">The Case's page in Creatio, when the Creatio connection is configured (through Creatio's navigation service, which opens the Case page the site uses).</param>
/// <param name="Places">The failed record in each system: its Creatio object, Id and page (for a record from Intacct, the account it concerns, when known), its Intacct object and key.</param>
public sealed record SyncError(
    long Id, string FlowId, string RecordKey, string? RecordLabel, string? AccountId, string ErrorKind, string System, string? ErrorNo, string Message,
    string? Hint, ErrorStatus Status, int Occurrences, string? CaseId, DateTimeOffset FirstSeenAt, DateTimeOffset LastSeenAt, DateTimeOffset? ClosedAt,
    ErrorScope Scope = ErrorScope.Record, long? RunId = null, string? CaseNumber = null, string? CaseUrl = null, RecordPlaces? Places = null)
{
    /// <summary>
    /// The error as the API shows it; <paramref name="creatioSite"/> (the site's root, with its /0 when it has one) gives the Case and the record their
    /// addresses, and <paramref name="flows"/> (each flow's source and target) the objects its record belongs to.
    /// </summary>
    public static SyncError From(StoredError e, string? creatioSite = null,
        IReadOnlyDictionary<string, (Flows.Engine.FlowEndpoint Source, Flows.Engine.FlowEndpoint Target)>? flows = null)
    {
        RecordPlaces? places = null;
        if (e.Scope == ErrorScope.Record && flows is not null && flows.TryGetValue(e.FlowId, out var flow))
        {
            places = RecordPlaces.Of(flow.Source, null, e.RecordKey, null, null, null, creatioSite);
            // A record from Intacct has no Creatio Id of its own here; the account it concerns is the page to open.
            if (places.CreatioEntity is null && e.AccountId is not null)
                places = places with { CreatioEntity = "Account", CreatioId = e.AccountId, CreatioUrl = Creatio.CreatioLinks.RecordUrl(creatioSite, "Account", e.AccountId) };
        }

        return new(e.Id, e.FlowId, e.RecordKey, e.RecordLabel, e.AccountId, e.ErrorKind, e.System, e.ErrorNo, e.Message, e.Hint, e.Status, e.Occurrences, e.CaseId,
            e.FirstSeenAt, e.LastSeenAt, e.ClosedAt, e.Scope, e.RunId, e.CaseNumber, e.CaseId is null ? null : Creatio.CreatioLinks.RecordUrl(creatioSite, "Case", e.CaseId),
            places);
    }
}
