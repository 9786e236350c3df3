using System.Collections.Concurrent;
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
/// Generated keys look like <c>iw_&lt;prefix&gt;_&lt;secret&gt;</c>. The prefix finds the row; only a SHA-256 of the
/// whole key is stored (the secret is 256 random bits, so a slow hash adds nothing), and hashes are compared in constant
/// time. A key an operator chose (the bootstrap admin key) may carry far fewer bits, so it is stored salted and slow
/// (<see cref="OperatorKeyHash"/>) under a random prefix that says nothing about it.
/// </summary>
public sealed class ApiKeyService(ApiKeyRepository keys, TimeProvider time)
{
    private const string Scheme = "iw";
    private const int PrefixBytes = 6;
    private const int SecretBytes = 32;

    /// <summary>Starts the prefix of a row holding an operator's key; a generated prefix (base64url) never has a dot.</summary>
    private const string OperatorPrefix = "bootstrap.";

    /// <summary>The throttle's name for every key not of the generated form: any of them may be a guess at the operator's key.</summary>
    public const string OperatorKeyFamily = "operator-chosen";

    // Operator keys this process has verified, row id to the key's SHA-256, so PBKDF2 runs once per process and key
    // rather than on every request. Only memory holds it; the row is still read on each request, so a revocation holds.
    private readonly ConcurrentDictionary<string, string> _verified = new();

    /// <summary>What the failed-key throttle counts a presented key against: its prefix, or one name for all operator keys.</summary>
    public static string FamilyOf(string presented) => IsGenerated(presented, out var prefix) ? $"{Scheme}_{prefix}" : OperatorKeyFamily;

    /// <returns>Null when an active key already has that name (names tell keys apart in lists and in the audit log).</returns>
    public async Task<IssuedApiKey?> CreateAsync(string name, string role, CancellationToken cancellationToken)
    {
        var key = $"{Scheme}_{Base64Url(RandomNumberGenerator.GetBytes(PrefixBytes))}_{Base64Url(RandomNumberGenerator.GetBytes(SecretBytes))}";
        return await StoreAsync(name, role, key, uniqueName: true, cancellationToken);
    }

    /// <summary>
    /// The start of a key that tells it apart in a list (<c>iw_&lt;prefix&gt;</c>), never enough to use it; null for an
    /// operator's own key (the bootstrap key): its row's prefix is random, not part of the key, so there is nothing to show.
    /// </summary>
    public static string? ShownPrefix(string storedPrefix) =>
        storedPrefix.StartsWith(OperatorPrefix, StringComparison.Ordinal) || IsLegacyOperatorPrefix(storedPrefix) ? null : $"{Scheme}_{storedPrefix}";

    /// <summary>An operator's key stored before salted hashes: 'h' and 12 hex digits of its SHA-256 (a generated prefix has 8 characters).</summary>
    private static bool IsLegacyOperatorPrefix(string storedPrefix) => storedPrefix.Length == 13 && storedPrefix[0] == 'h';

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
        var existing = IsGenerated(key, out var prefix) ? await keys.FindByPrefixAsync(prefix, cancellationToken) : await FindOperatorKeyAsync(key, cancellationToken);
        if (existing is not null) return existing.RevokedAt is null;
        await StoreAsync("bootstrap", Roles.Admin, key, uniqueName: false, cancellationToken); // the operator's key: it starts the sidecar whatever its name
        return true;
    }

    public async Task<ApiKeyIdentity?> ValidateAsync(string presented, CancellationToken cancellationToken)
    {
        ApiKeyRecord? record;
        if (IsGenerated(presented, out var prefix))
        {
            record = await keys.FindByPrefixAsync(prefix, cancellationToken);
            // Compare even when no row matched, so the answer takes as long for an unknown prefix as for a wrong secret.
            if (!SameHash(Sha256(presented), record?.KeyHash)) record = null;
        }
        else
            record = await FindOperatorKeyAsync(presented, cancellationToken);

        if (record is null || record.RevokedAt is not null) return null;
        // Last use is for people reviewing keys; a minute's precision spares a database write on every request.
        var now = time.GetUtcNow();
        if (record.LastUsedAt is null || now - record.LastUsedAt > TimeSpan.FromMinutes(1))
            await keys.TouchAsync(record.Id, now, cancellationToken);
        return new ApiKeyIdentity(record.Id, record.Name, record.Role);
    }

    /// <summary>The row of an operator's key, revoked or not; a row stored before salted hashes is rewritten on the way.</summary>
    private async Task<ApiKeyRecord?> FindOperatorKeyAsync(string key, CancellationToken cancellationToken)
    {
        var sha = Sha256(key);
        // Before the security review's F11 an operator's key was stored as its SHA-256 under the prefix 'h' + 12 of its
        // hex digits. The key is at hand now, so the row gets the salted hash and a random prefix: no fast hash is left.
        if (await keys.FindByPrefixAsync("h" + sha[..12], cancellationToken) is { } legacy && SameHash(sha, legacy.KeyHash))
        {
            var upgraded = legacy with { Prefix = NewOperatorPrefix(), KeyHash = OperatorKeyHash.Hash(key) };
            await keys.ReplaceHashAsync(legacy.Id, upgraded.Prefix, upgraded.KeyHash, cancellationToken);
            _verified[legacy.Id] = sha;
            return upgraded;
        }

        foreach (var row in await keys.ListByPrefixStartAsync(OperatorPrefix, cancellationToken))
        {
            var matches = _verified.TryGetValue(row.Id, out var known) ? SameHash(sha, known) : OperatorKeyHash.Verify(key, row.KeyHash);
            if (!matches) continue;
            _verified[row.Id] = sha;
            return row;
        }

        return null;
    }

    private async Task<IssuedApiKey?> StoreAsync(string name, string role, string key, bool uniqueName, CancellationToken cancellationToken)
    {
        if (!Roles.All.Contains(role)) throw new ArgumentException($"Unknown role '{role}'.", nameof(role));
        var generated = IsGenerated(key, out var prefix);
        var record = new ApiKeyRecord
        {
            Id = Guid.CreateVersion7().ToString("n"),
            Name = name,
            Role = role,
            Prefix = generated ? prefix : NewOperatorPrefix(),
            KeyHash = generated ? Sha256(key) : OperatorKeyHash.Hash(key),
            CreatedAt = time.GetUtcNow(),
        };
        if (!uniqueName) await keys.InsertAsync(record, cancellationToken);
        else if (!await keys.TryInsertWithUniqueNameAsync(record, cancellationToken)) return null;
        if (!generated) _verified[record.Id] = Sha256(key);
        return new IssuedApiKey(record.Id, name, role, key, record.CreatedAt);
    }

    /// <summary>Whether the key has the generated form, whose prefix finds its row (an operator's key of that form counts as one).</summary>
    private static bool IsGenerated(string key, out string prefix)
    {
        prefix = key.Split('_') is [Scheme, var p, _] && p.Length > 0 ? p : "";
        return prefix.Length > 0;
    }

    private static string NewOperatorPrefix() => OperatorPrefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(PrefixBytes));

    private static bool SameHash(string presentedHash, string? storedHash) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(presentedHash), Encoding.ASCII.GetBytes(storedHash ?? new string('0', presentedHash.Length)));

    private static string Sha256(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '-');
}
