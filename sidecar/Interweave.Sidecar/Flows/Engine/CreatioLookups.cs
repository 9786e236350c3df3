using System.Collections.Concurrent;
using Interweave.Sidecar.Creatio;

namespace Interweave.Sidecar.Flows.Engine;

/// <summary>
/// A run's answers to "which Creatio record has this value" (a currency by its code, say), asked once per value:
/// every record of a page asked again, one request each. A question that failed is asked again when next needed.
/// </summary>
public sealed class CreatioLookups(CreatioConnection creatio)
{
    private readonly ConcurrentDictionary<(string Entity, string By, string Value), Task<string>> _answers = new();

    /// <summary>The Id of the first record of <paramref name="entity"/> whose <paramref name="by"/> is the value; "" when none.</summary>
    public async Task<string> IdOfAsync(string entity, string by, string value, CancellationToken cancellationToken)
    {
        var question = (entity, by, value);
        var answer = _answers.GetOrAdd(question, q => AskAsync(q.Entity, q.By, q.Value, cancellationToken));
        try
        {
            return await answer;
        }
        catch
        {
            _answers.TryRemove(new KeyValuePair<(string, string, string), Task<string>>(question, answer));
            throw;
        }
    }

    private async Task<string> AskAsync(string entity, string by, string value, CancellationToken cancellationToken)
    {
        var (rows, _) = await creatio.QueryAsync(entity, new CreatioQuery(CreatioFilter.Equal(by, value), ["Id"], Top: 1), cancellationToken);
        return rows.Count > 0 ? (string?)rows[0]["Id"] ?? "" : "";
    }
}
