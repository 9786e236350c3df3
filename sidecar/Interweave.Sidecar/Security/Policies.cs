namespace Interweave.Sidecar.Security;

public static class Policies
{
    public const string Admin = "admin";

    /// <summary>Button actions and status reads: the creatio role, and admins.</summary>
    public const string CreatioActions = "creatio";
}
