namespace Interweave.Sidecar.Flows.Engine;

/// <summary>The rules a kind of flow puts on an admin's changes, declared by the class that runs it.</summary>
public interface IFlowRules
{
    /// <summary>Settings this class reads, each with its rule; checked whenever a change sets one.</summary>
    IEnumerable<FlowSetting> Settings { get; }

    /// <summary>
    /// Rules across settings or over the mapping, for the flows this class runs: <paramref name="settings"/> as they
    /// would be stored, <paramref name="mapping"/> the new mapping when the change replaces it (null entries were
    /// refused already). Errors are keyed by the request's paths, e.g. <c>mapping[2].target</c>.
    /// </summary>
    void Check(string flowId, IReadOnlyDictionary<string, string> settings, IReadOnlyList<FieldMap?>? mapping, IDictionary<string, string[]> errors)
    {
    }

    /// <summary>
    /// Rules only the remote systems can settle (a document type the Intacct company must have), checked after every
    /// other rule passed: <paramref name="settings"/> as they would be stored, <paramref name="stored"/> as they are.
    /// </summary>
    Task CheckWithSystemsAsync(string flowId, IReadOnlyDictionary<string, string> settings, IReadOnlyDictionary<string, string> stored, IDictionary<string, string[]> errors,
        CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>The values a setting may take, as the systems say now (for the console to offer), or null when this class offers none.</summary>
    Task<IReadOnlyList<string>?> ChoicesAsync(string flowId, string setting, CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<string>?>(null);
}
