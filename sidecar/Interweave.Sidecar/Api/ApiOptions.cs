using System.ComponentModel.DataAnnotations;

namespace Interweave.Sidecar.Api;

/// <summary>
/// Bounds on what one /api request may send and receive (security review F10), set where no real admin reaches them: a
/// flow's whole definition is a few KB, the largest error queue or run page a console shows is thousands of rows.
/// </summary>
public sealed class ApiOptions
{
    public const string Section = "Interweave:Api";

    /// <summary>The largest request body an /api route reads; a larger one is answered 413 before it is read.</summary>
    [Range(16, 30 * 1024)]
    public int MaxRequestBodyKilobytes { get; set; } = 1024;

    /// <summary>
    /// The most rows one page of the long lists returns (errors, conflicts, bindings, a run's records), and their
    /// default: a larger <c>limit</c> is clamped to it; the next page is asked for with <c>before</c> or <c>after</c>.
    /// </summary>
    [Range(1, 100_000)]
    public int MaxPageSize { get; set; } = 5000;

    public long MaxRequestBodyBytes => MaxRequestBodyKilobytes * 1024L;

    /// <summary>The rows a long list returns for the <c>limit</c> asked: the page size when none is given, clamped to 1 to the page size.</summary>
    public int PageOf(int? limit) => Math.Clamp(limit ?? MaxPageSize, 1, MaxPageSize);
}
