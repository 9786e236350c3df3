using Serilog.Core;
using Serilog.Events;

namespace Interweave.Sidecar.Security;

/// <summary>
/// The one redaction point for logs: any structured property whose name says it holds a secret is
/// replaced before a sink sees it, however deeply it is nested. Clients that log wire bodies mask
/// them with <see cref="Mask"/> first.
/// </summary>
public sealed class LogRedaction : ILogEventEnricher
{
    public const string Mask = "***";

    private static readonly string[] SecretNameParts =
        ["password", "secret", "apikey", "api_key", "token", "sessionid", "session_id", "cookie", "authorization", "csrf", "aspxauth"];

    public static bool IsSecretName(string name)
    {
        var lowered = name.Replace("-", "", StringComparison.Ordinal).ToLowerInvariant();
        return SecretNameParts.Any(part => lowered.Contains(part, StringComparison.Ordinal));
    }

    public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory)
    {
        foreach (var (name, value) in logEvent.Properties.ToList())
        {
            var redacted = IsSecretName(name) ? new ScalarValue(Mask) : Redact(value);
            if (!ReferenceEquals(redacted, value)) logEvent.AddOrUpdateProperty(new LogEventProperty(name, redacted));
        }
    }

    private static LogEventPropertyValue Redact(LogEventPropertyValue value) => value switch
    {
        StructureValue structure when structure.Properties.Any(p => IsSecretName(p.Name) || Redact(p.Value) != p.Value) =>
            new StructureValue(structure.Properties.Select(p => new LogEventProperty(p.Name, IsSecretName(p.Name) ? new ScalarValue(Mask) : Redact(p.Value))), structure.TypeTag),
        DictionaryValue dictionary when dictionary.Elements.Any(e => e.Key.Value is string k && IsSecretName(k)) =>
            new DictionaryValue(dictionary.Elements.Select(e => new KeyValuePair<ScalarValue, LogEventPropertyValue>(
                e.Key, e.Key.Value is string k && IsSecretName(k) ? new ScalarValue(Mask) : e.Value))),
        SequenceValue sequence when sequence.Elements.Any(e => Redact(e) != e) =>
            new SequenceValue(sequence.Elements.Select(Redact)),
        _ => value,
    };
}
