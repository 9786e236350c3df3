using System.Security.Cryptography;
using System.Text;
using Interweave.Sidecar.Storage;

namespace Interweave.Sidecar.Security;

public static class Roles
{
    /// <summary>Everything: configuration, flows, keys.</summary>
    public const string Admin = "admin";

    /// <summary>What the Creatio package's back-end service needs: button actions and status reads.</summary>
    public const string Creatio = "creatio";

    /// <summary>Read-only for people on call (finance, support): runs, errors and the dashboard, and retrying an error; no settings.</summary>
    public const string Operator = "operator";

    public static readonly IReadOnlyList<string> All = [Admin, Creatio, Operator];
}

public sealed record IssuedApiKey(string Id, string Name, string Role, string Key, DateTimeOffset CreatedAt);

public sealed record ApiKeyIdentity(string Id, string Name, string Role);

/// <summary>
/// Keys look like <c>iw_&lt;prefix&gt;_&lt;secret&gt;</c>. The prefix finds the row; only a SHA-256 of the
/// whole key is stored (the key is 256 random bits, so a slow hash adds nothing), and hashes are compared
/// in constant time.
/// </summary>
public sealed class ApiKeyService(ApiKeyRepository keys, TimeProvider time)
{
    private const string Scheme = "iw";
    private const int PrefixBytes = 6;
    private const int SecretBytes = 32;

    public async Task<IssuedApiKey> CreateAsync(string name, string role, CancellationToken cancellationToken)
    {
        var key = $"{Scheme}_{Base64Url(RandomNumberGenerator.GetBytes(PrefixBytes))}_{Base64Url(RandomNumberGenerator.GetBytes(SecretBytes))}";
        return await StoreAsync(name, role, key, cancellationToken);
    }

    /// <summary>
    /// Replaces an active key with a new one of the same name and role. The old key is revoked first, in one
    /// conditional update, so two rotations at once cannot both succeed; the caller must switch to the new key.
    /// </summary>
    /// <returns>Null when no active key has that id.</returns>
    public async Task<IssuedApiKey?> RotateAsync(string id, CancellationToken cancellationToken)
    {
        var old = await keys.FindByIdAsync(id, cancellationToken);
        if (old is null || !await keys.RevokeAsync(id, time.GetUtcNow(), cancellationToken)) return null;
        return await CreateAsync(old.Name, old.Role, cancellationToken);
    }

    /// <summary>
    /// Stores a key chosen by the operator (the bootstrap admin key); idempotent across restarts. A bootstrap key an admin
    /// revoked stays revoked (the revocation was deliberate) and the sidecar starts all the same.
    /// </summary>
    /// <returns>False when the key was revoked and is therefore not usable.</returns>
    public async Task<bool> EnsureBootstrapKeyAsync(string key, CancellationToken cancellationToken)
    {
        var prefix = PrefixOf(key);
        var existing = await keys.FindByPrefixAsync(prefix, cancellationToken);
        if (existing is not null) return existing.RevokedAt is null;
        await StoreAsync("bootstrap", Roles.Admin, key, cancellationToken);
        return true;
    }

    public async Task<ApiKeyIdentity?> ValidateAsync(string presented, CancellationToken cancellationToken)
    {
        var record = await keys.FindByPrefixAsync(PrefixOf(presented), cancellationToken);
        var presentedHash = Hash(presented);
        // Compare even when no row matched, so the answer takes as long for an unknown prefix as for a wrong secret.
        var storedHash = record?.KeyHash ?? new string('0', presentedHash.Length);
        var matches = CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(presentedHash), Encoding.ASCII.GetBytes(storedHash));
        if (!matches || record is null || record.RevokedAt is not null) return null;
        // Last use is for people reviewing keys; a minute's precision spares a database write on every request.
        var now = time.GetUtcNow();
        if (record.LastUsedAt is null || now - record.LastUsedAt > TimeSpan.FromMinutes(1))
            await keys.TouchAsync(record.Id, now, cancellationToken);
        return new ApiKeyIdentity(record.Id, record.Name, record.Role);
    }

    private async Task<IssuedApiKey> StoreAsync(string name, string role, string key, CancellationToken cancellationToken)
    {
        if (!Roles.All.Contains(role)) throw new ArgumentException($"Unknown role '{role}'.", nameof(role));
        var record = new ApiKeyRecord
        {
            Id = Guid.CreateVersion7().ToString("n"),
            Name = name,
            Role = role,
            Prefix = PrefixOf(key),
            KeyHash = Hash(key),
            CreatedAt = time.GetUtcNow(),
        };
        await keys.InsertAsync(record, cancellationToken);
        return new IssuedApiKey(record.Id, name, role, key, record.CreatedAt);
    }

    /// <summary>Generated keys carry their prefix; an operator's own key is indexed by a hash of itself.</summary>
    private static string PrefixOf(string key)
    {
        var parts = key.Split('_');
        if (parts is [Scheme, var prefix, _] && prefix.Length > 0) return prefix;
        return "h" + Hash(key)[..12];
    }

    private static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '-');
}
