namespace Interweave.Sidecar.Flows.Engine;

/// <summary>
/// What one direction of an incremental flow does with its records; <see cref="IncrementalRun"/> does the rest
/// (watermark, paging, progress, retries of one record, the failure path).
/// </summary>
public interface ISyncDirection<TRecord> where TRecord : class
{
    /// <summary>The source records changed since <paramref name="since"/> (all when null) that pass the flow's filter.</summary>
    IAsyncEnumerable<TRecord> ReadChangedAsync(RunContext run, DateTimeOffset? since, CancellationToken cancellationToken);

    /// <summary>One source record by its key, or null when the source no longer has it.</summary>
    Task<TRecord?> ReadOneAsync(RunContext run, string key, CancellationToken cancellationToken);

    /// <summary>What the run log says when <see cref="ReadOneAsync"/> finds nothing.</summary>
    string GoneMessage(RunContext run);

    string KeyOf(RunContext run, TRecord record);

    /// <summary>A name people know the record by, for the error queue and the Case.</summary>
    string LabelOf(RunContext run, TRecord record);

    /// <summary>When the source last changed the record, for the next watermark; null when the source does not say.</summary>
    DateTimeOffset? ModifiedAt(RunContext run, TRecord record);

    /// <summary>
    /// Maps and writes a page of records with as few round trips as the systems allow: one attempt per record, in
    /// order. A record's own failure is its attempt's; what stops every record (a transient fault that outlived the
    /// retries, a refused sign-in) is thrown.
    /// </summary>
    Task<IReadOnlyList<RecordAttempt>> WritePageAsync(RunContext run, IReadOnlyList<TRecord> page, CancellationToken cancellationToken);

    /// <summary>
    /// Shows a failure on the records it concerns (a sync-status mark) and answers the Creatio account the
    /// support Case belongs to. Never throws over the failure it reports.
    /// </summary>
    Task<Guid?> RecordFailedAsync(RunContext run, TRecord record, RecordFailure failure, CancellationToken cancellationToken);

    /// <summary>Work over what a page wrote (the flow's roll-up), once its records are in.</summary>
    Task AfterWrittenAsync(RunContext run, IReadOnlyList<WrittenRecord> written, CancellationToken cancellationToken);
}
