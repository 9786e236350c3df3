using System.Text.Json;
using System.Text.RegularExpressions;
using Interweave.Sidecar.Storage;

namespace Interweave.Sidecar.Flows.Engine;

/// <summary>
/// Which change to a flow is accepted, and applying it: every rule is checked before anything is stored, so a
/// refused change leaves the flow as it was. Rules about one kind of flow come from the class that runs it
/// (<see cref="IFlowRules"/>); the rules here hold for every flow.
/// </summary>
public sealed partial class FlowChanges(FlowStore flows, FlowScheduler scheduler, IEnumerable<IFlowRules> rules, MappingFields fields, TimeProvider time,
    Microsoft.Extensions.Options.IOptions<FlowOptions> options)
{
    // Filters travel in the OData query string of every run. Creatio on IIS refuses query strings longer than
    // 2,048 bytes by default (requestLimits maxQueryString, learn.microsoft.com/en-us/iis/wmi-provider/requestlimitselement-class),
    // so conditions are kept short and few. That Creatio keeps IIS's default is our assumption.
    public const int MaxFilterConditions = 20;
    public const int MaxFilterFieldLength = 128; // SQL Server's identifier limit (sysname), which Creatio's column names live under
    public const int MaxFilterValueLength = 500;

    private static readonly string[] BindingKindNames = [BindingKinds.AccountCustomer, BindingKinds.ProductItem, BindingKinds.OpportunityDocument];

    /// <summary>
    /// Checks the change and, when nothing is wrong, stores and reschedules the flow. Answers the stored flow, or
    /// null with <paramref name="errors"/> filled (keyed by the request's paths).
    /// </summary>
    public async Task<StoredFlow?> ApplyAsync(string flowId, FlowEdit edit, IDictionary<string, string[]> errors, CancellationToken cancellationToken)
    {
        var stored = await flows.GetAsync(flowId, cancellationToken)
                     ?? throw new FlowRefusedException(RefusalReason.NotFound, "No such flow.", $"There is no flow '{flowId}'. GET /api/flows lists them.");
        var definition = stored.Parse();
        if (!string.IsNullOrWhiteSpace(edit.Schedule) && Schedules.Problem(edit.Schedule, time.GetUtcNow(), options.Value.MinimumScheduleInterval) is { } problem)
            errors["schedule"] = [problem];
        if (edit.Mapping is { } mapping) CheckMapping(mapping, options.Value, errors);
        if (edit.Filter is { } filter) CheckFilter(filter, errors);

        var settings = new Dictionary<string, string>(stored.ParsedSettings());
        if (edit.Settings is { } changed)
        {
            var declared = rules.SelectMany(r => r.Settings).ToLookup(s => s.Name, StringComparer.Ordinal);
            foreach (var (key, value) in changed)
            {
                if (!definition.Settings.ContainsKey(key))
                    errors[$"settings.{key}"] = [$"Flow '{flowId}' has no setting '{key}'. Known: {string.Join(", ", definition.Settings.Keys)}."];
                else if (value is null)
                    errors[$"settings.{key}"] = ["Give a value (\"\" for none)."];
                else if (value.Length > options.Value.MaxMappingTextLength)
                    errors[$"settings.{key}"] = [TooLong(options.Value)];
                else if (declared[key].FirstOrDefault(s => !s.IsValid(value)) is { } broken)
                    errors[$"settings.{key}"] = [broken.Rule];
                settings[key] = value!;
            }
        }

        foreach (var rule in rules) rule.Check(flowId, settings, edit.Mapping, errors);
        if (edit.Mapping is { } changedMapping) await fields.CheckAsync(definition, changedMapping, errors, cancellationToken);
        if (errors.Count > 0) return null;
        var storedSettings = stored.ParsedSettings();
        foreach (var rule in rules) await rule.CheckWithSystemsAsync(flowId, settings, storedSettings, errors, cancellationToken);
        if (errors.Count > 0) return null;

        definition = definition with
        {
            Mapping = edit.Mapping is { } m ? m.OfType<FieldMap>().ToList() : definition.Mapping,
            Filter = edit.Filter is { } f ? f.OfType<FlowFilter>().ToList() : definition.Filter,
        };
        await flows.UpdateAsync(stored with
        {
            Definition = JsonSerializer.Serialize(definition, FlowDefinition.Json),
            EnabledValue = (edit.Enabled ?? stored.Enabled) ? 1 : 0,
            Schedule = edit.Schedule is null ? stored.Schedule : string.IsNullOrWhiteSpace(edit.Schedule) ? null : edit.Schedule,
            Settings = JsonSerializer.Serialize(settings, FlowDefinition.Json),
        }, cancellationToken);
        var updated = (await flows.GetAsync(flowId, cancellationToken))!;
        if (await scheduler.RescheduleAsync(updated, cancellationToken) is { } refused)
        {
            // Quartz refused what the rules let through: the flow goes back to what it was, schedule included.
            await flows.UpdateAsync(stored, CancellationToken.None);
            await scheduler.RescheduleAsync(stored, CancellationToken.None);
            errors["schedule"] = [refused + " Nothing was changed."];
            return null;
        }

        return updated;
    }

    private static void CheckMapping(IReadOnlyList<FieldMap?> mapping, FlowOptions limits, IDictionary<string, string[]> errors)
    {
        // Bounded so that no flow, and so no GET /api/flows, grows past what an admin could mean (security review F10).
        if (mapping.Count > limits.MaxMappingRows)
        {
            errors["mapping"] = [$"Use at most {limits.MaxMappingRows} mapping rows (Interweave:Flows:MaxMappingRows); there are {mapping.Count}. Nothing was stored."];
            return;
        }

        foreach (var (field, index) in mapping.Select((f, i) => (f, i)))
        {
            if (field is null) continue;
            if (TextsOf(field).FirstOrDefault(t => t.Text?.Length > limits.MaxMappingTextLength) is { Path: { } tooLong })
            {
                errors[$"mapping[{index}].{tooLong}"] = [TooLong(limits)];
                continue;
            }

            if (field.Sources?.Count > MaxSources || field.ValueMap?.Count > limits.MaxMappingRows)
            {
                errors[$"mapping[{index}]"] = [$"Use at most {MaxSources} sources and {limits.MaxMappingRows} valueMap entries in a row."];
                continue;
            }

            if (string.IsNullOrWhiteSpace(field.Target)) errors[$"mapping[{index}].target"] = ["Name the target field."];
            else if (!IsFieldName(field.Target)) errors[$"mapping[{index}].target"] = [NotAName];
            if (field.Source is { } source && !IsFieldName(source)) errors[$"mapping[{index}].source"] = [NotAName];
            foreach (var (name, i) in (field.Sources ?? []).Select((n, i) => (n, i)))
                if (name is null || !IsFieldName(name)) errors[$"mapping[{index}].sources[{i}]"] = [NotAName];
            var ways = new[] { field.Source is not null, field.Constant is not null, field.Sources is { Count: > 0 } }.Count(w => w);
            if (ways != 1) errors[$"mapping[{index}]"] = ["Give exactly one of source, sources (with format) or constant."];
            if (field.Lookup is { } lookup)
            {
                var lookupWays = (lookup.Binding is null ? 0 : 1) + (lookup.Flow is null ? 0 : 1) + (lookup.Entity is null && lookup.By is null ? 0 : 1);
                if (lookupWays != 1 || (lookup.Entity is null) != (lookup.By is null))
                    errors[$"mapping[{index}].lookup"] = ["Give exactly one of binding, flow, or entity with by (a Creatio object and the column that holds the value)."];
                else if (lookup.Binding is { } kind && !BindingKindNames.Contains(kind, StringComparer.Ordinal))
                    errors[$"mapping[{index}].lookup.binding"] = [$"Use {string.Join(", ", BindingKindNames[..^1])} or {BindingKindNames[^1]}."];
            }

            if (field.SystemOfRecord is not (null or "intacct" or "creatio")) errors[$"mapping[{index}].systemOfRecord"] = ["Use intacct or creatio."];
        }
    }

    private static void CheckFilter(IReadOnlyList<FlowFilter?> filter, IDictionary<string, string[]> errors)
    {
        if (filter.Count > MaxFilterConditions)
        {
            errors["filter"] = [$"Use at most {MaxFilterConditions} conditions (there are {filter.Count})."];
            return;
        }

        foreach (var (condition, index) in filter.Select((f, i) => (f, i)))
        {
            if (condition is null) continue;
            // Checked now, so that no later run fails on it: the field is a name, the value is there.
            if (string.IsNullOrWhiteSpace(condition.Field) || condition.Field.Length > MaxFilterFieldLength || !FieldName().IsMatch(condition.Field))
                errors[$"filter[{index}].field"] =
                    [$"Name the source field (letters, digits and underscores, with dots for related fields; at most {MaxFilterFieldLength} characters)."];
            if (condition.Value is null) errors[$"filter[{index}].value"] = ["Give the value to compare with (\"\" for empty)."];
            else if (condition.Value.Any(char.IsControl)) errors[$"filter[{index}].value"] = ["The value must not contain control characters."];
            else if (condition.Value.Length > MaxFilterValueLength) errors[$"filter[{index}].value"] = [$"The value must be at most {MaxFilterValueLength} characters long."];
        }
    }

    private const int MaxSources = 50;

    private static string TooLong(FlowOptions limits) => $"At most {limits.MaxMappingTextLength} characters (Interweave:Flows:MaxMappingTextLength).";

    /// <summary>Every text of a mapping row with its path in the request.</summary>
    private static IEnumerable<(string Path, string? Text)> TextsOf(FieldMap field)
    {
        yield return ("target", field.Target);
        yield return ("source", field.Source);
        yield return ("format", field.Format);
        yield return ("constant", field.Constant);
        yield return ("default", field.Default);
        foreach (var (source, i) in (field.Sources ?? []).Select((s, i) => (s, i))) yield return ($"sources[{i}]", source);
        foreach (var (key, value) in field.ValueMap ?? new Dictionary<string, string>())
        {
            yield return ("valueMap", key);
            yield return ("valueMap", value);
        }

        if (field.Lookup is { } lookup)
        {
            yield return ("lookup.binding", lookup.Binding);
            yield return ("lookup.flow", lookup.Flow);
            yield return ("lookup.entity", lookup.Entity);
            yield return ("lookup.by", lookup.By);
        }
    }

    private const string NotAName =
        "Name a field: letters, digits and underscores, with / between an Intacct group and its field and dots for related fields; at most 256 characters.";

    /// <summary>A mapping's field name: an Intacct field or group path (DISPLAYCONTACT/PHONE1), a Creatio column, a related field.</summary>
    private static bool IsFieldName(string name) => name.Length <= 256 && MappingFieldName().IsMatch(name);

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$")]
    private static partial Regex FieldName();

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_]*([./][A-Za-z_][A-Za-z0-9_]*)*$")]
    private static partial Regex MappingFieldName();
}
