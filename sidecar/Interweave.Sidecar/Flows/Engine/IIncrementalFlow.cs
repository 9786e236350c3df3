namespace Interweave.Sidecar.Flows.Engine;

/// <summary>A kind of flow the runner can run over changed records and retry one record of.</summary>
public interface IIncrementalFlow
{
    FlowKind Kind { get; }

    Task<StoredRun> ExecuteAsync(StoredFlow stored, StoredRun run, CancellationToken cancellationToken);

    Task<RecordAction> RetryOneAsync(StoredFlow stored, StoredRun run, string key, CancellationToken cancellationToken);
}
