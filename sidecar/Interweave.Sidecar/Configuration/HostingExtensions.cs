using Interweave.Sidecar.Api;
using Interweave.Sidecar.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using Serilog;
using Serilog.Events;
using Serilog.Formatting.Compact;

namespace Interweave.Sidecar.Configuration;

public static class HostingExtensions
{
    public static IServiceCollection AddInterweaveOptions(this IServiceCollection services)
    {
        services.AddOptions<InterweaveOptions>().BindConfiguration(InterweaveOptions.Section).ValidateOnStart();
        services.AddOptions<SwaggerUiOptions>().BindConfiguration(SwaggerUiOptions.Section);
        services.AddSingleton<IValidateOptions<InterweaveOptions>, InterweaveOptionsValidator>();
        services.AddSingleton(TimeProvider.System);
        return services;
    }

    /// <summary>Serilog in one place: people-readable console by default, compact JSON with Interweave:LogFormat=json.</summary>
    public static IServiceCollection AddInterweaveLogging(this IServiceCollection services)
    {
        services.AddSerilog((provider, logging) =>
        {
            var configuration = provider.GetRequiredService<IConfiguration>();
            var format = configuration[$"{InterweaveOptions.Section}:{nameof(InterweaveOptions.LogFormat)}"];
            // Quiet by default wherever the process starts (with or without appsettings.json): these categories log whole
            // requests, URLs with query strings and remote answers at Information. Configuration may still raise them.
            logging.MinimumLevel.Information()
                .MinimumLevel.Override("Microsoft.AspNetCore", LogEventLevel.Warning)
                .MinimumLevel.Override("Microsoft.Hosting.Lifetime", LogEventLevel.Information)
                .MinimumLevel.Override("System.Net.Http.HttpClient", LogEventLevel.Warning)
                .MinimumLevel.Override("Polly", LogEventLevel.Warning)
                .MinimumLevel.Override("Quartz", LogEventLevel.Warning);
            logging.ReadFrom.Configuration(configuration)
                .ReadFrom.Services(provider)
                .Enrich.FromLogContext()
                .Enrich.With<LogRedaction>();
            if (format == "json")
                logging.WriteTo.Console(new RenderedCompactJsonFormatter());
            else if (format == "none")
            {
                // No console: the host's own sinks (a test's captured log, say) receive everything.
            }
            else
                logging.WriteTo.Console(outputTemplate: "[{Timestamp:HH:mm:ss} {Level:u3}] {SourceContext}: {Message:lj}{NewLine}{Exception}");
        }, preserveStaticLogger: true); // no process-wide logger: each host (and each test host) keeps its own
        return services;
    }

    public static IServiceCollection AddInterweaveApi(this IServiceCollection services)
    {
        services.AddOptions<ApiOptions>().BindConfiguration(ApiOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddProblemDetails();
        services.AddExceptionHandler<Api.BadRequestHandler>();
        // The same answer in every environment: unreadable bodies reach BadRequestHandler as exceptions.
        services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(routes => routes.ThrowOnBadRequest = true);
        services.ConfigureHttpJsonOptions(json => json.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter()));
        // .NET 10's own validation of request records that carry DataAnnotations (400 with problem details).
        services.AddValidation();
        services.AddOpenApi("v1", openApi => openApi.AddOperationTransformer((operation, context, _) =>
        {
            // The authentication handler answers these before any endpoint runs, so say so in the contract.
            if (context.Description.ActionDescriptor.EndpointMetadata.OfType<Microsoft.AspNetCore.Authorization.IAuthorizeData>().Any())
            {
                operation.Responses ??= new OpenApiResponses();
                operation.Responses.TryAdd("401", new OpenApiResponse { Description = "No API key, or an unknown or revoked one (problem details)." });
                operation.Responses.TryAdd("403", new OpenApiResponse { Description = "The key's role does not allow this operation (problem details)." });
                operation.Responses.TryAdd("429", new OpenApiResponse { Description = "Too many failed API key attempts from this address, or at this key from any address (problem details)." });
            }

            return Task.CompletedTask;
        }).AddDocumentTransformer((document, _, _) =>
        {
            document.Info = new OpenApiInfo
            {
                Title = "Interweave sidecar",
                Version = "v1",
                Description = "Creatio CRM ⇄ Sage Intacct integration service. Every /api route needs an API key in the X-Api-Key header.",
            };
            // Servers depend on who asked; leaving them out keeps the committed document reproducible.
            document.Servers?.Clear();
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes[ApiKeyAuthenticationHandler.SchemeName] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey,
                In = ParameterLocation.Header,
                Name = ApiKeyAuthenticationHandler.HeaderName,
                Description = "An Interweave API key (role admin or creatio).",
            };
            document.Security ??= [];
            document.Security.Add(new OpenApiSecurityRequirement
            {
                [new OpenApiSecuritySchemeReference(ApiKeyAuthenticationHandler.SchemeName, document)] = [],
            });
            return Task.CompletedTask;
        }));
        return services;
    }

    public static WebApplication UseInterweaveApi(this WebApplication app)
    {
        // Outermost, so each request is logged with the status the client got after the handlers below.
        app.UseSerilogRequestLogging(requests => requests.Logger = app.Services.GetRequiredService<Serilog.ILogger>());
        app.UseExceptionHandler(); // BadRequestHandler turns unreadable bodies into 4xx problem details
        app.UseStatusCodePages();
        app.MapOpenApi("/openapi/{documentName}.json");
        if (app.Services.GetRequiredService<IOptions<SwaggerUiOptions>>().Value.IsEnabled(app.Environment))
            app.UseSwaggerUi();
        app.UseConsole();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter(); // after authentication: the creatio role's limit is per key
        app.UseRequestBodyLimit(); // after authorization: a caller without a key gets 401 and its body is never read
        app.UseUtf8Bodies(); // after authorization, so a caller without a key learns nothing more than 401
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") });
        return app;
    }

    /// <summary>
    /// Swagger UI shares the console's origin, so nobody may frame it (security review F12). Only framing and sniffing
    /// are closed: the console's full policy would block the inline styles Swagger UI draws with, which is why it is
    /// off by default outside Development (<see cref="SwaggerUiOptions"/>).
    /// </summary>
    private static void UseSwaggerUi(this WebApplication app)
    {
        app.UseWhen(context => context.Request.Path.StartsWithSegments("/swagger"), swagger => swagger.Use((context, next) =>
        {
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy = "frame-ancestors 'none'";
            headers.XFrameOptions = "DENY";
            headers.XContentTypeOptions = "nosniff";
            return next(context);
        }));
        app.UseSwaggerUI(ui =>
        {
            ui.SwaggerEndpoint("/openapi/v1.json", "Interweave sidecar v1");
            ui.RoutePrefix = "swagger";
        });
    }

    /// <summary>
    /// Reads every validated options class up front, so a wrong setting ends the process with one line
    /// naming the setting instead of a host start-up stack trace.
    /// </summary>
    public static bool TryValidateConfiguration(this IServiceProvider services, TextWriter error)
    {
        try
        {
            _ = services.GetRequiredService<IOptions<InterweaveOptions>>().Value;
            _ = services.GetRequiredService<IOptions<Storage.StorageOptions>>().Value;
            _ = services.GetRequiredService<IOptions<ApiKeyOptions>>().Value;
            _ = services.GetRequiredService<IOptions<Intacct.IntacctOptions>>().Value;
            _ = services.GetRequiredService<IOptions<Creatio.CreatioOptions>>().Value;
            _ = services.GetRequiredService<IOptions<ApiOptions>>().Value;
            return true;
        }
        catch (OptionsValidationException ex)
        {
            foreach (var failure in ex.Failures) error.WriteLine($"Configuration error: {failure}");
            return false;
        }
    }
}
