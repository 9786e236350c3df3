namespace Interweave.Sidecar.Flows.Engine;

/// <summary>A row of flow_run_records: what one run did with one record.</summary>
public sealed record StoredRunRecord
{
    public long Id { get; init; }
    public long RunId { get; init; }
    public string SourceKey { get; init; } = "";
    public string? TargetKey { get; init; }
    public RecordAction Action { get; init; }
    public string? Error { get; init; }
    public DateTimeOffset At { get; init; }
    public string? Label { get; init; }
    /// <summary>The fields written with their old and new values (JSON), or null when none was.</summary>
    public string? Changes { get; init; }

    /// <summary>The object of the source side when the run named it (a button's run touches several); null: the flow's source object.</summary>
    public string? SourceObject { get; init; }

    /// <summary>The object of the target side when the run named it; null: the flow's target object.</summary>
    public string? TargetObject { get; init; }
}

/// <summary>A record's key in one system, with the object it is a key of when known (a RECORDNO alone names no record).</summary>
public sealed record RecordRef(string Key, string? Object);
