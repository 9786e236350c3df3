namespace Interweave.Sidecar.Security;

public sealed class ApiKeyOptions
{
    public const string Section = "Interweave:ApiKeys";

    /// <summary>Failed key checks one client address may make per minute before it is refused outright.</summary>
    public int FailedAttemptsPerMinute { get; set; } = 10;
}
