namespace Interweave.Sidecar.Security;

public sealed class ApiKeyOptions
{
    public const string Section = "Interweave:ApiKeys";

    /// <summary>Failed key checks one client address may make per minute before it is refused outright.</summary>
    public int FailedAttemptsPerMinute { get; set; } = 10;

    /// <summary>
    /// Failed checks of one key (a generated key's prefix, or all keys of another form together, the bootstrap key's
    /// family) per minute, from all addresses together; past it the key is not checked until the minute ends.
    /// </summary>
    public int FailedAttemptsPerKeyPerMinute { get; set; } = 20;

    /// <summary>Requests a creatio-role key may make per minute, on average (the package's buttons and status).</summary>
    [System.ComponentModel.DataAnnotations.Range(1, 60_000)]
    public int CreatioRequestsPerMinute { get; set; } = 60;

    /// <summary>Requests a creatio-role key may make at once before <see cref="CreatioRequestsPerMinute"/> holds it back.</summary>
    [System.ComponentModel.DataAnnotations.Range(1, 10_000)]
    public int CreatioRequestBurst { get; set; } = 30;

    public TimeSpan CreatioReplenishmentPeriod => TimeSpan.FromMinutes(1.0 / CreatioRequestsPerMinute);
}
