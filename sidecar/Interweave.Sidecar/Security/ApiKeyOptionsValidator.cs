using Microsoft.Extensions.Options;

namespace Interweave.Sidecar.Security;

internal sealed class ApiKeyOptionsValidator : IValidateOptions<ApiKeyOptions>
{
    public ValidateOptionsResult Validate(string? name, ApiKeyOptions options) =>
        options.FailedAttemptsPerMinute is >= 1 and <= 10_000
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"Interweave:ApiKeys:FailedAttemptsPerMinute must be between 1 and 10000 (was {options.FailedAttemptsPerMinute}).");
}
