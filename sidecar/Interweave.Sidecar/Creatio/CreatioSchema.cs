namespace Interweave.Sidecar.Creatio;

/// <summary>
/// Every Creatio object and column the sidecar reads or writes, in one place. A test checks each against the
/// model built from creatio-package/, so the sidecar and the package cannot drift apart.
/// </summary>
public static class CreatioSchema
{
    public static readonly IReadOnlyDictionary<string, IReadOnlyList<string>> Used = new Dictionary<string, IReadOnlyList<string>>
    {
        ["Account"] = ["Id", "Name", "Code", "Phone", "Web", "Address", "Zip", "ModifiedOn", "UsrIntacctCustomerId", "UsrIntacctVendorId", "UsrIntacctSyncStatusId", "UsrIntacctLastSyncedOn"],
        ["Product"] = ["Id", "Name", "Code", "Price", "CurrencyId", "Description", "ModifiedOn", "UsrIntacctItemId", "UsrIntacctSyncStatusId"],
        ["Opportunity"] = ["Id", "Title", "AccountId", "StageId", "Amount", "CurrencyId", "DueDate", "UsrIntacctDocumentNo", "UsrIntacctDocumentType", "UsrIntacctState", "UsrIntacctAmountDue", "UsrIntacctAmountPaid", "UsrIntacctSyncStatusId", "UsrIntacctLastSyncError"],
        ["OpportunityProductInterest"] = ["Id", "OpportunityId", "ProductId", "Quantity", "Price", "Amount", "DiscountPercent"],
        ["Currency"] = ["Id", "Code"],
        ["Case"] = ["Id", "Number", "Subject", "Symptoms", "AccountId", "StatusId", "PriorityId", "OriginId"],
        ["UsrIntacctSyncStatus"] = ["Id", "Name"],
        ["UsrIntacctInvoice"] = ["Id", "UsrNumber", "UsrIntacctRecordNo", "UsrAccountId", "UsrOpportunityId", "UsrDate", "UsrDueDate", "UsrCurrencyId", "UsrTotal", "UsrPaid", "UsrDue", "UsrState", "UsrDocumentType"],
        ["UsrIntacctPayment"] = ["Id", "UsrNumber", "UsrIntacctRecordNo", "UsrAccountId", "UsrInvoiceId", "UsrDate", "UsrAmount", "UsrUnapplied", "UsrKind", "UsrMethod"],
    };
}
