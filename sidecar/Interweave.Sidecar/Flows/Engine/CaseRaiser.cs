using System.Text.Json.Nodes;
using Interweave.Sidecar.Creatio;

namespace Interweave.Sidecar.Flows.Engine;

/// <summary>
/// One support Case in Creatio per open error, linked to the account. Its Id is derived from the error's id,
/// so raising it again (a retry, a crash between the create and our bookkeeping) can never make a second Case.
/// </summary>
public sealed class CaseRaiser(TimeProvider time)
{
    // Creatio's own lookup values. Creatio has no "integration" origin, so the origin stays empty.
    public static readonly Guid NewStatus = Guid.Parse("ae5f2f10-f46b-1410-fd9a-0050ba5d6c38");
    public static readonly Guid MediumPriority = Guid.Parse("d9bd322c-f46b-1410-ee8c-0050ba5d6c38");
    public static readonly Guid IncidentCategory = Guid.Parse("1b0bc159-150a-e111-a31b-00155d04c01d");

    public static Guid CaseIdFor(long errorId) =>
        DeterministicIds.From("interweave-case:" + errorId);

    public async Task<Guid> RaiseOrUpdateAsync(CreatioConnection creatio, StoredError error, CancellationToken cancellationToken)
    {
        var id = CaseIdFor(error.Id);
        var subject = CreatioText.Truncate(CaseText.Subject($"Interweave: {error.RecordLabel ?? error.RecordKey}: {error.Message}"), 250);
        var symptoms = CaseText.Symptoms($"{error.Message}\n\n" +
                       (error.Hint is null ? "" : $"What to do: {error.Hint}\n") +
                       (error.ErrorNo is null ? "" : $"{error.System} error: {error.ErrorNo}\n") +
                       $"Flow: {error.FlowId}; record: {error.RecordKey}\n" +
                       $"Seen {error.Occurrences} time(s), last at {error.LastSeenAt:u}. Retry or dismiss it in the Interweave error queue (error {error.Id}).");
        if (error.CaseId is not null)
        {
            await creatio.UpdateAsync("Case", id, new JsonObject { ["Subject"] = subject, ["Symptoms"] = symptoms }, cancellationToken);
            return id;
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
        await creatio.CreateAsync("Case", values, cancellationToken);
        return id;
    }
}
