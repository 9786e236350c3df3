namespace Interweave.Simulators.Intacct;

/// <summary>Settings of the Intacct gateway simulator; every one has a command-line option of the same name.</summary>
public sealed class IntacctSimulatorOptions
{
    public string SenderId { get; set; } = "interweave-sim";
    public string SenderPassword { get; set; } = "sender-pass";
    public string CompanyId { get; set; } = "INTERWEAVE-DEMO";
    public string UserId { get; set; } = "ws_user";
    public string UserPassword { get; set; } = "user-pass";

    /// <summary>Sender ids that exist (with this password) but are not authorized for the company.</summary>
    public Dictionary<string, string> UnauthorizedSenders { get; } = new() { ["other-sender"] = "other-pass" };

    public int LatencyMs { get; set; }

    /// <summary>Requests one company may have in flight; more are refused as Intacct refuses them (HTTP 429, GW-0010).</summary>
    public int MaxConcurrency { get; set; } = 2;

    /// <summary>Share of requests that fail transiently: HTTP 503, an HTML error page, or a gateway timeout.</summary>
    public double FaultRate { get; set; }

    /// <summary>Share of requests that are carried out, then lose their response (the connection is dropped).</summary>
    public double LostResponseRate { get; set; }

    /// <summary>How long a "timeout" fault holds the request before answering 504.</summary>
    public int FaultTimeoutMs { get; set; } = 30_000;

    /// <summary>Idle time after which an API session is no longer accepted.</summary>
    public TimeSpan SessionTimeout { get; set; } = TimeSpan.FromHours(1);

    /// <summary>demo: realistic customers, items, invoices and payments; none: an empty company.</summary>
    public string Seed { get; set; } = "demo";

    /// <summary>Custom fields the company defined, as OBJECT.FIELD (command line: --custom-fields, comma-separated).</summary>
    public List<string> CustomFields { get; set; } = ["CUSTOMER.ACCOUNTID", "VENDOR.ACCOUNTID", "ITEM.PRODUCTID"];

    /// <summary>Fixed random seed for fault injection, so a run can be repeated.</summary>
    public int? RandomSeed { get; set; }
}
