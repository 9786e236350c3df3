using System.Text.Json.Serialization;

namespace Interweave.Sidecar.Flows;

/// <summary>
/// Where a bulk load stands; stored in bulk_loads.state by its wire name. running: under way. paused: stopped by an
/// admin, resumable. succeeded: every step ran to its end and no record failed. completedWithErrors: every step ran to
/// its end, records were written and some failed (they wait in the error queue). failed: a step stopped as a whole, or
/// records failed and nothing was written. cancelled: stopped by an admin for good; what it wrote stays.
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<BulkLoadState>))]
public enum BulkLoadState
{
    [JsonStringEnumMemberName("running")]
    Running,

    [JsonStringEnumMemberName("paused")]
    Paused,

    [JsonStringEnumMemberName("succeeded")]
    Succeeded,

    /// <summary>Added in December 2026: before, such a load ended "succeeded" with failed above zero.</summary>
    [JsonStringEnumMemberName("completedWithErrors")]
    CompletedWithErrors,

    [JsonStringEnumMemberName("failed")]
    Failed,

    [JsonStringEnumMemberName("cancelled")]
    Cancelled,
}
