using Interweave.Sidecar.Flows.Engine;
using Microsoft.Extensions.Options;

namespace Interweave.Sidecar.Flows;

/// <summary>What a bulk load of a period would do, before it starts: the records it would read and the Intacct requests they take.</summary>
/// <param name="From">First day of the period (as a load would default it).</param>
/// <param name="To">Last day of the period.</param>
/// <param name="Steps">Each step's flow and the records Intacct counts for it now.</param>
/// <param name="Records">All of them.</param>
/// <param name="IntacctRequests">
/// The Intacct requests the load would send at least: one per page of <paramref name="PageSize"/> records read per step
/// (one for an empty step), and one count per step as it starts. Lookups a flow makes per record are not included.
/// </param>
/// <param name="PageSize">Interweave:Flows:PageSize, the records read per request.</param>
public sealed record BulkLoadEstimate(DateOnly From, DateOnly To, IReadOnlyList<BulkLoadStepEstimate> Steps, int Records, int IntacctRequests, int PageSize);

/// <summary>One step of a bulk load and the records it would read.</summary>
/// <param name="FlowId">The pull flow the step runs.</param>
/// <param name="Records">Records Intacct counts in the period for it (all customers and items; the invoices, memos and payments dated in it).</param>
public sealed record BulkLoadStepEstimate(string FlowId, int Records);

/// <summary>
/// Counts what a bulk load would read, with one count request per step (readByQuery's total, as the load itself counts
/// when it starts), so the console can ask before an admin starts hours of Intacct calls. Nothing is stored.
/// </summary>
public sealed class BulkLoadEstimates(FlowStore flows, PullFromIntacct pull, IncrementalRun skeleton, TimeProvider time, IOptions<FlowOptions> options)
{
    public async Task<BulkLoadEstimate> EstimateAsync(DateOnly? from, DateOnly? to, CancellationToken cancellationToken)
    {
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        var (start, end) = (from ?? new DateOnly(today.Year - 1, 1, 1), to ?? today);
        if (start > end) throw new FlowRefusedException(RefusalReason.Invalid, "The period is empty", $"The period starts on {start:yyyy-MM-dd}, after it ends on {end:yyyy-MM-dd}.");
        var steps = new List<BulkLoadStepEstimate>();
        foreach (var (flowId, dateField) in BulkLoads.Steps)
        {
            var context = await skeleton.ContextAsync(await flows.GetEffectiveAsync(flowId, cancellationToken), force: false, cancellationToken) with
            {
                Scope = BulkLoads.ScopeOf(dateField, start, end),
            };
            steps.Add(new BulkLoadStepEstimate(flowId, await pull.CountAsync(context, cancellationToken)));
        }

        var pageSize = options.Value.PageSize;
        var requests = steps.Sum(s => Math.Max(1, (s.Records + pageSize - 1) / pageSize) + 1);
        return new BulkLoadEstimate(start, end, steps, steps.Sum(s => s.Records), requests, pageSize);
    }
}
