namespace Interweave.Sidecar.Creatio;

/// <summary>
/// The package's "Intacct sync status" lookup values (creatio-package/Interweave/Data/UsrIntacctSyncStatus):
/// the same Ids in every Creatio the package is installed in. A test keeps the two in step.
/// </summary>
public static class IntacctSyncStatus
{
    public static readonly Guid NotSynced = Guid.Parse("2f6e5c1a-7d3b-4b8e-9a51-0c1d2e3f4a01");
    public static readonly Guid Synced = Guid.Parse("2f6e5c1a-7d3b-4b8e-9a51-0c1d2e3f4a02");
    public static readonly Guid Error = Guid.Parse("2f6e5c1a-7d3b-4b8e-9a51-0c1d2e3f4a03");
}
