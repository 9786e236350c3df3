using Interweave.Sidecar.Configuration;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.Extensions.Options;

namespace Interweave.Sidecar.Security;

public static class SecurityServiceCollectionExtensions
{
    public static IServiceCollection AddSecurity(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ApiKeyOptions>().BindConfiguration(ApiKeyOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddCreatioRateLimiting();
        services.AddSingleton<IValidateOptions<ApiKeyOptions>, ApiKeyOptionsValidator>();
        services.AddSingleton<FailedAuthenticationThrottle>();
        services.AddSingleton<ApiKeyService>();
        services.AddSingleton<AuditLog>();
        services.AddHostedService<BootstrapAdminKeyService>();

        services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(Policies.Admin, policy => policy.RequireRole(Roles.Admin))
            .AddPolicy(Policies.CreatioActions, policy => policy.RequireRole(Roles.Admin, Roles.Creatio))
            .AddPolicy(Policies.Operations, policy => policy.RequireRole(Roles.Admin, Roles.Operator))
            .AddPolicy(Policies.AnyRole, policy => policy.RequireRole(Roles.All));

        // The key ring lives in a folder (the data folder by default) so a restart can still read what it wrote.
        // Keep it out of the database: a copy of the store alone must not be enough to read the secrets.
        var dataProtection = services.AddDataProtection().SetApplicationName("Interweave");
        // With a certificate, each key is encrypted with it before it is written. Data Protection takes decryption
        // certificates only as instances at registration, so the setting is read here; a certificate that does not
        // load is reported by InterweaveOptionsValidator, which stops the start-up.
        if (KeyRingCertificate.TryLoad(configuration.GetSection(InterweaveOptions.Section).Get<InterweaveOptions>()) is { } certificate)
            dataProtection.ProtectKeysWithCertificate(certificate).UnprotectKeysWithAnyCertificate(certificate);
        else
            services.AddHostedService<KeyRingProtectionCheck>();
        services.AddOptions<KeyManagementOptions>()
            .Configure<IOptions<InterweaveOptions>, ILoggerFactory>((keyManagement, interweave, loggers) =>
            {
                var folder = interweave.Value.ResolveDataProtectionKeysDirectory();
                PrivatePaths.EnsureFolder(folder);
                keyManagement.XmlRepository = new FileSystemXmlRepository(new DirectoryInfo(folder), loggers);
            });
        services.AddSingleton<SecretProtector>();
        return services;
    }
}

/// <summary>Stores <c>Interweave:BootstrapAdminKey</c>, once migrations have run.</summary>
internal sealed class BootstrapAdminKeyService(IOptions<InterweaveOptions> options, ApiKeyService keys, ILogger<BootstrapAdminKeyService> log) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.Value.BootstrapAdminKey is { Length: > 0 } key && !await keys.EnsureBootstrapKeyAsync(key, cancellationToken))
            log.LogWarning("Interweave:BootstrapAdminKey was revoked and stays revoked; remove it from the configuration, or supply a new one");
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
