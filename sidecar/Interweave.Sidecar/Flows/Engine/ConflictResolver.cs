using System.Text.Json.Nodes;
using Interweave.Sidecar.Creatio;
using Interweave.Sidecar.Intacct;

namespace Interweave.Sidecar.Flows.Engine;

/// <summary>
/// A person's answer to a conflict: the kept side's value, as that system holds it now, is written to the other
/// system, then the conflict closes and the value becomes both flows' last-synced value. A write the other system
/// refuses leaves the conflict open and nothing stored.
/// </summary>
public sealed class ConflictResolver(ConflictQueue conflicts, FlowStore flows, FlowConnections connections, ISyncPackage package, ILogger<ConflictResolver> log)
{
    public async Task<StoredConflict> ResolveAsync(long id, ConflictSide keep, CancellationToken cancellationToken)
    {
        var conflict = await conflicts.GetAsync(id, cancellationToken)
                       ?? throw new FlowRefusedException(RefusalReason.NotFound, "No such conflict.", $"There is no conflict {id}.");
        if (conflict.Status != ConflictStatus.Open) throw Closed(conflict);
        var pull = await flows.GetEffectiveAsync(conflict.PullFlowId, cancellationToken);
        var push = await flows.GetEffectiveAsync(conflict.PushFlowId, cancellationToken);
        var mirror = MirroredField.Of(pull, push).FirstOrDefault(m => m.Pull.Target == conflict.CreatioField && m.Push.Target == conflict.IntacctField);
        var pair = package.PairFor(conflict.BindingKind);
        if (mirror is null || pair is null)
            throw new FlowRefusedException(RefusalReason.Invalid, "The flows no longer carry this field.",
                $"{conflict.PullFlowId} and {conflict.PushFlowId} no longer map {conflict.CreatioField} ⇄ {conflict.IntacctField} plainly both ways; set the value in both systems by hand.");

        var (creatio, intacct) = await connections.ConnectAsync(cancellationToken);
        var creatioId = Guid.Parse(conflict.CreatioId);
        JsonNode? creatioValue;
        string intacctValue;
        if (keep == ConflictSide.Creatio)
        {
            var row = await creatio.GetAsync(pair.CreatioEntity, creatioId, [conflict.CreatioField], cancellationToken: cancellationToken)
                      ?? throw Gone($"Creatio has no {pair.CreatioEntity.ToLowerInvariant()} {conflict.CreatioId} any more.");
            creatioValue = row[conflict.CreatioField]?.DeepClone();
            intacctValue = FieldMapper.ToIntacctText(mirror.Push, CreatioValues.Text(creatioValue));
            await intacct.UpdateAsync(IntacctRecord.FromPaths(pair.IntacctObject,
                [KeyValuePair.Create(pair.IdField, conflict.IntacctId), KeyValuePair.Create(conflict.IntacctField, intacctValue)]), cancellationToken);
        }
        else
        {
            var record = await intacct.ReadOneAsync(pair.IntacctObject, pair.IdField, conflict.IntacctId, cancellationToken)
                         ?? throw Gone($"Intacct has no {pair.IntacctObject} {conflict.IntacctId} any more.");
            intacctValue = FieldMapper.ValueAt(record, conflict.IntacctField)?.Trim() ?? "";
            creatioValue = FieldMapper.Convert(mirror.Pull, intacctValue);
            await creatio.UpdateAsync(pair.CreatioEntity, creatioId, new JsonObject { [conflict.CreatioField] = creatioValue?.DeepClone() }, cancellationToken);
        }

        if (!await conflicts.ResolveAsync(conflict, keep, creatioValue, intacctValue, cancellationToken))
            throw Closed((await conflicts.GetAsync(id, cancellationToken))!);
        log.LogInformation("Conflict {ConflictId} resolved: {Side}'s {Field} kept", id, WireNames.Of(keep), conflict.CreatioField);
        return (await conflicts.GetAsync(id, cancellationToken))!;
    }

    private static FlowRefusedException Closed(StoredConflict conflict) =>
        new(RefusalReason.Busy, "The conflict is resolved.", $"Conflict {conflict.Id} was resolved already{(conflict.Kept is { } kept ? $", keeping {WireNames.Of(kept)}'s value" : "")}.");

    private static FlowRefusedException Gone(string detail) => new(RefusalReason.NotFound, "The record no longer exists.", detail);
}
