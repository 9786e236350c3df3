namespace Interweave.Sidecar.Security;

public static class Policies
{
    public const string Admin = "admin";

    /// <summary>Button actions and status reads: the creatio role, and admins.</summary>
    public const string CreatioActions = "creatio";

    /// <summary>Runs, errors, flows and the dashboard to read, and retrying an error: the operator role, and admins.</summary>
    public const string Operations = "operations";

    /// <summary>The status (and which role the key has): every role.</summary>
    public const string AnyRole = "any-role";
}
