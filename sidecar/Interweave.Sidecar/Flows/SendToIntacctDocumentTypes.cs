using Interweave.Sidecar.Flows.Engine;
using Interweave.Sidecar.Intacct;

namespace Interweave.Sidecar.Flows;

/// <summary>
/// The document types Send to Intacct may create: the Intacct company's own Order Entry transaction definitions,
/// read from Intacct (SODOCUMENTPARAMS; companies name theirs, e.g. "US Sales Invoice"), and "AR Invoice". A new
/// name is checked against that list when an admin sets it, and the console offers the list.
/// </summary>
public sealed class SendToIntacctDocumentTypes(FlowConnections connections, ILogger<SendToIntacctDocumentTypes> log) : IFlowRules
{
    public IEnumerable<FlowSetting> Settings => [];

    public async Task CheckWithSystemsAsync(string flowId, IReadOnlyDictionary<string, string> settings, IReadOnlyDictionary<string, string> stored,
        IDictionary<string, string[]> errors, CancellationToken cancellationToken)
    {
        var key = SendOpportunityToIntacct.DocumentType.Name;
        if (flowId != SendOpportunityToIntacct.FlowId || settings.GetValueOrDefault(key) is not { } type || type == stored.GetValueOrDefault(key)
            || type == SendOpportunityToIntacct.ArInvoice)
            return;
        try
        {
            var known = await ListAsync(cancellationToken);
            if (!known.Contains(type, StringComparer.Ordinal))
                errors[$"settings.{key}"] = [$"The Intacct company has no Order Entry transaction definition \"{type}\". Use one of: {string.Join(", ", known.Select(k => $"\"{k}\""))}."];
        }
        catch (Exception ex) when (ex is IntacctException or FlowRefusedException)
        {
            log.LogWarning(ex, "Could not read Intacct's transaction definitions to check the document type {DocumentType}", type);
            errors[$"settings.{key}"] = [$"Intacct could not be asked for its transaction definitions ({ex.Message}); the document type was not changed. Check the Intacct connection and try again."];
        }
    }

    public async Task<IReadOnlyList<string>?> ChoicesAsync(string flowId, string setting, CancellationToken cancellationToken) =>
        flowId == SendOpportunityToIntacct.FlowId && setting == SendOpportunityToIntacct.DocumentType.Name ? await ListAsync(cancellationToken) : null;

    private async Task<IReadOnlyList<string>> ListAsync(CancellationToken cancellationToken)
    {
        var intacct = await connections.IntacctAsync(cancellationToken);
        return [.. await intacct.SalesTransactionDefinitionsAsync(cancellationToken), SendOpportunityToIntacct.ArInvoice];
    }
}
