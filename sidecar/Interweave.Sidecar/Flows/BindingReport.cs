namespace Interweave.Sidecar.Flows;

/// <summary>
/// What a dry run of the binding run found for one kind of pair: records that match by normalized name, names that
/// match more than one record, records that match nothing, and already-linked records that disagree.
/// </summary>
/// <param name="Id">The report's number; commit takes it.</param>
/// <param name="Kind">account-customer or product-item.</param>
/// <param name="CreatedAt">When the dry run ran.</param>
/// <param name="CommittedAt">When it was committed; null until then.</param>
/// <param name="Counts">How many of each.</param>
/// <param name="Matched">Pairs with the same normalized name and no other candidate on either side: committed unless rejected.</param>
/// <param name="Ambiguous">Normalized names with more than one candidate on a side: an admin picks the pair to commit.</param>
/// <param name="UnmatchedCreatio">Creatio records not linked yet that match no Intacct record.</param>
/// <param name="UnmatchedIntacct">Intacct records not linked yet that match no Creatio record.</param>
/// <param name="Disagreements">Linked records whose links do not agree (Creatio, Intacct and the sidecar's bindings); never changed by a commit.</param>
public sealed record BindingReport(
    long Id, string Kind, DateTimeOffset CreatedAt, DateTimeOffset? CommittedAt, BindingReportCounts Counts, IReadOnlyList<BindingPair> Matched,
    IReadOnlyList<AmbiguousName> Ambiguous, IReadOnlyList<BindingCandidate> UnmatchedCreatio, IReadOnlyList<BindingCandidate> UnmatchedIntacct,
    IReadOnlyList<BindingDisagreement> Disagreements);

/// <summary>How many of each finding a report holds.</summary>
/// <param name="Matched">Pairs matched by name.</param>
/// <param name="Ambiguous">Names with more than one candidate on a side.</param>
/// <param name="UnmatchedCreatio">Creatio records that match nothing.</param>
/// <param name="UnmatchedIntacct">Intacct records that match nothing.</param>
/// <param name="Disagreements">Links that do not agree.</param>
/// <param name="AlreadyLinked">Records linked on both sides, consistently: left as they are.</param>
public sealed record BindingReportCounts(int Matched, int Ambiguous, int UnmatchedCreatio, int UnmatchedIntacct, int Disagreements, int AlreadyLinked);

/// <summary>A record on one side: its id (the Creatio Id, or the Intacct CUSTOMERID or ITEMID) and its name.</summary>
public sealed record BindingCandidate(string Id, string Name);

/// <summary>A Creatio record and an Intacct record that share a normalized name.</summary>
public sealed record BindingPair(string CreatioId, string CreatioName, string IntacctId, string IntacctName, string MatchedOn);

/// <summary>A normalized name more than one record on a side answers to.</summary>
public sealed record AmbiguousName(string MatchedOn, IReadOnlyList<BindingCandidate> Creatio, IReadOnlyList<BindingCandidate> Intacct);

/// <summary>A link the two systems (or the sidecar) do not agree on, in words.</summary>
public sealed record BindingDisagreement(string? CreatioId, string? IntacctId, string Problem);

/// <summary>Which pairs of a report to commit; without <c>Accept</c>, every matched pair. Pairs from an ambiguous name must be accepted by name.</summary>
public sealed record BindingCommit(IReadOnlyList<BindingChoice>? Accept, IReadOnlyList<BindingChoice>? Reject);

/// <summary>One pair, by the Creatio Id and the Intacct id.</summary>
public sealed record BindingChoice(string CreatioId, string IntacctId);

/// <summary>What a commit did with each pair: linked, skipped (with why) or failed (with the system's words).</summary>
public sealed record BindingCommitResult(long ReportId, int Linked, int Skipped, int Failed, IReadOnlyList<BindingCommitOutcome> Outcomes);

public sealed record BindingCommitOutcome(string CreatioId, string IntacctId, string Outcome, string? Reason);
