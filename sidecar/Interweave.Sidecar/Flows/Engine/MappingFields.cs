using System.Text.Json;
using Interweave.Sidecar.Creatio;
using Interweave.Sidecar.Intacct;

namespace Interweave.Sidecar.Flows.Engine;

/// <summary>
/// Refuses, when a flow's mapping changes, an entry naming a field its system does not list: the source among the
/// source object's fields, the target among the target object's, as GET /api/flows/{flowId}/fields shows them
/// (Intacct's lookup, custom fields included; the Creatio site's $metadata). Otherwise every later run of the flow
/// failed on it. Only new or changed entries are checked, entries the admin marks <see cref="FieldMap.Unlisted"/> are
/// taken on trust, and when the systems cannot be asked (not configured, unreachable) the fields are not known and
/// nothing is refused on that account.
/// </summary>
public sealed class MappingFields(FlowConnections connections, ILogger<MappingFields> log)
{
    public async Task CheckAsync(FlowDefinition definition, IReadOnlyList<FieldMap?> mapping, IDictionary<string, string[]> errors, CancellationToken cancellationToken)
    {
        var unchanged = definition.Mapping.Select(m => JsonSerializer.Serialize(m, FlowDefinition.Json)).ToHashSet(StringComparer.Ordinal);
        // An action's target is a create_sotransaction header element, not a field of the object's lookup; its rules check it.
        var checkTargets = definition.Kind != FlowKind.Action;
        var names = new List<(string Path, string Name, FlowEndpoint Side)>();
        foreach (var (field, index) in mapping.Select((f, i) => (f, i)))
        {
            if (field is null || field.Unlisted || unchanged.Contains(JsonSerializer.Serialize(field, FlowDefinition.Json))) continue;
            if (checkTargets) names.Add(($"mapping[{index}].target", field.Target, definition.Target));
            if (field.Source is { } source) names.Add(($"mapping[{index}].source", source, definition.Source));
            foreach (var (name, i) in (field.Sources ?? []).Select((n, i) => (n, i))) names.Add(($"mapping[{index}].sources[{i}]", name, definition.Source));
        }

        // A related field (Account.Name) and a field of the source's owned lines (ARPYMTDETAILS/arpymtdetail/RECORDKEY) are
        // not among the object's own fields; the run resolves them.
        var lines = definition.Source.Lines is { } owned ? owned.Element + "/" : null;
        names.RemoveAll(n => errors.ContainsKey(n.Path) || string.IsNullOrEmpty(n.Name) || n.Name.Contains('.', StringComparison.Ordinal)
                             || (lines is not null && n.Side == definition.Source && n.Name.StartsWith(lines, StringComparison.Ordinal)));
        if (names.Count == 0) return;

        IReadOnlyDictionary<FlowEndpoint, HashSet<string>> listed;
        try
        {
            listed = await ListAsync(names.Select(n => n.Side).Distinct().ToList(), cancellationToken);
        }
        catch (Exception ex) when (ex is FlowRefusedException or IntacctException or CreatioException)
        {
            log.LogInformation("The mapping's fields were not checked against the systems: {Reason}", ex.Message);
            return;
        }

        foreach (var (path, name, side) in names.Where(n => !listed[n.Side].Contains(n.Name)))
            errors[path] = [$"{name} is not a field of {side.Object} in {(side.System == "intacct" ? "Intacct" : "Creatio")} (GET /api/flows/{definition.Id}/fields lists them). " +
                            "If it is a custom field the integration user cannot see yet, set \"unlisted\": true on the entry."];
    }

    private async Task<IReadOnlyDictionary<FlowEndpoint, HashSet<string>>> ListAsync(IReadOnlyList<FlowEndpoint> sides, CancellationToken cancellationToken)
    {
        var (creatio, intacct) = await connections.ConnectAsync(cancellationToken);
        var listed = new Dictionary<FlowEndpoint, HashSet<string>>();
        foreach (var side in sides)
            listed[side] = side.System == "intacct"
                ? (await intacct.FieldsAsync(side.Object, cancellationToken)).Select(f => f.Id.Replace('.', '/')).ToHashSet(StringComparer.Ordinal)
                : (await creatio.ColumnsAsync(side.Object, cancellationToken)).Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        return listed;
    }
}
