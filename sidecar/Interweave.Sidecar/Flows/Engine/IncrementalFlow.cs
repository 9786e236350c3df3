namespace Interweave.Sidecar.Flows.Engine;

/// <summary>
/// A direction (a pull or a push) as the runner and the scheduler see it: run by the one skeleton every direction
/// shares, so a direction holds only what it reads and writes.
/// </summary>
public sealed class IncrementalFlow<TRecord>(FlowKind kind, ISyncDirection<TRecord> direction, IncrementalRun skeleton) : IIncrementalFlow
    where TRecord : class
{
    public FlowKind Kind => kind;

    public Task<StoredRun> ExecuteAsync(StoredFlow stored, StoredRun run, RunScope? scope, CancellationToken cancellationToken) =>
        skeleton.ExecuteAsync(direction, stored, run, scope, cancellationToken);

    public Task<RecordAction> RetryOneAsync(StoredFlow stored, StoredRun run, string key, CancellationToken cancellationToken) =>
        skeleton.RetryOneAsync(direction, stored, run, key, cancellationToken);
}
