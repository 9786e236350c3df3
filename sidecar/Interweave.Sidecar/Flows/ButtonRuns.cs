using Dapper;
using Interweave.Sidecar.Flows.Engine;
using Interweave.Sidecar.Storage;

namespace Interweave.Sidecar.Flows;

/// <summary>The record a click is about: the opportunity sent, the account or product synced.</summary>
/// <param name="FlowId">The flow the click runs (send-to-intacct, creatio-accounts, creatio-products); its runs list shows the click.</param>
/// <param name="Object">The Creatio object of the record (Opportunity, Account, Product).</param>
/// <param name="Id">The record's Creatio Id.</param>
/// <param name="TargetObject">The Intacct object it goes to (SODOCUMENT, CUSTOMER, ITEM).</param>
public sealed record ButtonSubject(string FlowId, string Object, Guid Id, string TargetObject);

/// <summary>One record a click touched, with the object on each side (a click touches several objects).</summary>
public sealed record TouchedRecord(string SourceObject, string SourceKey, string TargetObject, string? TargetKey, RecordAction Action, string? Label, string? Error = null);

/// <summary>What a click's work touched, collected as it goes and logged as its run's records.</summary>
public sealed class ButtonTrail
{
    private readonly List<TouchedRecord> _records = [];

    /// <summary>The subject's name, when the work read it (an opportunity's title); its failure is logged under it.</summary>
    public string? SubjectLabel { get; set; }

    public IReadOnlyList<TouchedRecord> Records => _records;

    public void Touched(TouchedRecord record) => _records.Add(record);
}

/// <summary>
/// A click (Send to Intacct, Sync with Intacct) is a run like any other: trigger <c>button</c>, the key that asked,
/// its state and error, and a record for each record it touched, so the Runs list and a record's history show
/// "did this send go through at 14:02, and what did Intacct say?". The run is written when the work ends (a
/// click's work can outlast its answer), already finished, so clicks on different records never wait for each
/// other on the one-running-run-per-flow rule.
/// </summary>
public sealed class ButtonRuns(Store store, TimeProvider time, ILogger<ButtonRuns> log)
{
    public const string Trigger = "button";

    public async Task<T> RecordAsync<T>(ButtonSubject subject, string? requestedBy, Func<ButtonTrail, Task<T>> work)
    {
        var trail = new ButtonTrail();
        var startedAt = time.GetUtcNow();
        try
        {
            var result = await work(trail);
            await SaveAsync(subject, requestedBy, startedAt, RunState.Succeeded, null, trail.Records);
            return result;
        }
        catch (FlowRefusedException ex) when (ex.Reason == RefusalReason.NotFound)
        {
            throw; // no such record: nothing was touched, and a click on nothing leaves no run
        }
        catch (Exception ex)
        {
            var error = ex is FlowRefusedException refused ? $"{refused.Title}: {refused.Message}" : ex.Message;
            var failed = new TouchedRecord(subject.Object, subject.Id.ToString("D"), subject.TargetObject, null, RecordAction.Failed, trail.SubjectLabel, error);
            await SaveAsync(subject, requestedBy, startedAt, RunState.Failed, error, [.. trail.Records, failed]);
            throw;
        }
    }

    /// <summary>The finished run and its records in one transaction; a store failure here is logged, never the click's answer.</summary>
    private async Task SaveAsync(ButtonSubject subject, string? requestedBy, DateTimeOffset startedAt, RunState state, string? error, IReadOnlyList<TouchedRecord> records)
    {
        try
        {
            var now = time.GetUtcNow();
            await using var connection = await store.OpenAsync(CancellationToken.None);
            await using var transaction = await connection.BeginTransactionAsync(CancellationToken.None);
            var runId = await connection.ExecuteScalarAsync<long>(new CommandDefinition("""
                insert into flow_runs (flow_id, trigger, state, started_at, finished_at, read_count, created_count, updated_count, unchanged_count, failed_count,
                    total_count, error, requested_by)
                values (@FlowId, @Trigger, @state, @startedAt, @now, @read, @created, @updated, @unchanged, @failed, @read, @error, @requestedBy)
                returning id
                """,
                new
                {
                    subject.FlowId,
                    Trigger,
                    state = WireNames.Of(state),
                    startedAt,
                    now,
                    read = records.Count,
                    created = records.Count(r => r.Action == RecordAction.Created),
                    updated = records.Count(r => r.Action == RecordAction.Updated),
                    unchanged = records.Count(r => r.Action == RecordAction.Unchanged),
                    failed = records.Count(r => r.Action == RecordAction.Failed),
                    error,
                    requestedBy,
                }, transaction));
            await connection.ExecuteAsync(new CommandDefinition("""
                insert into flow_run_records (run_id, source_key, target_key, action, error, at, label, source_object, target_object)
                values (@runId, @SourceKey, @TargetKey, @action, @Error, @now, @label, @SourceObject, @TargetObject)
                """,
                records.Select(r => new
                {
                    runId,
                    r.SourceKey,
                    r.TargetKey,
                    action = WireNames.Of(r.Action),
                    r.Error,
                    now,
                    label = r.Label is { Length: > 200 } text ? text[..200] : r.Label,
                    r.SourceObject,
                    r.TargetObject,
                }), transaction));
            await transaction.CommitAsync(CancellationToken.None);
        }
        catch (Exception ex) when (ex is System.Data.Common.DbException or InvalidOperationException)
        {
            log.LogWarning(ex, "Could not log the click on {Object} {Id} as a run of {FlowId}", subject.Object, subject.Id, subject.FlowId);
        }
    }
}
