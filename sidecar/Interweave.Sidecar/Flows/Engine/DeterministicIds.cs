using System.Security.Cryptography;
using System.Text;

namespace Interweave.Sidecar.Flows.Engine;

/// <summary>
/// Ids derived from a name: the same name always gives the same Guid, so a record created under it can be
/// created again (a retry, a crash before our bookkeeping) without ever becoming two records.
/// </summary>
public static class DeterministicIds
{
    public static Guid From(string name) => new(SHA256.HashData(Encoding.UTF8.GetBytes(name)).AsSpan(0, 16), bigEndian: false);
}
