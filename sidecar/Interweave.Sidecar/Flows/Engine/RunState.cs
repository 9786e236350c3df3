using System.Text.Json.Serialization;

namespace Interweave.Sidecar.Flows.Engine;

/// <summary>
/// Where a run stands; stored in flow_runs.state by its wire name. running: under way. succeeded: it read to the
/// end and every record went through (or needed nothing). completedWithErrors: it read to the end, some records went
/// through and some failed (they wait in the error queue). failed: it stopped as a whole (a system unreachable, a
/// refused sign-in, a 5xx; its error says why, and the error queue holds it as a run-level error), or every record
/// it tried failed. interrupted: stopped on purpose or by a crash (a pause or cancel of its bulk load, a shutdown).
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<RunState>))]
public enum RunState
{
    [JsonStringEnumMemberName("running")]
    Running,

    [JsonStringEnumMemberName("succeeded")]
    Succeeded,

    [JsonStringEnumMemberName("failed")]
    Failed,

    [JsonStringEnumMemberName("interrupted")]
    Interrupted,

    /// <summary>Added in December 2026: before, such a run ended "succeeded" with a failedCount above zero.</summary>
    [JsonStringEnumMemberName("completedWithErrors")]
    CompletedWithErrors,
}
