using System.Text.Json.Nodes;
using Interweave.Sidecar.Creatio;

namespace Interweave.Sidecar.Flows.Engine;

/// <summary>
/// One support Case in Creatio per group of open errors (a flow, a kind of error, an error number: what one fix
/// mends), linked to the account, its text updated with the count as records join; resolved in Creatio when the
/// group's errors are resolved, closed when they are dismissed. Its Id is derived from the id of the group's first
/// error, so raising it again (a retry, a crash between the create and our bookkeeping) can never make a second Case.
/// </summary>
public sealed class CaseRaiser(TimeProvider time)
{
    // Creatio's own lookup values. Creatio has no "integration" origin, so the origin stays empty.
    // CaseStatus seed values of Creatio 8.1's base packages (docs: creatio.md, "Seed values shipped by base packages").
    public static readonly Guid NewStatus = Guid.Parse("ae5f2f10-f46b-1410-fd9a-0050ba5d6c38");
    public static readonly Guid ResolvedStatus = Guid.Parse("ae7f411e-f46b-1410-009b-0050ba5d6c38");
    public static readonly Guid ClosedStatus = Guid.Parse("3e7f420c-f46b-1410-fc9a-0050ba5d6c38");
    public static readonly Guid MediumPriority = Guid.Parse("d9bd322c-f46b-1410-ee8c-0050ba5d6c38");
    public static readonly Guid IncidentCategory = Guid.Parse("1b0bc159-150a-e111-a31b-00155d04c01d");

    public static Guid CaseIdFor(long errorId) =>
        DeterministicIds.From("interweave-case:" + errorId);

    /// <summary>Raises the Case of an error's group, or updates it with the group's count of open errors; answers its Id and Number.</summary>
    public async Task<(Guid Id, string? Number)> RaiseOrUpdateAsync(CreatioConnection creatio, StoredError error, int openInGroup, CancellationToken cancellationToken)
    {
        var id = error.CaseId is { } caseId ? Guid.Parse(caseId) : CaseIdFor(error.Id);
        var subject = CreatioText.Truncate(CaseText.Subject(openInGroup > 1
            ? $"Interweave: {openInGroup} records of {error.FlowId}: {error.Message}"
            : $"Interweave: {error.RecordLabel ?? error.RecordKey}: {error.Message}"), 250);
        var symptoms = CaseText.Symptoms($"{error.Message}\n\n" +
                       (error.Hint is null ? "" : $"What to do: {error.Hint}\n") +
                       (error.ErrorNo is null ? "" : $"{error.System} error: {error.ErrorNo}\n") +
                       $"Flow: {error.FlowId}; record: {error.RecordKey}\n" +
                       (openInGroup > 1 ? $"{openInGroup} records of this flow fail for this reason; this Case stands for all of them.\n" : "") +
                       $"Seen {error.Occurrences} time(s), last at {error.LastSeenAt:u}. Retry or dismiss it in the Interweave error queue (error {error.Id}, #/errors/{error.Id} in the console).");
        if (error.CaseId is not null)
        {
            await creatio.UpdateAsync("Case", id, new JsonObject { ["Subject"] = subject, ["Symptoms"] = symptoms }, cancellationToken);
            return (id, error.CaseNumber);
        }

        var values = new JsonObject
        {
            ["Id"] = id.ToString("D"),
            ["Subject"] = subject,
            ["Symptoms"] = symptoms,
            ["StatusId"] = NewStatus.ToString("D"),
            ["PriorityId"] = MediumPriority.ToString("D"),
            ["CategoryId"] = IncidentCategory.ToString("D"),
            ["RegisteredOn"] = time.GetUtcNow().ToString("O"),
        };
        if (Guid.TryParse(error.AccountId, out var account)) values["AccountId"] = account.ToString("D");
        var created = await creatio.CreateAsync("Case", values, cancellationToken);
        return (id, (string?)created["Number"] is { Length: > 0 } number ? number : null);
    }

    /// <summary>The group's errors are all closed: its Case is resolved (they were fixed) or closed (they were dismissed).</summary>
    public Task CloseAsync(CreatioConnection creatio, Guid caseId, bool resolved, CancellationToken cancellationToken) =>
        creatio.UpdateAsync("Case", caseId, new JsonObject { ["StatusId"] = (resolved ? ResolvedStatus : ClosedStatus).ToString("D") }, cancellationToken);
}
