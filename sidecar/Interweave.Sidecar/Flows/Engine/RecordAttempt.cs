namespace Interweave.Sidecar.Flows.Engine;

/// <summary>How writing one record of a page came out: its result, or the exception that stopped it (and only it, or the run: <see cref="RecordFailure.Of"/> decides).</summary>
public sealed record RecordAttempt(RecordResult? Result, Exception? Failure)
{
    public static RecordAttempt Done(RecordResult result) => new(result, null);

    public static RecordAttempt Failed(Exception failure) => new(null, failure);
}
