using Dapper;
using Interweave.Sidecar.Storage;

namespace Interweave.Sidecar.Flows.Engine;

/// <summary>What one flow's runs did since a moment: runs, and records created, updated and failed.</summary>
public sealed class FlowActivityRow
{
    public string FlowId { get; init; } = "";
    public int Runs { get; init; }
    public int Created { get; init; }
    public int Updated { get; init; }
    public int Failed { get; init; }
    public int RunsFailed { get; init; }
    public int RunsCompletedWithErrors { get; init; }
    public int RunsRunning { get; init; }
}

/// <summary>
/// The counts a finance reader asks about (documents sent, invoices and payments brought in, records waiting on an
/// error), summed in the store: the dashboard used to download the last 500 runs and count them in the browser,
/// which undercounts once an install makes more.
/// </summary>
public sealed class ActivityCounts(Store store)
{
    /// <summary>Per flow that ran since <paramref name="from"/>: its runs and the records they created, updated and failed.</summary>
    public async Task<IReadOnlyList<FlowActivityRow>> PerFlowAsync(DateTimeOffset from, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<FlowActivityRow>(new CommandDefinition(
            """
            select flow_id as FlowId, count(*) as Runs, coalesce(sum(created_count), 0) as Created, coalesce(sum(updated_count), 0) as Updated,
                   coalesce(sum(failed_count), 0) as Failed, sum(case when state = @failed then 1 else 0 end) as RunsFailed,
                   sum(case when state = @withErrors then 1 else 0 end) as RunsCompletedWithErrors, sum(case when state = @running then 1 else 0 end) as RunsRunning
            from flow_runs where started_at >= @from group by flow_id order by flow_id
            """, new
            {
                from,
                failed = WireNames.Of(RunState.Failed),
                withErrors = WireNames.Of(RunState.CompletedWithErrors),
                running = WireNames.Of(RunState.Running),
            }, cancellationToken: cancellationToken))).AsList();
    }

    /// <summary>Documents Send to Intacct created since <paramref name="from"/> (a send of an opportunity sent before creates none).</summary>
    public async Task<int> DocumentsSentAsync(DateTimeOffset from, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<int>(new CommandDefinition(
            """
            select count(*) from flow_run_records r join flow_runs f on f.id = r.run_id
            where f.flow_id = @flowId and f.started_at >= @from and r.source_object = 'Opportunity' and r.action = 'created'
            """, new { from, flowId = SendOpportunityToIntacct.FlowId }, cancellationToken: cancellationToken));
    }

    /// <summary>Open errors now: records waiting on one (each record once), and runs that stopped as a whole.</summary>
    public async Task<(int Records, int Runs)> OpenErrorsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleAsync<(long Records, long Runs)>(new CommandDefinition(
            """
            select (select count(*) from (select distinct flow_id, record_key from sync_errors where status = 'open' and scope = 'record') r),
                   (select count(*) from sync_errors where status = 'open' and scope = 'run')
            """, cancellationToken: cancellationToken));
        return ((int)row.Records, (int)row.Runs);
    }
}
