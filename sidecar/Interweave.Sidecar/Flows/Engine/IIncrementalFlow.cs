namespace Interweave.Sidecar.Flows.Engine;

/// <summary>A kind of flow the runner can run over changed records and retry one record of.</summary>
public interface IIncrementalFlow
{
    FlowKind Kind { get; }

    /// <summary>Runs over what changed since the watermark, or over <paramref name="scope"/> (leaving the watermark) when given.</summary>
    Task<StoredRun> ExecuteAsync(StoredFlow stored, StoredRun run, RunScope? scope, CancellationToken cancellationToken);

    Task<RecordAction> RetryOneAsync(StoredFlow stored, StoredRun run, string key, CancellationToken cancellationToken);
}
