using Interweave.Sidecar.Creatio;
using Interweave.Sidecar.Flows.Engine;
using Interweave.Sidecar.Intacct;
using Interweave.Sidecar.Storage;

namespace Interweave.Sidecar.Flows;

/// <summary>
/// An admin's explicit link (and unlink) of one Creatio record with one Intacct record: the way to pair records that a
/// binding run does not match, such as a record that names an Intacct id Intacct does not confirm (security review
/// 2026-12-07, F1). Both records must exist, and the Intacct record's key field must be empty or already name this
/// record: a link is never moved, only removed and made again. Writes the key field into Intacct, the Intacct id onto
/// Creatio, then the binding, in that order (as a binding run commits).
/// </summary>
public sealed class BindingLinks(FlowConnections connections, BindingRepository bindings, TimeProvider time, ILogger<BindingLinks> log)
{
    public static PairedObjects? PairFor(string kind) => kind switch
    {
        BindingKinds.AccountCustomer => InterweavePackage.AccountCustomer,
        BindingKinds.ProductItem => InterweavePackage.ProductItem,
        _ => null,
    };

    public async Task<StoredBinding> LinkAsync(PairedObjects pair, Guid creatioId, string intacctId, CancellationToken cancellationToken)
    {
        var (creatio, intacct) = await connections.ConnectAsync(cancellationToken);
        var (id, entity, objectName) = (creatioId.ToString("D"), pair.CreatioEntity.ToLowerInvariant(), pair.IntacctObject.ToLowerInvariant());
        if (await creatio.GetAsync(pair.CreatioEntity, creatioId, ["Id", pair.IntacctIdColumn], cancellationToken: cancellationToken) is null)
            throw new FlowRefusedException(RefusalReason.NotFound, $"{pair.CreatioEntity} not found", $"No {entity} {id} exists in Creatio.");
        var record = await intacct.FindAsync(pair.IntacctObject, pair.IdField, intacctId, ["RECORDNO", pair.IdField, pair.KeyField], cancellationToken)
                     ?? throw new FlowRefusedException(RefusalReason.Invalid, $"No such Intacct {objectName}", $"Intacct has no {objectName} {intacctId}.");
        var holder = record.Element(pair.KeyField)?.Value ?? "";
        if (holder.Length > 0 && !string.Equals(holder, id, StringComparison.OrdinalIgnoreCase))
            throw new FlowRefusedException(RefusalReason.Busy, "Linked to another record",
                $"Intacct {objectName} {intacctId} names {entity} {holder} in {pair.KeyField}. Links are never moved: unlink it first (DELETE /api/bindings/{pair.Kind}/{holder}).");
        if (await bindings.GetAsync(pair.Kind, id, cancellationToken) is { IntacctId: { } bound } && bound != intacctId)
            throw new FlowRefusedException(RefusalReason.Busy, "Linked to another record",
                $"The {entity} is linked to Intacct {objectName} {bound}. Links are never moved: unlink it first (DELETE /api/bindings/{pair.Kind}/{id}).");
        if (await bindings.FindByIntacctIdAsync(pair.Kind, intacctId, cancellationToken) is { } other && !string.Equals(other.CreatioId, id, StringComparison.OrdinalIgnoreCase))
            throw new FlowRefusedException(RefusalReason.Busy, "Linked to another record",
                $"Intacct {objectName} {intacctId} is linked to {entity} {other.CreatioId}. Links are never moved: unlink it first (DELETE /api/bindings/{pair.Kind}/{other.CreatioId}).");

        if (holder.Length == 0) await intacct.UpdateAsync(new IntacctRecord(pair.IntacctObject).Set(pair.IdField, intacctId).Set(pair.KeyField, id), cancellationToken);
        var values = InterweavePackage.SyncStatus.Synced(time.GetUtcNow());
        values[pair.IntacctIdColumn] = intacctId;
        await creatio.UpdateAsync(pair.CreatioEntity, creatioId, values, cancellationToken);
        await bindings.RecordAsync(pair.Kind, id, intacctId, record.Element("RECORDNO")?.Value, cancellationToken);
        log.LogInformation("An admin linked {Entity} {CreatioId} to Intacct {Object} {IntacctId}", pair.CreatioEntity, id, pair.IntacctObject, intacctId);
        return (await bindings.GetAsync(pair.Kind, id, cancellationToken))!;
    }

    /// <summary>
    /// Undoes a link on all three sides: the Intacct key field (when it names this record), the Intacct id on the Creatio
    /// record, and the binding. Also clears an Intacct id that only the Creatio side names. False when nothing links it.
    /// </summary>
    public async Task<bool> UnlinkAsync(PairedObjects pair, Guid creatioId, CancellationToken cancellationToken)
    {
        var (creatio, intacct) = await connections.ConnectAsync(cancellationToken);
        var id = creatioId.ToString("D");
        var binding = await bindings.GetAsync(pair.Kind, id, cancellationToken);
        var row = await creatio.GetAsync(pair.CreatioEntity, creatioId, ["Id", pair.IntacctIdColumn], cancellationToken: cancellationToken);
        var named = (string?)row?[pair.IntacctIdColumn] is { Length: > 0 } column ? column : null;
        var intacctId = binding?.IntacctId ?? named;
        if (intacctId is null) return false;

        if (await intacct.FindAsync(pair.IntacctObject, pair.IdField, intacctId, ["RECORDNO", pair.IdField, pair.KeyField], cancellationToken) is { } record
            && string.Equals(record.Element(pair.KeyField)?.Value, id, StringComparison.OrdinalIgnoreCase))
            await intacct.UpdateAsync(new IntacctRecord(pair.IntacctObject).Set(pair.IdField, intacctId).Set(pair.KeyField, ""), cancellationToken);
        if (named is not null) await creatio.UpdateAsync(pair.CreatioEntity, creatioId, new() { [pair.IntacctIdColumn] = "" }, cancellationToken);
        await bindings.DeleteAsync(pair.Kind, id, cancellationToken);
        log.LogInformation("An admin unlinked {Entity} {CreatioId} from Intacct {Object} {IntacctId}", pair.CreatioEntity, id, pair.IntacctObject, intacctId);
        return true;
    }
}
