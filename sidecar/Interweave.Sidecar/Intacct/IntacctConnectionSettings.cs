namespace Interweave.Sidecar.Intacct;

/// <summary>What the sidecar needs to call a company's XML gateway; stored encrypted.</summary>
public sealed record IntacctConnectionSettings(
    string CompanyId,
    string SenderId,
    string SenderPassword,
    string UserId,
    string UserPassword,
    string? EntityId,
    string EndpointUrl)
{
    public const string System = "intacct";
    public const string DefaultEndpointUrl = "https://api.intacct.com/ia/xml/xmlgw.phtml";
}
