using Microsoft.Extensions.Options;

namespace Interweave.Sidecar.Security;

internal sealed class ApiKeyOptionsValidator : IValidateOptions<ApiKeyOptions>
{
    public ValidateOptionsResult Validate(string? name, ApiKeyOptions options)
    {
        var failures = new List<string>();
        if (options.FailedAttemptsPerMinute is < 1 or > 10_000)
            failures.Add($"Interweave:ApiKeys:FailedAttemptsPerMinute must be between 1 and 10000 (was {options.FailedAttemptsPerMinute}).");
        if (options.FailedAttemptsPerKeyPerMinute is < 1 or > 10_000)
            failures.Add($"Interweave:ApiKeys:FailedAttemptsPerKeyPerMinute must be between 1 and 10000 (was {options.FailedAttemptsPerKeyPerMinute}).");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
