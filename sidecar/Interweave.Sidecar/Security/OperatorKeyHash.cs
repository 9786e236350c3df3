using System.Security.Cryptography;
using System.Text;

namespace Interweave.Sidecar.Security;

/// <summary>
/// The stored form of a key an operator chose (the bootstrap admin key): PBKDF2-HMAC-SHA256 with a random salt, as
/// <c>pbkdf2-sha256$iterations$salt$hash</c>. Generated keys carry 256 random bits, so a plain SHA-256 is enough for
/// them; a chosen phrase may carry far fewer, and a copy of the store must not let anyone test guesses at SHA-256 speed
/// (security review F11).
/// </summary>
internal static class OperatorKeyHash
{
    private const string Scheme = "pbkdf2-sha256";

    // OWASP's figure for PBKDF2-HMAC-SHA256 (Password Storage Cheat Sheet, 2023). A check costs a few hundred
    // milliseconds, once per process: ApiKeyService remembers a verified key in memory.
    private const int Iterations = 600_000;
    private const int SaltBytes = 16;
    private const int HashBytes = 32;

    public static string Hash(string key)
    {
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        var hash = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(key), salt, Iterations, HashAlgorithmName.SHA256, HashBytes);
        return $"{Scheme}${Iterations}${Convert.ToBase64String(salt)}${Convert.ToBase64String(hash)}";
    }

    public static bool IsHash(string stored) => stored.StartsWith(Scheme + "$", StringComparison.Ordinal);

    public static bool Verify(string key, string stored)
    {
        var parts = stored.Split('$');
        if (parts is not [Scheme, var iterations, var salt, var hash] || !int.TryParse(iterations, out var count)) return false;
        var expected = Convert.FromBase64String(hash);
        var actual = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(key), Convert.FromBase64String(salt), count, HashAlgorithmName.SHA256, expected.Length);
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }
}
