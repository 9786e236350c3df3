using Interweave.Sidecar.Creatio;
using Interweave.Sidecar.Flows.Engine;

namespace Interweave.Sidecar.Api.Contracts;

/// <summary>Where a record lives in each system: its Creatio object, Id and page, and its Intacct object and key.</summary>
/// <param name="CreatioEntity">The Creatio object (Account, Opportunity, UsrIntacctInvoice ...); null when the record has no Creatio side yet.</param>
/// <param name="CreatioId">The record's Id in Creatio.</param>
/// <param name="CreatioUrl">The record's page in Creatio (through Creatio's navigation service, which opens the page the site uses for the object); null before the Creatio connection is configured.</param>
/// <param name="IntacctObject">The Intacct object (CUSTOMER, ITEM, SODOCUMENT, ARINVOICE, ARPYMT, ARADJUSTMENT); null when the record has no Intacct side yet.</param>
/// <param name="IntacctKey">The record's key in that object (CUSTOMERID, ITEMID, the document number or RECORDNO).</param>
public sealed record RecordPlaces(string? CreatioEntity, string? CreatioId, string? CreatioUrl, string? IntacctObject, string? IntacctKey)
{
    /// <summary>The places of a record a run logged: its source and target keys, each in the system and object it belongs to.</summary>
    public static RecordPlaces Of(Flows.Engine.FlowEndpoint? source, string? sourceObject, string sourceKey, Flows.Engine.FlowEndpoint? target, string? targetObject, string? targetKey, string? site)
    {
        var sides = new[] { (source?.System, Object: sourceObject ?? source?.Object, Key: (string?)sourceKey), (target?.System, Object: targetObject ?? target?.Object, Key: targetKey) };
        var creatio = sides.FirstOrDefault(s => s.System == "creatio" && s.Key is not null && s.Object is not null);
        var intacct = sides.FirstOrDefault(s => s.System == "intacct" && s.Key is not null && s.Object is not null);
        return new RecordPlaces(creatio.Object, creatio.Key, creatio.Object is null ? null : CreatioLinks.RecordUrl(site, creatio.Object, creatio.Key), intacct.Object,
            intacct.Key);
    }

    /// <summary>The places of a binding's pair.</summary>
    public static RecordPlaces Of(string kind, string creatioId, string? intacctId, string? site)
    {
        var (entity, intacct) = RecordObjects.OfBindingKind(kind);
        // A document's id is its document number: a sales document's, or an AR invoice's when the flow sends invoices.
        return new RecordPlaces(entity, creatioId, CreatioLinks.RecordUrl(site, entity, creatioId), intacctId is null ? null : string.Join(" or ", intacct), intacctId);
    }
}
