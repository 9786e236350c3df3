using Interweave.Sidecar.Flows.Engine;

namespace Interweave.Sidecar.Api.Contracts;

/// <summary>A flow as the API shows it: the definition plus an admin's choices and where its runs stand.</summary>
/// <param name="Id">The flow's id, e.g. intacct-invoices.</param>
/// <param name="Name">Its name for people.</param>
/// <param name="Description">What it does.</param>
/// <param name="Kind">How it runs.</param>
/// <param name="TemplateVersion">The version of the shipped template it follows.</param>
/// <param name="Enabled">Whether the flow acts at all. Off, its schedule does not fire and its button, runs, retries and bulk loads are refused (409, reason disabled).</param>
/// <param name="Schedule">A Quartz cron expression (UTC, seconds first), or null for manual runs only.</param>
/// <param name="Settings">Flow-specific options as an admin left them.</param>
/// <param name="Watermark">The modification time the next run reads from (less the overlap).</param>
/// <param name="Source">Where records come from.</param>
/// <param name="Target">Where they go.</param>
/// <param name="Mapping">How target fields are produced.</param>
/// <param name="Filter">Which source records qualify.</param>
/// <param name="RollUp">A named step run over what a run wrote.</param>
/// <param name="Binding">The binding kind that keeps source and target records paired, for flows between paired records.</param>
/// <param name="NextRunAt">When the schedule next starts a run (UTC); null when the flow is disabled, has no schedule, its schedule is broken, or schedules are off.</param>
/// <param name="ScheduleProblem">Why the stored schedule is not in force (it never fires, fires more often than the minimum interval, or the scheduler refused it); the flow then runs only when started. Null when nothing is wrong.</param>
public sealed record FlowView(
    string Id, string Name, string Description, FlowKind Kind, int TemplateVersion, bool Enabled, string? Schedule,
    IReadOnlyDictionary<string, string> Settings, DateTimeOffset? Watermark, FlowEndpoint Source, FlowEndpoint Target,
    IReadOnlyList<FieldMap> Mapping, IReadOnlyList<FlowFilter> Filter, string? RollUp, string? Binding, DateTimeOffset? NextRunAt, string? ScheduleProblem)
{
    /// <param name="stored">The flow as stored.</param>
    /// <param name="now">The present, for the next scheduled run; null when schedules are off.</param>
    /// <param name="scheduleProblem">Why its schedule is not in force, or null.</param>
    public static FlowView From(StoredFlow stored, DateTimeOffset? now, string? scheduleProblem)
    {
        var d = stored.Parse();
        return new FlowView(d.Id, d.Name, d.Description, d.Kind, stored.TemplateVersion, stored.Enabled, stored.Schedule, stored.ParsedSettings(),
            stored.Watermark, FlowEndpoint.From(d.Source), FlowEndpoint.From(d.Target), d.Mapping.Select(FieldMap.From).ToList(),
            d.Filter.Select(FlowFilter.From).ToList(), d.RollUp, d.Binding, scheduleProblem is null ? NextRun(stored, now) : null, scheduleProblem);
    }

    // The scheduler fires Quartz cron triggers in UTC; the same expression answers when it fires next.
    private static DateTimeOffset? NextRun(StoredFlow stored, DateTimeOffset? now)
    {
        if (now is not { } at || !stored.Enabled || !Quartz.CronExpression.TryParse(stored.Schedule ?? "", out _)) return null;
        return new Quartz.CronExpression(stored.Schedule!, TimeZoneInfo.Utc).GetNextValidTimeAfter(at);
    }
}

/// <summary>One end of a flow.</summary>
public sealed record FlowEndpoint
{
    /// <summary>intacct or creatio.</summary>
    public required string System { get; init; }

    /// <summary>The Intacct object or Creatio entity.</summary>
    public required string Object { get; init; }

    /// <summary>The source field that identifies a record (Intacct RECORDNO, a Creatio Id).</summary>
    public string? Key { get; init; }

    /// <summary>A field shown to people for the record (an invoice number, a name).</summary>
    public string? Label { get; init; }

    /// <summary>The field a run reads changes by.</summary>
    public string? ModifiedField { get; init; }

    /// <summary>Owned lines each source record carries, read by their header's key and nested under an element mappings can name.</summary>
    public FlowLines? Lines { get; init; }

    public static FlowEndpoint From(Flows.Engine.FlowEndpoint e) => new()
    {
        System = e.System,
        Object = e.Object,
        Key = e.Key,
        Label = e.Label,
        ModifiedField = e.ModifiedField,
        Lines = e.Lines is { } lines ? new FlowLines(lines.Object, lines.ParentKey, lines.Element) : null,
    };
}

/// <summary>An owned line object of the source (ARPYMTDETAIL on ARPYMT).</summary>
/// <param name="Object">The line object, read with a query on its header key.</param>
/// <param name="ParentKey">The line field that holds its header's key (PAYMENTKEY).</param>
/// <param name="Element">The element the lines nest in, one lower-case member each (ARPYMTDETAILS/arpymtdetail).</param>
public sealed record FlowLines(string Object, string ParentKey, string Element);

/// <summary>Only records whose field equals (or does not equal) the value qualify.</summary>
/// <param name="Field">The source field (letters, digits and underscores, dots for related fields).</param>
/// <param name="Op">equals or notEquals.</param>
/// <param name="Value">The value to compare with ("" for empty).</param>
public sealed record FlowFilter(string Field, string Op, string Value)
{
    public static FlowFilter From(Flows.Engine.FlowFilter f) => new(f.Field, WireNames.Of(f.Op), f.Value);

    public static Flows.Engine.FlowFilter? ToDefinition(FlowFilter? condition, int index, IDictionary<string, string[]> errors)
    {
        if (condition is null)
        {
            errors[$"filter[{index}]"] = ["A filter entry cannot be null."];
            return null;
        }

        if (!WireNames.TryParse<FilterOperator>(condition.Op, out var op)) errors[$"filter[{index}].op"] = ["Use equals or notEquals."];
        return new Flows.Engine.FlowFilter(condition.Field, op, condition.Value);
    }
}

/// <summary>
/// One target field, produced by exactly one of source (direct), constant, or sources with format; optionally
/// through a value map or a lookup, and converted to its type.
/// </summary>
public sealed record FieldMap
{
    /// <summary>The target field (a Creatio column, or an Intacct field path such as DISPLAYCONTACT/PHONE1).</summary>
    public required string Target { get; init; }

    /// <summary>The source field it is copied from.</summary>
    public string? Source { get; init; }

    /// <summary>Source fields combined by <see cref="Format"/>.</summary>
    public IReadOnlyList<string>? Sources { get; init; }

    /// <summary>A .NET composite format over the sources, e.g. "{0} {1}".</summary>
    public string? Format { get; init; }

    /// <summary>A fixed value.</summary>
    public string? Constant { get; init; }

    /// <summary>Source values translated into target values.</summary>
    public IReadOnlyDictionary<string, string>? ValueMap { get; init; }

    /// <summary>The value when the value map has no entry; without it an unmapped value is an error for the record.</summary>
    public string? Default { get; init; }

    /// <summary>Finds the target's id for the source value.</summary>
    public FieldLookup? Lookup { get; init; }

    /// <summary>text (the default), decimal, int, date, datetime, guid or bool.</summary>
    public string Type { get; init; } = "text";

    /// <summary>intacct or creatio: a field whose system of record is the target is written when the record is made, never after.</summary>
    public string? SystemOfRecord { get; init; }

    /// <summary>When true, an empty result is an error for the record.</summary>
    public bool Required { get; init; }

    /// <summary>
    /// The admin vouches for this entry's fields although a system does not list them (yet), e.g. a custom field the
    /// integration user cannot see. Without it, a new or changed entry whose source or target its system does not list
    /// (GET /api/flows/{flowId}/fields) is refused with 400 at that path.
    /// </summary>
    public bool Unlisted { get; init; }

    public static FieldMap From(Flows.Engine.FieldMap m) => new()
    {
        Target = m.Target,
        Source = m.Source,
        Sources = m.Sources,
        Format = m.Format,
        Constant = m.Constant,
        ValueMap = m.ValueMap,
        Default = m.Default,
        Lookup = m.Lookup is { } l ? new FieldLookup { Binding = l.Binding, Flow = l.Flow, Entity = l.Entity, By = l.By } : null,
        Type = WireNames.Of(m.Type),
        SystemOfRecord = m.SystemOfRecord,
        Required = m.Required,
        Unlisted = m.Unlisted,
    };

    /// <summary>A request's mapping entry in the engine's terms; what cannot be expressed is an error at its path.</summary>
    public static Flows.Engine.FieldMap? ToDefinition(FieldMap? field, int index, IDictionary<string, string[]> errors)
    {
        if (field is null)
        {
            errors[$"mapping[{index}]"] = ["A mapping entry cannot be null."];
            return null;
        }

        if (!WireNames.TryParse<FieldType>(field.Type, out var type)) errors[$"mapping[{index}].type"] = ["Use text, decimal, int, date, datetime, guid or bool."];
        return new Flows.Engine.FieldMap
        {
            Target = field.Target,
            Source = field.Source,
            Sources = field.Sources,
            Format = field.Format,
            Constant = field.Constant,
            ValueMap = field.ValueMap,
            Default = field.Default,
            Lookup = field.Lookup is { } l ? new Flows.Engine.FieldLookup { Binding = l.Binding, Flow = l.Flow, Entity = l.Entity, By = l.By } : null,
            Type = type,
            SystemOfRecord = field.SystemOfRecord,
            Required = field.Required,
            Unlisted = field.Unlisted,
        };
    }
}

/// <summary>Finds a target id for a source value in exactly one way.</summary>
public sealed record FieldLookup
{
    /// <summary>Through the bindings table: account-customer, product-item or opportunity-document.</summary>
    public string? Binding { get; init; }

    /// <summary>Through what another flow wrote: its source key to its target record.</summary>
    public string? Flow { get; init; }

    /// <summary>Through a Creatio lookup object whose <see cref="By"/> column holds the value, e.g. Currency.</summary>
    public string? Entity { get; init; }

    /// <summary>The column of <see cref="Entity"/> that holds the value, e.g. Code.</summary>
    public string? By { get; init; }
}

/// <summary>What an admin may change: each property left out stays as it is.</summary>
/// <param name="Enabled">Turns the flow on or off: off, its schedule does not fire and its button, runs, retries and bulk loads are refused.</param>
/// <param name="Schedule">A Quartz cron expression (UTC, seconds first); "" clears it.</param>
/// <param name="Settings">Settings to change; the others keep their values.</param>
/// <param name="Mapping">The whole new mapping.</param>
/// <param name="Filter">The whole new filter.</param>
public sealed record FlowChange(bool? Enabled, string? Schedule, IReadOnlyDictionary<string, string>? Settings, IReadOnlyList<FieldMap>? Mapping,
    IReadOnlyList<FlowFilter>? Filter);
