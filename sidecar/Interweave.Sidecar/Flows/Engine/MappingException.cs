namespace Interweave.Sidecar.Flows.Engine;

/// <summary>A record the mapping refused: a required lookup that found nothing, a value the value map lacks.</summary>
public sealed class MappingException(string kind, string message, string? hint) : Exception(message)
{
    public string Kind { get; } = kind;
    public string? Hint { get; } = hint;
}
