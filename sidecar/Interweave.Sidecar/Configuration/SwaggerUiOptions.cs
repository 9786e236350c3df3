namespace Interweave.Sidecar.Configuration;

/// <summary>
/// Whether Swagger UI is served at <c>/swagger</c>. It is a full admin client on the console's origin whose scripts
/// need inline styles the console's policy forbids, so a production sidecar leaves it off unless asked (security
/// review F12). The OpenAPI document at <c>/openapi/v1.json</c> is the contract and is always served.
/// </summary>
public sealed class SwaggerUiOptions
{
    public const string Section = "Interweave:SwaggerUi";

    /// <summary>Unset: on in the Development environment (the sandbox, <c>dotnet run</c>), off everywhere else.</summary>
    public bool? Enabled { get; set; }

    public bool IsEnabled(IHostEnvironment environment) => Enabled ?? environment.IsDevelopment();
}
