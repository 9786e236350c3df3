using Interweave.Sidecar.Creatio;
using Interweave.Sidecar.Intacct;

namespace Interweave.Sidecar.Flows.Engine;

/// <summary>
/// What a run reads when it is not the incremental run of a schedule: every record, or those whose date field lies in
/// a period (a bulk load). Such a run leaves the flow's watermark where it is.
/// </summary>
public sealed record RunScope(string? DateField, DateOnly? From, DateOnly? To)
{
    public static readonly RunScope Everything = new(null, null, null);
}

/// <summary>
/// What every step of one run (or one retried or clicked record) shares: the flow as an admin left it, both
/// connections, and whether a record is written even when its values match what was last written or last failed.
/// </summary>
public sealed record RunContext(FlowDefinition Flow, CreatioConnection Creatio, IntacctConnection Intacct, bool Force)
{
    /// <summary>Set for a run over a scope instead of what changed since the watermark.</summary>
    public RunScope? Scope { get; init; }

    /// <summary>How many records the run will read, once the source has said so at its first page (Intacct's totalcount, Creatio's $count).</summary>
    public ExpectedTotal Expected { get; init; } = new();

    /// <summary>Creatio lookups by value (a currency by its code), asked once per run.</summary>
    public CreatioLookups Lookups { get; init; } = new(Creatio);
}

/// <summary>A count the reader learns while the run goes on, for progress.</summary>
public sealed class ExpectedTotal
{
    public int? Records { get; set; }
}
