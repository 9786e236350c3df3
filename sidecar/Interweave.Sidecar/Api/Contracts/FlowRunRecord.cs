using Interweave.Sidecar.Flows.Engine;

namespace Interweave.Sidecar.Api.Contracts;

/// <summary>What one run did with one record.</summary>
/// <param name="Id">The entry's number.</param>
/// <param name="RunId">The run it belongs to.</param>
/// <param name="SourceKey">The record's key in the system it came from.</param>
/// <param name="TargetKey">The record's key in the system it went to; null when it failed before one was known.</param>
/// <param name="Action">What happened to it.</param>
/// <param name="Error">Why it failed, or why it was left alone.</param>
/// <param name="At">When.</param>
/// <param name="Label">A name people know the record by (a customer's name, an invoice's number), at most 200 characters; null for runs logged before it was kept.</param>
/// <param name="Changes">The fields the run wrote to the target record, each with the value it held and the value written; empty when it wrote none.</param>
/// <param name="SourceObject">The object the source key is a key of (Account, ARINVOICE, Opportunity ...); null when the run's flow is no longer installed.</param>
/// <param name="TargetObject">The object the target key is a key of (CUSTOMER, UsrIntacctInvoice, SODOCUMENT ...); null when the run's flow is no longer installed.</param>
/// <param name="Places">The record in each system: its Creatio object, Id and page, its Intacct object and key.</param>
public sealed record FlowRunRecord(long Id, long RunId, string SourceKey, string? TargetKey, RecordAction Action, string? Error, DateTimeOffset At, string? Label,
    IReadOnlyList<FieldChange> Changes, string? SourceObject, string? TargetObject, RecordPlaces? Places = null)
{
    /// <param name="record">The logged record.</param>
    /// <param name="flowId">Its run's flow.</param>
    /// <param name="flows">Each flow's source and target.</param>
    /// <param name="creatioSite">The Creatio site's root, for the record's page (<see cref="Creatio.CreatioLinks"/>).</param>
    public static FlowRunRecord From(StoredRunRecord record, string flowId, IReadOnlyDictionary<string, (Flows.Engine.FlowEndpoint Source, Flows.Engine.FlowEndpoint Target)> flows,
        string? creatioSite = null)
    {
        var flow = flows.TryGetValue(flowId, out var objects) ? objects : default;
        return new(record.Id, record.RunId, record.SourceKey, record.TargetKey, record.Action, record.Error, record.At, record.Label, FieldChange.From(record.Changes),
            record.SourceObject ?? flow.Source?.Object, record.TargetObject ?? flow.Target?.Object,
            RecordPlaces.Of(flow.Source, record.SourceObject, record.SourceKey, flow.Target, record.TargetObject, record.TargetKey, creatioSite));
    }
}

/// <summary>One field a run wrote: what the target record held before and what it holds now, as text.</summary>
/// <param name="Field">The field's name in the target system (Phone, DISPLAYCONTACT/PHONE1).</param>
/// <param name="Old">The value it held; null when the run created the record.</param>
/// <param name="New">The value written.</param>
public sealed record FieldChange(string Field, string? Old, string? New)
{
    public static IReadOnlyList<FieldChange> From(string? stored) => WrittenField.FromJson(stored).Select(c => new FieldChange(c.Field, c.Old, c.New)).ToList();
}

/// <summary>What one run of a flow did with a record: an entry of the record's history.</summary>
/// <param name="FlowId">The flow the run belonged to.</param>
/// <param name="RunId">The run.</param>
/// <param name="SourceKey">The record's key in the system it came from.</param>
/// <param name="TargetKey">Its key in the system it went to; null when it failed before one was known.</param>
/// <param name="Action">What happened to it.</param>
/// <param name="Error">Why it failed, or why it was left alone.</param>
/// <param name="At">When.</param>
/// <param name="Label">A name people know the record by, as the run logged it.</param>
/// <param name="Changes">The fields the run wrote, each with the value it held and the value written; empty when it wrote none.</param>
/// <param name="SourceObject">The object the source key is a key of.</param>
/// <param name="TargetObject">The object the target key is a key of.</param>
/// <param name="Places">The record in each system: its Creatio object, Id and page, its Intacct object and key.</param>
public sealed record RecordHistoryEntry(string FlowId, long RunId, string SourceKey, string? TargetKey, RecordAction Action, string? Error, DateTimeOffset At, string? Label,
    IReadOnlyList<FieldChange> Changes, string? SourceObject, string? TargetObject, RecordPlaces? Places = null)
{
    public static RecordHistoryEntry From(StoredRunRecord record, string flowId, IReadOnlyDictionary<string, (Flows.Engine.FlowEndpoint Source, Flows.Engine.FlowEndpoint Target)> flows,
        string? creatioSite = null)
    {
        var entry = FlowRunRecord.From(record, flowId, flows, creatioSite);
        return new(flowId, record.RunId, record.SourceKey, record.TargetKey, record.Action, record.Error, record.At, record.Label, entry.Changes, entry.SourceObject,
            entry.TargetObject, entry.Places);
    }
}
