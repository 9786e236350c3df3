using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Interweave.Sidecar.Configuration;
using Microsoft.Extensions.Options;

namespace Interweave.Sidecar.Security;

/// <summary>The certificate that encrypts the Data Protection key ring at rest, when one is configured.</summary>
public static class KeyRingCertificate
{
    /// <summary>Loads the configured certificate; throws when it is configured and cannot be loaded.</summary>
    public static X509Certificate2? Load(InterweaveOptions options) =>
        options.DataProtectionCertificatePath is { Length: > 0 } path
            ? X509CertificateLoader.LoadPkcs12FromFile(path, options.DataProtectionCertificatePassword)
            : null;

    /// <summary>The configured certificate when it loads with its private key; null otherwise.</summary>
    public static X509Certificate2? TryLoad(InterweaveOptions? options)
    {
        if (options is null) return null;
        try
        {
            var certificate = Load(options);
            if (certificate is { HasPrivateKey: true }) return certificate;
            certificate?.Dispose();
            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or CryptographicException)
        {
            return null;
        }
    }
}

/// <summary>Says at every start that the key ring is not encrypted at rest, and what to do about it.</summary>
internal sealed class KeyRingProtectionCheck(IOptions<InterweaveOptions> options, ILogger<KeyRingProtectionCheck> log) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        log.LogWarning("The Data Protection key ring in {KeyFolder} is not encrypted at rest; set Interweave:DataProtectionCertificatePath to a .pfx certificate to encrypt it (README, Configuration)",
            options.Value.ResolveDataProtectionKeysDirectory());
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
