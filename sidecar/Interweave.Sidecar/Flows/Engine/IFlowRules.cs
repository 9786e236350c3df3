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
}
