namespace Interweave.Sidecar.Flows.Engine;

public static class RecordActions
{
    public const string Created = "created";
    public const string Updated = "updated";
    public const string Unchanged = "unchanged";
    public const string Failed = "failed";
}
