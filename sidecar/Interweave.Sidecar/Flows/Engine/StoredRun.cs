namespace Interweave.Sidecar.Flows.Engine;

/// <summary>A row of flow_runs: one run of a flow, its counts and the watermarks it read between.</summary>
public sealed record StoredRun
{
    public long Id { get; init; }
    public string FlowId { get; init; } = "";
    public string Trigger { get; init; } = "";
    public RunState State { get; init; }
    public DateTimeOffset StartedAt { get; init; }
    public DateTimeOffset? FinishedAt { get; init; }
    public int ReadCount { get; init; }
    public int CreatedCount { get; init; }
    public int UpdatedCount { get; init; }
    public int UnchangedCount { get; init; }
    public int FailedCount { get; init; }
    public int? TotalCount { get; init; }
    public DateTimeOffset? WatermarkFrom { get; init; }
    public DateTimeOffset? WatermarkTo { get; init; }
    public string? Error { get; init; }

    /// <summary>Not stored: the run read everything it was to read (whatever became of its records), as opposed to stopping as a whole.</summary>
    public bool ReachedEnd { get; init; }

    /// <summary>
    /// The state of a run that read to its end: succeeded when nothing failed, failed when every record it tried
    /// failed (nothing went through), completed with errors otherwise.
    /// </summary>
    public StoredRun Concluded(DateTimeOffset finishedAt)
    {
        var ended = this with { FinishedAt = finishedAt };
        if (FailedCount == 0) return ended with { State = RunState.Succeeded };
        if (FailedCount == ReadCount)
            return ended with { State = RunState.Failed, Error = $"Every record failed ({FailedCount} of {ReadCount}); they wait in the error queue." };
        return ended with { State = RunState.CompletedWithErrors };
    }

    /// <summary>The name of the key that asked for the run (Run now, a retry, a button); null for a schedule's.</summary>
    public string? RequestedBy { get; init; }

    /// <summary>This run with one more record read, counted under what happened to it.</summary>
    public StoredRun Counted(RecordAction action) => action switch
    {
        RecordAction.Created => this with { ReadCount = ReadCount + 1, CreatedCount = CreatedCount + 1 },
        RecordAction.Updated => this with { ReadCount = ReadCount + 1, UpdatedCount = UpdatedCount + 1 },
        RecordAction.Unchanged => this with { ReadCount = ReadCount + 1, UnchangedCount = UnchangedCount + 1 },
        _ => this with { ReadCount = ReadCount + 1, FailedCount = FailedCount + 1 },
    };
}
