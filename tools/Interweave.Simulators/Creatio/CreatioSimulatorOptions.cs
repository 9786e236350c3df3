namespace Interweave.Simulators.Creatio;

/// <summary>Settings of the Creatio simulator; every one has a command-line option of the same name.</summary>
public sealed class CreatioSimulatorOptions
{
    public string UserName { get; set; } = "Supervisor";
    public string UserPassword { get; set; } = "Supervisor";
    public string ClientId { get; set; } = "interweave-client";
    public string ClientSecret { get; set; } = "interweave-secret";

    /// <summary>Idle time after which a forms-login session answers 401.</summary>
    public TimeSpan SessionTimeout { get; set; } = TimeSpan.FromMinutes(20);

    /// <summary>
    /// Requests a forms session serves before it answers 401 (0: no limit). A test knob standing in for what ends
    /// sessions mid-work in real Creatio (an application pool recycle, a node of a farm losing its sessions); Creatio
    /// itself counts no requests.
    /// </summary>
    public int SessionRequestLimit { get; set; }

    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromHours(1);

    public int LatencyMs { get; set; }

    /// <summary>Requests in flight at once; more get 503.</summary>
    public int MaxConcurrency { get; set; } = 32;

    /// <summary>Share of requests answered with a transient 500/503.</summary>
    public double FaultRate { get; set; }

    /// <summary>demo: accounts, contacts, products, opportunities with lines, currencies; none: lookups only.</summary>
    public string Seed { get; set; } = "demo";

    /// <summary>The Creatio package whose schemas add columns and objects; found in the repository when null.</summary>
    public string? PackageFolder { get; set; }

    /// <summary>Most rows one response may carry (Creatio's MaxEntityRowCount).</summary>
    public int MaxPageSize { get; set; } = 20_000;

    public int? RandomSeed { get; set; }

    /// <summary>Objects the signed-in user has no rights on: reads and writes answer 403 as Creatio does.</summary>
    public HashSet<string> DeniedEntities { get; } = new(StringComparer.Ordinal);
}
