namespace Interweave.Sidecar.Flows.Engine;

/// <summary>
/// The two records a binding kind pairs: the Intacct object and its id field, the custom field in Intacct that
/// holds the Creatio Id (ACCOUNTID, PRODUCTID), the Creatio object and its column that holds the Intacct id.
/// <see cref="CreateColumns"/> are the further Creatio columns the package needs to create the Intacct partner.
/// </summary>
public sealed record PairedObjects(
    string Kind, string IntacctObject, string IdField, string KeyField, string CreatioEntity, string IntacctIdColumn, IReadOnlyList<string> CreateColumns);
