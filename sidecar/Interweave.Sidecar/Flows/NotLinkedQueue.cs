using Interweave.Sidecar.Creatio;
using Interweave.Sidecar.Flows.Engine;
using Interweave.Sidecar.Storage;

namespace Interweave.Sidecar.Flows;

/// <summary>
/// Puts a button's "not linked" refusal in the error queue for an admin, under the push flow of the record's kind (a
/// run's refusals get there through the run's failure path): retrying it, once an admin has linked the records, runs
/// that push for the record.
/// </summary>
public sealed class NotLinkedQueue(ErrorQueue errors)
{
    public static string PushFlowFor(PairedObjects pair) => pair.Kind == BindingKinds.ProductItem ? SyncRecordWithIntacct.ProductsPush : SyncRecordWithIntacct.AccountsPush;

    public Task QueueAsync(PairedObjects pair, Guid creatioId, MappingException refusal, CreatioConnection creatio, CancellationToken cancellationToken) =>
        errors.RaiseAsync(PushFlowFor(pair), creatioId.ToString("D"), null, pair.CreatioEntity == "Account" ? creatioId : null, RecordFailure.Of(refusal)!, creatio,
            cancellationToken);
}
