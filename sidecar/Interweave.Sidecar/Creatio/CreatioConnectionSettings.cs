namespace Interweave.Sidecar.Creatio;

public static class CreatioAuthModes
{
    /// <summary>AuthService.svc login with cookies and the BPMCSRF header.</summary>
    public const string Forms = "forms";

    /// <summary>OAuth 2.0 client credentials against Creatio's identity service.</summary>
    public const string OAuth = "oauth";
}

/// <summary>What the sidecar needs to call Creatio's OData API; stored encrypted.</summary>
public sealed record CreatioConnectionSettings(
    string BaseUrl,
    string AuthMode,
    string? UserName,
    string? Password,
    string? ClientId,
    string? ClientSecret,
    string? IdentityUrl)
{
    public const string System = "creatio";
}
