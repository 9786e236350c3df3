using Interweave.Sidecar.Creatio;
using Interweave.Sidecar.Intacct;

namespace Interweave.Sidecar.Flows.Engine;

/// <summary>
/// What every step of one run (or one retried or clicked record) shares: the flow as an admin left it, both
/// connections, and whether a record is written even when its values match what was last written or last failed.
/// </summary>
public sealed record RunContext(FlowDefinition Flow, CreatioConnection Creatio, IntacctConnection Intacct, bool Force);
