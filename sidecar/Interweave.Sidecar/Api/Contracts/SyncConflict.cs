using Interweave.Sidecar.Flows.Engine;

namespace Interweave.Sidecar.Api.Contracts;

/// <summary>A field both systems changed since it was last synced; neither direction writes it until a person keeps one side's value.</summary>
/// <param name="Id">The conflict's number; resolve takes it.</param>
/// <param name="BindingKind">The kind of pair (account-customer, product-item).</param>
/// <param name="CreatioId">The Creatio record.</param>
/// <param name="IntacctId">Its Intacct partner.</param>
/// <param name="RecordLabel">A name people know the record by.</param>
/// <param name="CreatioField">The field in Creatio (Phone).</param>
/// <param name="IntacctField">The same field in Intacct (DISPLAYCONTACT/PHONE1).</param>
/// <param name="PullFlowId">The flow from Intacct to Creatio that carries it.</param>
/// <param name="PushFlowId">The flow from Creatio to Intacct that carries it.</param>
/// <param name="CreatioValue">Creatio's value when the conflict was last seen.</param>
/// <param name="IntacctValue">Intacct's value when the conflict was last seen.</param>
/// <param name="SyncedValue">The value both systems last agreed on.</param>
/// <param name="Status">Where the conflict stands.</param>
/// <param name="Kept">Whose value was kept, once resolved.</param>
/// <param name="Occurrences">How many runs found it.</param>
/// <param name="FirstSeenAt">When it was first found.</param>
/// <param name="LastSeenAt">When it was last found.</param>
/// <param name="ResolvedAt">When a person resolved it.</param>
public sealed record SyncConflict(
    long Id, string BindingKind, string CreatioId, string IntacctId, string? RecordLabel, string CreatioField, string IntacctField, string PullFlowId, string PushFlowId,
    string? CreatioValue, string? IntacctValue, string? SyncedValue, ConflictStatus Status, ConflictSide? Kept, int Occurrences, DateTimeOffset FirstSeenAt,
    DateTimeOffset LastSeenAt, DateTimeOffset? ResolvedAt)
{
    public static SyncConflict From(StoredConflict c) =>
        new(c.Id, c.BindingKind, c.CreatioId, c.IntacctId, c.RecordLabel, c.CreatioField, c.IntacctField, c.PullFlowId, c.PushFlowId, c.CreatioValue, c.IntacctValue,
            c.SyncedValue, c.Status, c.Kept, c.Occurrences, c.FirstSeenAt, c.LastSeenAt, c.ResolvedAt);
}
