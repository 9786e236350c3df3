using System.Text.Json.Nodes;
using Interweave.Sidecar.Creatio;

namespace Interweave.Sidecar.Flows.Engine;

/// <summary>
/// What else decides whether a paired record's field is written, keyed by the writing flow's target field: the value
/// both systems last agreed on (<see cref="Synced"/>), a change of the target's own that a refused write still
/// carries (<see cref="Held"/>), and a conflict waiting for a person (<see cref="Open"/>).
/// </summary>
public sealed record FieldGuard(IReadOnlyDictionary<string, JsonNode?> Synced, IReadOnlySet<string> Held, IReadOnlySet<string> Open)
{
    /// <summary>
    /// The guard of a pull's field (Creatio column): the last-synced value is the one of the pair's two links written
    /// last (the pull's own, or the push's, converted), since either direction's write is a sync of both sides.
    /// </summary>
    public static FieldGuard ForPull(IReadOnlyList<MirroredField> mirrors, FlowLink? pull, FlowLink? push, IReadOnlySet<string> held, IReadOnlySet<string> open) =>
        new(SyncedValues(mirrors, pull, push, m => m.Pull.Target, m => m.Push.Target, (m, node) => FieldMapper.Convert(m.Pull, CreatioValues.Text(node))), held, open);

    /// <summary>The guard of a push's field (Intacct path), from the same two links seen the other way.</summary>
    public static FieldGuard ForPush(IReadOnlyList<MirroredField> mirrors, FlowLink? push, FlowLink? pull, IReadOnlySet<string> openCreatioFields) =>
        new(SyncedValues(mirrors, push, pull, m => m.Push.Target, m => m.Pull.Target, (m, node) => JsonValue.Create(FieldMapper.ToIntacctText(m.Push, CreatioValues.Text(node)))),
            new HashSet<string>(),
            mirrors.Where(m => openCreatioFields.Contains(m.Pull.Target)).Select(m => m.Push.Target).ToHashSet(StringComparer.Ordinal));

    private static Dictionary<string, JsonNode?> SyncedValues(IReadOnlyList<MirroredField> mirrors, FlowLink? own, FlowLink? reverse, Func<MirroredField, string> ownField,
        Func<MirroredField, string> reverseField, Func<MirroredField, JsonNode?, JsonNode?> convert)
    {
        var synced = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        var (ownValues, reverseValues) = (own?.Values(), reverse?.Values());
        var reverseIsNewer = (reverse?.SyncedAt ?? DateTimeOffset.MinValue) > (own?.SyncedAt ?? DateTimeOffset.MinValue);
        foreach (var mirror in mirrors)
        {
            var field = ownField(mirror);
            var hasOwn = ownValues?.ContainsKey(field) == true;
            if (reverseValues?.TryGetPropertyValue(reverseField(mirror), out var other) == true && (reverseIsNewer || !hasOwn))
            {
                try
                {
                    synced[field] = convert(mirror, other);
                    continue;
                }
                catch (Exception ex) when (ex is FormatException or OverflowException)
                {
                    // A value the other flow kept that this one cannot read: its own, if any, is the better guess.
                }
            }

            if (hasOwn) synced[field] = ownValues![field]?.DeepClone();
        }

        return synced;
    }
}

/// <summary>
/// A field two flows carry in opposite directions between paired records, each plainly (no lookup, value map,
/// format or constant) and owned by neither system: the only fields on which both sides' changes can be compared.
/// </summary>
public sealed record MirroredField(FieldMap Pull, FieldMap Push)
{
    public static IReadOnlyList<MirroredField> Of(FlowDefinition pull, FlowDefinition push) =>
        [.. from p in pull.Mapping.Where(Plain)
            join q in push.Mapping.Where(Plain) on (p.Target, p.Source) equals (q.Source, q.Target)
            select new MirroredField(p, q)];

    private static bool Plain(FieldMap field) =>
        field is { Source: not null, Sources: null, Constant: null, Lookup: null, ValueMap: null, SystemOfRecord: null };
}
