using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using Interweave.Sidecar.Creatio;
using Interweave.Sidecar.Intacct;
using Interweave.Sidecar.Storage;

namespace Interweave.Sidecar.Flows.Engine;

/// <summary>
/// Applies a flow's field mapping to one source record (an Intacct record or a Creatio row), producing the values
/// to write: Creatio-typed JSON for a Creatio target, Intacct-formatted text (paths such as DISPLAYCONTACT/PHONE1)
/// for an Intacct target.
/// </summary>
public sealed class FieldMapper(BindingRepository bindings, FlowStore flows, ISyncPackage package)
{
    /// <summary>
    /// Maps one Intacct record. <paramref name="linkByKeyField"/> resolves a binding lookup the bindings table does
    /// not know yet (a customer linked in Intacct by its ACCOUNTID field, say) and records the binding it finds.
    /// </summary>
    public Task<JsonObject> MapAsync(FlowDefinition flow, XElement record, Func<string, string, Task<string?>>? linkByKeyField, CreatioLookups? lookups, CancellationToken cancellationToken) =>
        MapAsync(flow, path => ValueAt(record, path), linkByKeyField, lookups, cancellationToken);

    /// <summary>Maps one Creatio row (property names as OData gives them, e.g. Name, CountryId).</summary>
    public Task<JsonObject> MapAsync(FlowDefinition flow, JsonObject row, CancellationToken cancellationToken) =>
        MapAsync(flow, path => CreatioText(row, path), null, null, cancellationToken);

    private async Task<JsonObject> MapAsync(FlowDefinition flow, Func<string, string?> valueAt, Func<string, string, Task<string?>>? linkByKeyField,
        CreatioLookups? lookups, CancellationToken cancellationToken)
    {
        var toIntacct = flow.Target.System == "intacct";
        var values = new JsonObject();
        foreach (var field in flow.Mapping)
        {
            var text = Produce(field, valueAt);
            if (field.ValueMap is { } map && !string.IsNullOrEmpty(text))
            {
                if (map.TryGetValue(text, out var mapped)) text = mapped;
                else text = field.Default ?? throw new MappingException("unmapped-value",
                    $"{field.Target}: the value '{text}' has no entry in the flow's value map.", $"Add '{text}' to the value map of {field.Target} in flow {flow.Id}.");
            }

            if (field.Lookup is { } lookup && !string.IsNullOrEmpty(text)) text = await LookUpAsync(lookup, text, linkByKeyField, lookups, cancellationToken);
            if (field.Required && string.IsNullOrEmpty(text))
                throw new MappingException("missing-" + field.Target, MissingMessage(flow, field, valueAt), MissingHint(field));
            try
            {
                values[field.Target] = toIntacct ? JsonValue.Create(ToIntacctText(field, text)) : Convert(field, text);
            }
            catch (Exception ex) when (ex is FormatException or OverflowException)
            {
                throw new MappingException("bad-value-" + field.Target, $"{field.Target}: '{text}' is not a valid {WireNames.Of(field.Type)}.", $"Correct the source value, or the type or value map of {field.Target} in flow {flow.Id}.");
            }
        }

        return values;
    }

    /// <summary>
    /// The fields an update writes: not those the target's own system owns (unless the record was just made); of
    /// the fields nobody owns, not those whose source value is what this flow wrote last time (so a record touched
    /// for one reason never puts back the other fields' old values) — fields the source owns are always made to
    /// match; on a first pairing, never a blank over a value the target has; never what the target already holds.
    /// With a <paramref name="guard"/> (paired records): never a field the target changed and has yet to send
    /// (held), never a field with an open conflict; and where the last-synced value is known, only a field the
    /// source changed since, and when the target changed it too, no write but a conflict in <paramref name="conflicts"/>.
    /// </summary>
    public static List<FieldMap> FieldsToWrite(FlowDefinition flow, JsonObject values, JsonObject? previous, bool justCreated,
        Func<FieldMap, JsonNode?> targetValue, FieldGuard? guard = null, List<FieldMap>? conflicts = null)
    {
        var fields = new List<FieldMap>();
        foreach (var field in flow.Mapping)
        {
            if (field.SystemOfRecord == flow.Target.System && !justCreated) continue;
            var value = values[field.Target];
            var ownedBySource = field.SystemOfRecord == flow.Source.System;
            if (!ownedBySource && guard is not null && !justCreated)
            {
                var current = targetValue(field);
                if (guard.Open.Contains(field.Target))
                {
                    if (!SameValue.Equal(current, value)) conflicts?.Add(field); // still apart: the queued values are refreshed
                    continue;
                }

                if (guard.Synced.TryGetValue(field.Target, out var synced))
                {
                    if (SameValue.Equal(current, value) || SameValue.Equal(synced, value)) continue; // agreed, or the source did not change it
                    if (guard.Held.Contains(field.Target) || !SameValue.Equal(synced, current)) conflicts?.Add(field); // both changed it
                    else fields.Add(field);
                    continue;
                }

                if (guard.Held.Contains(field.Target)) continue;
            }

            if (!ownedBySource && previous is not null && previous.ContainsKey(field.Target) && SameValue.Equal(previous[field.Target], value)) continue;
            var now = targetValue(field);
            if (previous is null && SameValue.Equal(value, null) && !SameValue.Equal(now, null)) continue;
            if (!SameValue.Equal(now, value)) fields.Add(field);
        }

        return fields;
    }

    /// <summary>A stable fingerprint of the values: equal values give equal fingerprints whatever their order.</summary>
    public static string Fingerprint(JsonObject values)
    {
        var ordered = new JsonObject(values.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => KeyValuePair.Create(p.Key, p.Value?.DeepClone())));
        return System.Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(ordered.ToJsonString())));
    }

    /// <summary>
    /// The value at a path such as "CUSTOMERID" or "ARPYMTDETAILS/arpymtdetail/RECORDKEY" (first match), whatever the
    /// case of the element names: Intacct answers readByQuery in lower case and read in upper case, and nests owned lines
    /// as an upper-case collection of lower-case members (SODOCUMENTENTRIES/sodocumententry).
    /// </summary>
    public static string? ValueAt(XElement record, string path)
    {
        XElement? current = record;
        foreach (var step in path.Split('/'))
        {
            current = current.Elements().FirstOrDefault(e => string.Equals(e.Name.LocalName, step, StringComparison.OrdinalIgnoreCase));
            if (current is null) return null;
        }

        return current.Value;
    }

    /// <summary>A Creatio row's value as text: numbers invariant, booleans true/false, a nested path through an expanded lookup.</summary>
    public static string? CreatioText(JsonObject row, string path)
    {
        JsonNode? current = row;
        foreach (var step in path.Split('/'))
        {
            current = (current as JsonObject)?[step];
            if (current is null) return null;
        }

        return CreatioValues.Text(current);
    }

    private static string? Produce(FieldMap field, Func<string, string?> valueAt)
    {
        if (field.Constant is not null) return field.Constant;
        if (field.Sources is { Count: > 0 } sources)
        {
            var parts = sources.Select(s => (object?)(valueAt(s) ?? "")).ToArray();
            return string.Format(MappingFormat.Instance, field.Format ?? string.Join(" ", sources.Select((_, i) => "{" + i + "}")), parts).Trim();
        }

        return field.Source is null ? null : valueAt(field.Source)?.Trim();
    }

    /// <summary>A value as Intacct takes it: decimals invariant without trailing zeros, dates MM/DD/YYYY, booleans true/false.</summary>
    internal static string ToIntacctText(FieldMap field, string? text)
    {
        if (string.IsNullOrEmpty(text)) return "";
        return field.Type switch
        {
            FieldType.Decimal => decimal.Parse(text, NumberStyles.Number, CultureInfo.InvariantCulture).ToString("0.##########", CultureInfo.InvariantCulture),
            FieldType.Int => long.Parse(text, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture),
            FieldType.Date => IntacctDates.Format(DateOnly.FromDateTime(DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal).UtcDateTime)),
            FieldType.Bool => bool.Parse(text) ? "true" : "false",
            FieldType.Guid => Guid.TryParse(text, out var id) ? id.ToString("D") : "",
            _ => text,
        };
    }

    private async Task<string> LookUpAsync(FieldLookup lookup, string value, Func<string, string, Task<string?>>? linkByKeyField, CreatioLookups? lookups, CancellationToken cancellationToken)
    {
        if (lookup.Entity is { } entity && lookup.By is { } by && lookups is not null) return await lookups.IdOfAsync(entity, by, value, cancellationToken);

        if (lookup.Binding is { } kind)
            return (await bindings.FindByIntacctIdAsync(kind, value, cancellationToken))?.CreatioId
                   ?? (linkByKeyField is null ? null : await linkByKeyField(kind, value)) ?? "";
        if (lookup.Flow is { } flowId)
            return (await flows.GetLinkAsync(flowId, value, cancellationToken))?.TargetKey ?? "";
        return value;
    }

    /// <summary>A value as Creatio takes it: blanks as Creatio's own defaults, dates as midnight UTC, numbers as numbers.</summary>
    internal static JsonNode? Convert(FieldMap field, string? text)
    {
        if (string.IsNullOrEmpty(text))
            return field.Type switch
            {
                FieldType.Guid => JsonValue.Create(Guid.Empty.ToString("D")),
                FieldType.Decimal or FieldType.Int => JsonValue.Create(0),
                FieldType.Bool => JsonValue.Create(false),
                FieldType.Date or FieldType.DateTime => null,
                _ => JsonValue.Create(""),
            };
        return field.Type switch
        {
            FieldType.Guid => JsonValue.Create(Guid.TryParse(text, out var id) ? id.ToString("D") : Guid.Empty.ToString("D")),
            FieldType.Decimal => JsonValue.Create(decimal.Parse(text, NumberStyles.Number, CultureInfo.InvariantCulture)),
            FieldType.Int => JsonValue.Create(long.Parse(text, CultureInfo.InvariantCulture)),
            FieldType.Date => JsonValue.Create(IntacctDates.ParseDate(text).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + "T00:00:00Z"),
            FieldType.DateTime => JsonValue.Create(IntacctDates.ParseDateTime(text).ToString("O", CultureInfo.InvariantCulture)),
            FieldType.Bool => JsonValue.Create(bool.Parse(text)),
            _ => JsonValue.Create(text),
        };
    }

    private string MissingMessage(FlowDefinition flow, FieldMap field, Func<string, string?> valueAt) =>
        package.PairFor(field.Lookup?.Binding) is { } pair
            ? $"Intacct {pair.IntacctObject.ToLowerInvariant()} {valueAt(field.Source ?? "")} is not linked to a Creatio {pair.CreatioEntity.ToLowerInvariant()}."
            : $"{flow.Target.Object}.{field.Target} could not be filled from {field.Source ?? "the record"}.";

    private string MissingHint(FieldMap field) =>
        package.PairFor(field.Lookup?.Binding) is { } pair
            ? $"Link the {pair.IntacctObject.ToLowerInvariant()}: set its {pair.KeyField} field in Intacct to the Creatio {pair.CreatioEntity.ToLowerInvariant()}'s Id, " +
              $"or use Sync with Intacct on the {pair.CreatioEntity.ToLowerInvariant()}, then retry."
            : "Check the source record in Intacct, then retry.";
}
