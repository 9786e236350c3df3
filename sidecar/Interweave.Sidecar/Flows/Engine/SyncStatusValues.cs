using System.Globalization;
using System.Text.Json.Nodes;
using Interweave.Sidecar.Creatio;

namespace Interweave.Sidecar.Flows.Engine;

/// <summary>The package's sync-status columns of accounts and products as one write.</summary>
public static class SyncStatusValues
{
    public static JsonObject Synced(DateTimeOffset now) => new()
    {
        ["UsrIntacctSyncStatusId"] = IntacctSyncStatus.Synced.ToString("D"),
        ["UsrIntacctLastSyncedOn"] = now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        ["UsrIntacctLastSyncError"] = "",
    };

    public static JsonObject Failed(string message) => new()
    {
        ["UsrIntacctSyncStatusId"] = IntacctSyncStatus.Error.ToString("D"),
        ["UsrIntacctLastSyncError"] = message,
    };

    /// <summary>Shows a failure on the record (opportunity, account, product); a failure to do so is logged, never thrown over the first.</summary>
    public static async Task MarkFailedAsync(CreatioConnection creatio, string entity, Guid id, string message, ILogger log, CancellationToken cancellationToken)
    {
        try
        {
            await creatio.UpdateAsync(entity, id, Failed(message), cancellationToken);
        }
        catch (CreatioException ex)
        {
            log.LogWarning(ex, "Could not mark {Entity} {Id} as failed in Creatio", entity, id);
        }
    }
}
