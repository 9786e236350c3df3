using Microsoft.Extensions.Options;

namespace Interweave.Sidecar.Configuration;

/// <summary>Settings under <c>Interweave</c> that are not owned by a narrower concern.</summary>
public sealed class InterweaveOptions
{
    public const string Section = "Interweave";

    /// <summary>Folder for the embedded store and the Data Protection key ring; created when missing.</summary>
    public string DataDirectory { get; set; } = "data";

    /// <summary>An admin API key supplied by automation; stored hashed at start-up.</summary>
    public string? BootstrapAdminKey { get; set; }

    /// <summary><c>text</c> (people) or <c>json</c> (log shippers).</summary>
    public string LogFormat { get; set; } = "text";

    /// <summary>
    /// Allows connection URLs with plain http to hosts other than loopback. Off by default: passwords and keys would
    /// cross the network in clear text.
    /// </summary>
    public bool AllowInsecureHttp { get; set; }

    /// <summary>
    /// The hosts the sidecar may call (Intacct's endpoint, Creatio's site and identity service): names, <c>*.domain</c>
    /// wildcards, IP addresses or CIDR blocks. Unset: <see cref="RemoteHosts.Defaults"/>. A loopback, private or
    /// link-local address is refused unless an entry names it (see <see cref="RemoteHosts"/>).
    /// </summary>
    public string[]? AllowedRemoteHosts { get; set; }

    /// <summary>Where the Data Protection key ring is kept; defaults to <c>keys</c> inside the data folder.</summary>
    public string? DataProtectionKeysDirectory { get; set; }

    /// <summary>
    /// A PKCS#12 (.pfx) certificate with its private key that encrypts the key ring at rest. Without one the key
    /// ring's files are protected only by the folder's permissions.
    /// </summary>
    public string? DataProtectionCertificatePath { get; set; }

    /// <summary>The password of <see cref="DataProtectionCertificatePath"/>, if it has one.</summary>
    public string? DataProtectionCertificatePassword { get; set; }

    public string ResolveDataDirectory() => Path.GetFullPath(DataDirectory);

    public string ResolveDataProtectionKeysDirectory() =>
        Path.GetFullPath(DataProtectionKeysDirectory ?? Path.Combine(ResolveDataDirectory(), "keys"));
}

internal sealed class InterweaveOptionsValidator : IValidateOptions<InterweaveOptions>
{
    public const int MinimumBootstrapKeyLength = 32;

    public ValidateOptionsResult Validate(string? name, InterweaveOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.DataDirectory))
            failures.Add("Interweave:DataDirectory must name a folder.");
        if (options.LogFormat is not ("text" or "json" or "none"))
            failures.Add($"Interweave:LogFormat must be 'text', 'json' or 'none' (was '{options.LogFormat}').");
        if (options.BootstrapAdminKey is { } key && key.Length < MinimumBootstrapKeyLength)
            failures.Add($"Interweave:BootstrapAdminKey must be at least {MinimumBootstrapKeyLength} characters long.");
        foreach (var entry in options.AllowedRemoteHosts ?? [])
            if (!RemoteHosts.TryParse(entry, out _, out _, out _))
                failures.Add($"Interweave:AllowedRemoteHosts: '{entry}' is not a host name, *.domain, IP address or CIDR block.");
        if (options.DataProtectionCertificatePath is { Length: > 0 } certificate)
        {
            try
            {
                using var loaded = Security.KeyRingCertificate.Load(options);
                if (!loaded!.HasPrivateKey)
                    failures.Add($"Interweave:DataProtectionCertificatePath ({certificate}) has no private key; the key ring could not be read back.");
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
            {
                failures.Add($"Interweave:DataProtectionCertificatePath ({certificate}) could not be loaded: {ex.Message}");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
