namespace Interweave.Sidecar.Flows.Engine;

/// <summary>A row of sync_conflicts: one field of one pair of records that both systems changed since it was last synced.</summary>
public sealed record StoredConflict
{
    public long Id { get; init; }
    public string BindingKind { get; init; } = "";
    public string CreatioId { get; init; } = "";
    public string IntacctId { get; init; } = "";
    public string? RecordLabel { get; init; }
    public string CreatioField { get; init; } = "";
    public string IntacctField { get; init; } = "";
    public string PullFlowId { get; init; } = "";
    public string PushFlowId { get; init; } = "";
    public string? CreatioValue { get; init; }
    public string? IntacctValue { get; init; }
    public string? SyncedValue { get; init; }
    public ConflictStatus Status { get; init; }
    public ConflictSide? Kept { get; init; }
    public int Occurrences { get; init; }
    public DateTimeOffset FirstSeenAt { get; init; }
    public DateTimeOffset LastSeenAt { get; init; }
    public DateTimeOffset? ResolvedAt { get; init; }
}

/// <summary>A conflict as a run finds it, before it is queued.</summary>
public sealed record FieldConflict(string BindingKind, string CreatioId, string IntacctId, string? Label, string CreatioField, string IntacctField,
    string PullFlowId, string PushFlowId, string? CreatioValue, string? IntacctValue, string? SyncedValue);
