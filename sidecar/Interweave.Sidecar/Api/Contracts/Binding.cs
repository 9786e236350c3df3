using Interweave.Sidecar.Storage;

namespace Interweave.Sidecar.Api.Contracts;

/// <summary>Which Creatio record is which Intacct record.</summary>
/// <param name="Kind">account-customer, product-item or opportunity-document.</param>
/// <param name="CreatioId">The Creatio record's Id.</param>
/// <param name="IntacctId">The Intacct record's id (CUSTOMERID, ITEMID, the document number); null while a send is under way.</param>
/// <param name="IntacctRecordNo">The Intacct record's RECORDNO, when known.</param>
/// <param name="CreatedAt">When the pair was first recorded.</param>
/// <param name="UpdatedAt">When it last changed.</param>
/// <param name="Places">The pair in each system: the Creatio object, Id and page, the Intacct object and id.</param>
public sealed record Binding(string Kind, string CreatioId, string? IntacctId, string? IntacctRecordNo, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt,
    RecordPlaces? Places = null)
{
    public static Binding From(StoredBinding b, string? creatioSite = null) =>
        new(b.Kind, b.CreatioId, b.IntacctId, b.IntacctRecordNo, b.CreatedAt, b.UpdatedAt, RecordPlaces.Of(b.Kind, b.CreatioId, b.IntacctId, creatioSite));
}
