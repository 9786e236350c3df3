using Interweave.Sidecar.Flows;
using Interweave.Sidecar.Flows.Engine;
using Interweave.Sidecar.Storage;

namespace Interweave.Sidecar.Api;

/// <summary>
/// Which objects a record's keys belong to: by binding kind (the two objects a binding pairs) and by flow (a flow's
/// records are of its source and target objects unless the run named others, as a button's run does).
/// </summary>
internal static class RecordObjects
{
    public static readonly string[] BindingKinds = [Storage.BindingKinds.AccountCustomer, Storage.BindingKinds.ProductItem, Storage.BindingKinds.OpportunityDocument];

    /// <summary>The Creatio object and the Intacct objects a binding kind pairs (an opportunity's document is a sales document or an AR invoice).</summary>
    public static (string Creatio, string[] Intacct) OfBindingKind(string kind) => kind switch
    {
        Storage.BindingKinds.AccountCustomer => (InterweavePackage.AccountCustomer.CreatioEntity, [InterweavePackage.AccountCustomer.IntacctObject]),
        Storage.BindingKinds.ProductItem => (InterweavePackage.ProductItem.CreatioEntity, [InterweavePackage.ProductItem.IntacctObject]),
        _ => ("Opportunity", ["SODOCUMENT", "ARINVOICE"]),
    };

    /// <summary>
    /// The keys of the record a binding kind and one of its keys name: the binding's three keys (Creatio Id, Intacct id,
    /// record number), each scoped to its object; without a binding, the key in either of the kind's objects.
    /// </summary>
    public static IReadOnlyList<RecordRef> KeysOf(string kind, string key, StoredBinding? binding)
    {
        var (creatio, intacct) = OfBindingKind(kind);
        if (binding is null) return [new RecordRef(key, creatio), .. intacct.Select(o => new RecordRef(key, o))];
        var keys = new List<RecordRef> { new(binding.CreatioId, creatio) };
        if (binding.IntacctId is { } id) keys.AddRange(intacct.Select(o => new RecordRef(id, o)));
        // The record number of the first object only: a document's RECORDNO names a sales document, never an AR invoice of the same number.
        if (binding.IntacctRecordNo is { } recordNo) keys.Add(new RecordRef(recordNo, intacct[0]));
        return keys;
    }

    /// <summary>Each flow's source and target objects, by flow id.</summary>
    public static async Task<IReadOnlyDictionary<string, (FlowEndpoint Source, FlowEndpoint Target)>> OfFlowsAsync(FlowStore flows, CancellationToken cancellationToken) =>
        (await flows.ListAsync(cancellationToken)).Select(f => f.Parse()).ToDictionary(d => d.Id, d => (d.Source, d.Target), StringComparer.Ordinal);
}
