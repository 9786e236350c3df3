namespace Interweave.Sidecar.Flows.Engine;

/// <summary>What writing one record came to. Failures are not results: they are thrown, and the run's one failure path takes them.</summary>
public abstract record RecordResult(RecordAction Action, string TargetKey);

/// <summary>The record went through: created, updated, or found already as it should be; <paramref name="Changes"/> are the fields it wrote.</summary>
public sealed record RecordWritten(RecordAction Action, string TargetKey, WrittenRecord? Written, IReadOnlyList<WrittenField>? Changes = null) : RecordResult(Action, TargetKey);

/// <summary>
/// The record has the same values as an attempt that failed; its error is still open in the queue, so nothing is
/// tried until the values change or someone retries.
/// </summary>
public sealed record RecordHeldAfterFailure(string TargetKey) : RecordResult(RecordAction.Unchanged, TargetKey);

/// <summary>The record failed; the failure is in the error queue and the run log.</summary>
public sealed record RecordFailed(RecordFailure Failure) : RecordResult(RecordAction.Failed, "");
