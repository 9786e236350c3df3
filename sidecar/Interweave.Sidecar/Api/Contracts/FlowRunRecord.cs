using Interweave.Sidecar.Flows.Engine;

namespace Interweave.Sidecar.Api.Contracts;

/// <summary>What one run did with one record.</summary>
/// <param name="Id">The entry's number.</param>
/// <param name="RunId">The run it belongs to.</param>
/// <param name="SourceKey">The record's key in the system it came from.</param>
/// <param name="TargetKey">The record's key in the system it went to; null when it failed before one was known.</param>
/// <param name="Action">What happened to it.</param>
/// <param name="Error">Why it failed, or why it was left alone.</param>
/// <param name="At">When.</param>
/// <param name="Label">A name people know the record by (a customer's name, an invoice's number), at most 200 characters; null for runs logged before it was kept.</param>
public sealed record FlowRunRecord(long Id, long RunId, string SourceKey, string? TargetKey, RecordAction Action, string? Error, DateTimeOffset At, string? Label)
{
    public static FlowRunRecord From(StoredRunRecord record) =>
        new(record.Id, record.RunId, record.SourceKey, record.TargetKey, record.Action, record.Error, record.At, record.Label);
}

/// <summary>What one run of a flow did with a record: an entry of the record's history.</summary>
/// <param name="FlowId">The flow the run belonged to.</param>
/// <param name="RunId">The run.</param>
/// <param name="SourceKey">The record's key in the system it came from.</param>
/// <param name="TargetKey">Its key in the system it went to; null when it failed before one was known.</param>
/// <param name="Action">What happened to it.</param>
/// <param name="Error">Why it failed, or why it was left alone.</param>
/// <param name="At">When.</param>
/// <param name="Label">A name people know the record by, as the run logged it.</param>
public sealed record RecordHistoryEntry(string FlowId, long RunId, string SourceKey, string? TargetKey, RecordAction Action, string? Error, DateTimeOffset At, string? Label);
