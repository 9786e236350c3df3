using Interweave.Sidecar.Flows.Engine;

namespace Interweave.Sidecar.Api.Contracts;

/// <summary>Which errors to retry.</summary>
/// <param name="Ids">The errors' numbers, 1 to 500 of them; each open one is retried in turn.</param>
public sealed record ErrorRetryRequest(IReadOnlyList<long>? Ids);

/// <summary>How a retry of several errors came out: fixed, failing still, or not retried.</summary>
/// <param name="Retried">How many open errors were retried.</param>
/// <param name="Resolved">Of those, how many went through: their errors are resolved.</param>
/// <param name="StillFailing">Of those, how many failed again: their errors are still open (with the new cause, or a new error of another kind).</param>
/// <param name="NotRetried">Ids that are not open errors (unknown, resolved or dismissed already).</param>
/// <param name="Errors">Each retried error as it stands after its retry.</param>
public sealed record ErrorRetryReport(int Retried, int Resolved, int StillFailing, IReadOnlyList<long> NotRetried, IReadOnlyList<SyncError> Errors);
