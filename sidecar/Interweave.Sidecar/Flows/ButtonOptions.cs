using System.ComponentModel.DataAnnotations;

namespace Interweave.Sidecar.Flows;

/// <summary>How the buttons' calls (Send to Intacct, Sync with Intacct) answer.</summary>
public sealed class ButtonOptions
{
    public const string Section = "Interweave:Buttons";

    /// <summary>
    /// The longest a click waits for its work before it is told "still going" (202): under the 25 s the package's
    /// Creatio service waits for the sidecar, so the user always gets an answer the page can show. The work goes on
    /// and the record shows its outcome.
    /// </summary>
    [Range(1, 600)]
    public int AnswerWithinSeconds { get; set; } = 20;

    /// <summary>
    /// Clicks whose work may be under way at once (waiting for Intacct or running, answered or not). A click past it
    /// is answered 503 with Retry-After at once, so a flood of clicks cannot hold every Intacct permit or queue
    /// without bound.
    /// </summary>
    [Range(1, 10_000)]
    public int MaxClicksInProgress { get; set; } = 20;

    /// <summary>The Retry-After (seconds) of a click refused because <see cref="MaxClicksInProgress"/> are under way.</summary>
    public const int RetryAfterSeconds = 5;
}
