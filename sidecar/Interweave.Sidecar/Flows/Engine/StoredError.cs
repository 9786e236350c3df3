namespace Interweave.Sidecar.Flows.Engine;

/// <summary>A row of sync_errors: one open (or closed) error of one record in one flow.</summary>
public sealed record StoredError
{
    public long Id { get; init; }
    public string FlowId { get; init; } = "";
    public string RecordKey { get; init; } = "";
    public string? RecordLabel { get; init; }
    public string? AccountId { get; init; }
    public string ErrorKind { get; init; } = "";
    public string System { get; init; } = "";
    public string? ErrorNo { get; init; }
    public string Message { get; init; } = "";
    public string? Hint { get; init; }
    public ErrorStatus Status { get; init; }
    public int Occurrences { get; init; }
    public string? CaseId { get; init; }
    public DateTimeOffset FirstSeenAt { get; init; }
    public DateTimeOffset LastSeenAt { get; init; }
    public DateTimeOffset? ClosedAt { get; init; }
    public ErrorScope Scope { get; init; }
    public long? RunId { get; init; }
    public string? CaseNumber { get; init; }
}
