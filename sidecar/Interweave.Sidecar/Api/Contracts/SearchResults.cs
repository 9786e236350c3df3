using Interweave.Sidecar.Flows.Engine;

namespace Interweave.Sidecar.Api.Contracts;

/// <summary>What a search found, grouped by kind: records the runs logged, bindings, errors.</summary>
/// <param name="Query">The text searched for, trimmed.</param>
/// <param name="Records">Records runs logged, each once (its latest entry), newest first.</param>
/// <param name="Bindings">Pairs of which one side is the text, or a record found by it.</param>
/// <param name="Errors">Errors of the record, its account or its Case, newest first.</param>
public sealed record SearchResults(string Query, IReadOnlyList<FoundRecord> Records, IReadOnlyList<Binding> Bindings, IReadOnlyList<SyncError> Errors);

/// <summary>A record a run logged, as its latest entry shows it. Its history is GET /api/runs/records?key={SourceKey}&amp;object={SourceObject}.</summary>
/// <param name="FlowId">The flow of the run that last logged it.</param>
/// <param name="RunId">That run; GET /api/runs/{id} shows it.</param>
/// <param name="SourceKey">Its key in the system it came from.</param>
/// <param name="TargetKey">Its key in the system it went to; null when it failed before one was known.</param>
/// <param name="SourceObject">The object the source key is a key of.</param>
/// <param name="TargetObject">The object the target key is a key of.</param>
/// <param name="Label">The name or number people know it by.</param>
/// <param name="Action">What that run did with it.</param>
/// <param name="At">When.</param>
/// <param name="Error">Why it failed, when it did.</param>
/// <param name="Places">The record in each system: its Creatio object, Id and page, its Intacct object and key.</param>
public sealed record FoundRecord(string FlowId, long RunId, string SourceKey, string? TargetKey, string? SourceObject, string? TargetObject, string? Label,
    RecordAction Action, DateTimeOffset At, string? Error, RecordPlaces? Places);
