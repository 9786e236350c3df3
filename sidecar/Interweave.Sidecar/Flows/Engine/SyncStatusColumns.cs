using System.Globalization;
using System.Text.Json.Nodes;
using Interweave.Sidecar.Creatio;

namespace Interweave.Sidecar.Flows.Engine;

/// <summary>Where a Creatio record shows its sync status, and the values that say "synced" and "error".</summary>
public sealed record SyncStatusColumns(string StatusColumn, Guid SyncedStatus, Guid ErrorStatus, string LastSyncedColumn, string LastErrorColumn)
{
    public JsonObject Synced(DateTimeOffset now) => new()
    {
        [StatusColumn] = SyncedStatus.ToString("D"),
        [LastSyncedColumn] = now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        [LastErrorColumn] = "",
    };

    public JsonObject Failed(string message) => new()
    {
        [StatusColumn] = ErrorStatus.ToString("D"),
        [LastErrorColumn] = message,
    };

    /// <summary>Shows a failure on the record; a failure to do so is logged, never thrown over the first.</summary>
    public async Task MarkFailedAsync(CreatioConnection creatio, string entity, Guid id, string message, ILogger log, CancellationToken cancellationToken)
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
