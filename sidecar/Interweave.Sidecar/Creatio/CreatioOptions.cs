using Microsoft.Extensions.Options;

namespace Interweave.Sidecar.Creatio;

/// <summary><c>Interweave:Creatio</c>: how the client talks to Creatio's OData API.</summary>
public sealed class CreatioOptions
{
    public const string Section = "Interweave:Creatio";

    public int TimeoutSeconds { get; set; } = 100;

    public int MaxRetries { get; set; } = 4;

    public int RetryBaseDelayMilliseconds { get; set; } = 500;

    /// <summary>Rows per page when reading a whole set ($top; Creatio allows at most 20 000).</summary>
    public int PageSize { get; set; } = 1000;

    /// <summary>Where OData lives under the site: <c>0/odata</c> on .NET Framework sites, <c>odata</c> on .NET 8 sites.</summary>
    public string ODataPath { get; set; } = "0/odata";

    /// <summary>The longest answer the client reads, in MB (a page of rows, a sign-in); a longer one fails as a transport failure.</summary>
    public int MaxResponseMegabytes { get; set; } = 50;

    /// <summary>The same for the site's OData $metadata, which runs to megabytes on a site with many packages.</summary>
    public int MaxMetadataMegabytes { get; set; } = 200;
}

internal sealed class CreatioOptionsValidator : IValidateOptions<CreatioOptions>
{
    public ValidateOptionsResult Validate(string? name, CreatioOptions options)
    {
        var failures = new List<string>();
        if (options.TimeoutSeconds is < 1 or > 900) failures.Add($"Interweave:Creatio:TimeoutSeconds must be between 1 and 900 (was {options.TimeoutSeconds}).");
        if (options.MaxRetries is < 0 or > 10) failures.Add($"Interweave:Creatio:MaxRetries must be between 0 and 10 (was {options.MaxRetries}).");
        if (options.RetryBaseDelayMilliseconds is < 0 or > 60_000) failures.Add($"Interweave:Creatio:RetryBaseDelayMilliseconds must be between 0 and 60000 (was {options.RetryBaseDelayMilliseconds}).");
        if (options.PageSize is < 1 or > 20_000) failures.Add($"Interweave:Creatio:PageSize must be between 1 and 20000 (was {options.PageSize}).");
        if (options.MaxResponseMegabytes is < 1 or > 1024) failures.Add($"Interweave:Creatio:MaxResponseMegabytes must be between 1 and 1024 (was {options.MaxResponseMegabytes}).");
        if (options.MaxMetadataMegabytes is < 1 or > 2048) failures.Add($"Interweave:Creatio:MaxMetadataMegabytes must be between 1 and 2048 (was {options.MaxMetadataMegabytes}).");
        if (options.ODataPath.Trim('/') is not ("0/odata" or "odata")) failures.Add($"Interweave:Creatio:ODataPath must be '0/odata' or 'odata' (was '{options.ODataPath}').");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
