using System.Globalization;
using System.Text.Json.Nodes;
using Interweave.Sidecar.Creatio;
using Interweave.Sidecar.Storage;

namespace Interweave.Sidecar.Flows.Engine;

/// <summary>
/// The two records a binding kind pairs: the Intacct object and its id field, the custom field in Intacct that
/// holds the Creatio Id (ACCOUNTID, PRODUCTID), the Creatio object and its column that holds the Intacct id.
/// </summary>
public sealed record PairedObjects(string Kind, string IntacctObject, string IdField, string KeyField, string CreatioEntity, string IntacctIdColumn)
{
    public static readonly PairedObjects AccountCustomer = new(BindingKinds.AccountCustomer, "CUSTOMER", "CUSTOMERID", "ACCOUNTID", "Account", "UsrIntacctCustomerId");
    public static readonly PairedObjects ProductItem = new(BindingKinds.ProductItem, "ITEM", "ITEMID", "PRODUCTID", "Product", "UsrIntacctItemId");

    public static PairedObjects? For(string? kind) => kind switch
    {
        BindingKinds.AccountCustomer => AccountCustomer,
        BindingKinds.ProductItem => ProductItem,
        _ => null,
    };
}

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

/// <summary>
/// Whether a value already holds what a flow would write (in Creatio's JSON or as Intacct's text): what makes an
/// echo (our own write coming back as a change) cost a read and never a write. Blank and missing are the same;
/// numbers compare by value, dates by instant, ids without case.
/// </summary>
public static class SameValue
{
    public static bool Equal(JsonNode? current, JsonNode? desired)
    {
        var a = Text(current);
        var b = Text(desired);
        if (a == b) return true;
        if (decimal.TryParse(a, NumberStyles.Number, CultureInfo.InvariantCulture, out var x) && decimal.TryParse(b, NumberStyles.Number, CultureInfo.InvariantCulture, out var y)) return x == y;
        if (Guid.TryParse(a, out var g) && Guid.TryParse(b, out var h)) return g == h;
        if (a.Contains('T', StringComparison.Ordinal) && b.Contains('T', StringComparison.Ordinal)
            && DateTimeOffset.TryParse(a, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var d)
            && DateTimeOffset.TryParse(b, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var e)) return d == e;
        return false;
    }

    private static string Text(JsonNode? node) => node is null ? "" : node.GetValueKind() switch
    {
        System.Text.Json.JsonValueKind.String => (string?)node ?? "",
        System.Text.Json.JsonValueKind.Number => node.GetValue<decimal>().ToString(CultureInfo.InvariantCulture),
        System.Text.Json.JsonValueKind.True => "true",
        System.Text.Json.JsonValueKind.False => "false",
        _ => "",
    };
}
