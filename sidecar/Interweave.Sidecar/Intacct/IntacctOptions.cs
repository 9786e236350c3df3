using Microsoft.Extensions.Options;

namespace Interweave.Sidecar.Intacct;

/// <summary><c>Interweave:Intacct</c>: how hard the client leans on the gateway.</summary>
public sealed class IntacctOptions
{
    public const string Section = "Interweave:Intacct";

    /// <summary>Requests in flight at once; Intacct's base performance tier allows about two.</summary>
    public int MaxConcurrency { get; set; } = 2;

    public int TimeoutSeconds { get; set; } = 120;

    /// <summary>Retries of a transient failure (reads) or a refused request (any), with exponential backoff and jitter.</summary>
    public int MaxRetries { get; set; } = 4;

    public int RetryBaseDelayMilliseconds { get; set; } = 1000;

    /// <summary>
    /// Retries of a request Intacct refused for load (HTTP 429, GW-0010), counted apart from <see cref="MaxRetries"/>:
    /// Intacct did nothing with it, so waiting is always safe, and in a storm patience is what lets work finish.
    /// </summary>
    public int RateLimitedRetries { get; set; } = 20;

    /// <summary>The longest single backoff wait; with <see cref="RateLimitedRetries"/> it bounds the patience with a storm.</summary>
    public int MaxRetryDelaySeconds { get; set; } = 30;

    /// <summary>
    /// Intacct API transactions the company's performance tier includes per month, for the dashboard's budget line;
    /// unset: no line. Counted as functions sent (our reading of Sage's transaction; see docs/reliability.md).
    /// </summary>
    public int? MonthlyCallBudget { get; set; }

    /// <summary>Records per readByQuery or query page (1 to 1000).</summary>
    public int PageSize { get; set; } = 1000;

    /// <summary>
    /// The longest answer the client reads, in MB; a longer one fails as a transport failure once this much has arrived.
    /// A page of 1,000 records is a few MB.
    /// </summary>
    public int MaxResponseMegabytes { get; set; } = 50;
}

internal sealed class IntacctOptionsValidator : IValidateOptions<IntacctOptions>
{
    public ValidateOptionsResult Validate(string? name, IntacctOptions options)
    {
        var failures = new List<string>();
        if (options.MaxConcurrency is < 1 or > 50) failures.Add($"Interweave:Intacct:MaxConcurrency must be between 1 and 50 (was {options.MaxConcurrency}).");
        if (options.TimeoutSeconds is < 1 or > 900) failures.Add($"Interweave:Intacct:TimeoutSeconds must be between 1 and 900 (was {options.TimeoutSeconds}).");
        if (options.MaxRetries is < 0 or > 10) failures.Add($"Interweave:Intacct:MaxRetries must be between 0 and 10 (was {options.MaxRetries}).");
        if (options.RetryBaseDelayMilliseconds is < 0 or > 60_000) failures.Add($"Interweave:Intacct:RetryBaseDelayMilliseconds must be between 0 and 60000 (was {options.RetryBaseDelayMilliseconds}).");
        if (options.RateLimitedRetries is < 0 or > 100) failures.Add($"Interweave:Intacct:RateLimitedRetries must be between 0 and 100 (was {options.RateLimitedRetries}).");
        if (options.MaxRetryDelaySeconds is < 1 or > 300) failures.Add($"Interweave:Intacct:MaxRetryDelaySeconds must be between 1 and 300 (was {options.MaxRetryDelaySeconds}).");
        if (options.MonthlyCallBudget is < 1) failures.Add($"Interweave:Intacct:MonthlyCallBudget must be a positive number when set (was {options.MonthlyCallBudget}).");
        if (options.MaxResponseMegabytes is < 1 or > 1024) failures.Add($"Interweave:Intacct:MaxResponseMegabytes must be between 1 and 1024 (was {options.MaxResponseMegabytes}).");
        if (options.PageSize is < 1 or > 1000) failures.Add($"Interweave:Intacct:PageSize must be between 1 and 1000 (was {options.PageSize}).");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
