using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;

namespace Interweave.Sidecar.Security;

/// <summary>Encrypts settings before they reach the store; one purpose string per kind of payload.</summary>
public sealed class SecretProtector(IDataProtectionProvider provider)
{
    private readonly IDataProtector _connections = provider.CreateProtector("Interweave.Connections.v1");

    public string Protect<T>(T value) => _connections.Protect(JsonSerializer.Serialize(value, JsonOptions));

    public T Unprotect<T>(string protectedValue) =>
        JsonSerializer.Deserialize<T>(_connections.Unprotect(protectedValue), JsonOptions)
        ?? throw new InvalidOperationException("A protected payload decrypted to nothing.");

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);
}
