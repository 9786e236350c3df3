using System.Text.Json.Nodes;
using Interweave.Sidecar.Creatio;
using Interweave.Sidecar.Intacct;

namespace Interweave.Sidecar.Flows.Engine;

/// <summary>
/// What the engine needs from the Creatio package it writes into and cannot read from a flow's definition: which
/// records pair, where a record shows its sync status, which column names a pulled record's account, the roll-ups
/// templates name, and how an Intacct partner is made for a Creatio record. Implemented once, by the package.
/// </summary>
public interface ISyncPackage
{
    /// <summary>The objects a binding kind pairs, or null for a kind that pairs nothing (or none).</summary>
    PairedObjects? PairFor(string? bindingKind);

    /// <summary>The columns a paired record shows its sync status in.</summary>
    SyncStatusColumns Status { get; }

    /// <summary>The target column that names the account a pulled record belongs to, for the support Case.</summary>
    string AccountColumn { get; }

    /// <summary>Runs the roll-up a flow names over the records a run wrote; false when no roll-up has that name.</summary>
    Task<bool> RollUpAsync(string name, IReadOnlyList<WrittenRecord> written, CreatioConnection creatio, CancellationToken cancellationToken);

    /// <summary>Finds or creates the Intacct partner of a Creatio row that is not paired yet, and records the binding both ways.</summary>
    Task<(string IntacctId, bool Created)> EnsurePartnerAsync(PairedObjects pair, JsonObject row, CreatioConnection creatio, IntacctConnection intacct,
        CancellationToken cancellationToken);
}
