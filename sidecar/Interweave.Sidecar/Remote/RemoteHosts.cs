using System.Net;
using System.Net.Sockets;
using Interweave.Sidecar.Configuration;
using Microsoft.Extensions.Options;

namespace Interweave.Sidecar;

/// <summary>A connection the sidecar refused to open: the host, or every address it resolves to, is not allowed.</summary>
public sealed class RemoteHostRefusedException(string message) : Exception(message);

/// <summary>
/// <c>Interweave:AllowedRemoteHosts</c>: the hosts the sidecar may call. An entry is a host name (<c>crm.example.com</c>),
/// a wildcard for the names under a domain (<c>*.creatio.com</c>), an IP address or a CIDR block (<c>10.1.0.0/16</c>).
/// A name must be listed; and every address a connection goes to must be public or listed itself, so loopback,
/// link-local and private addresses are refused unless an entry names them, even behind a listed name. The check runs
/// when the URL is entered and again at connect time on the resolved addresses (<see cref="ConnectAsync"/>), so a
/// name whose DNS points at 127.0.0.1 or 169.254.169.254 is refused.
/// </summary>
public sealed class RemoteHosts
{
    /// <summary>Intacct's and Creatio's cloud domains: what a sidecar calls when the setting is left out.</summary>
    public static readonly IReadOnlyList<string> Defaults = ["*.intacct.com", "*.creatio.com"];

    /// <summary>Addresses that are not on the public internet: loopback, private, link-local, shared, multicast and reserved blocks.</summary>
    private static readonly IPNetwork[] NotPublic = [.. new[]
    {
        "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12", "192.0.0.0/24", "192.168.0.0/16",
        "198.18.0.0/15", "224.0.0.0/4", "240.0.0.0/4", "::/128", "::1/128", "fc00::/7", "fe80::/10", "ff00::/8", "64:ff9b:1::/48",
    }.Select(n => IPNetwork.Parse(n))];

    private readonly HashSet<string> _names = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<string> _domains = [];
    private readonly List<IPNetwork> _networks = [];

    public RemoteHosts(IOptions<InterweaveOptions> options)
        : this(options.Value.AllowedRemoteHosts ?? Defaults)
    {
    }

    internal RemoteHosts(IEnumerable<string> entries)
    {
        Entries = [.. entries.Select(e => e.Trim())];
        foreach (var entry in Entries)
        {
            if (!TryParse(entry, out var name, out var domain, out var network)) continue; // the options validator reports it
            if (name is not null) _names.Add(name);
            if (domain is not null) _domains.Add(domain);
            if (network is { } n) _networks.Add(n);
        }
    }

    public IReadOnlyList<string> Entries { get; }

    /// <summary>Whether <paramref name="entry"/> is a host name, <c>*.domain</c>, an IP address or a CIDR block.</summary>
    public static bool TryParse(string entry, out string? name, out string? domain, out IPNetwork? network)
    {
        (name, domain, network) = (null, null, null);
        var bare = entry.Trim().TrimStart('[').TrimEnd(']');
        if (IPNetwork.TryParse(bare, out var block)) network = block;
        else if (IPAddress.TryParse(bare, out var address)) network = new IPNetwork(address, address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128);
        else if (bare.StartsWith("*.", StringComparison.Ordinal) && Uri.CheckHostName(bare[2..]) == UriHostNameType.Dns) domain = "." + bare[2..].TrimEnd('.');
        else if (Uri.CheckHostName(bare) == UriHostNameType.Dns) name = bare.TrimEnd('.');
        else return false;
        return true;
    }

    /// <summary>Whether a URL's host may be called at all: a listed name, a name under a listed domain, or a listed address.</summary>
    public bool IsHostAllowed(string host)
    {
        var bare = host.TrimStart('[').TrimEnd(']').TrimEnd('.');
        if (IPAddress.TryParse(bare, out var address)) return IsListed(address);
        return _names.Contains(bare) || _domains.Any(d => bare.EndsWith(d, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>Whether a connection may go to this address: a public one, or one an entry names.</summary>
    public bool IsAddressAllowed(IPAddress address) => IsListed(address) || !NotPublic.Any(n => n.Contains(Normal(address)));

    /// <summary>
    /// The clients' <see cref="SocketsHttpHandler.ConnectCallback"/>: checks the host, resolves it, and connects only to
    /// allowed addresses; none left is a <see cref="RemoteHostRefusedException"/> (inside the HttpRequestException).
    /// </summary>
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var host = context.DnsEndPoint.Host;
        if (!IsHostAllowed(host))
            throw new RemoteHostRefusedException($"{host} is not in Interweave:AllowedRemoteHosts.");
        var resolved = IPAddress.TryParse(host.TrimStart('[').TrimEnd(']'), out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, cancellationToken);
        var allowed = resolved.Where(IsAddressAllowed).ToArray();
        if (allowed.Length == 0)
            throw new RemoteHostRefusedException($"{host} resolves only to addresses that are not public ({string.Join(", ", resolved.Select(a => a.ToString()))}) and not in Interweave:AllowedRemoteHosts.");
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(allowed, context.DnsEndPoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>The refusal inside a failed request, if the request failed because of this policy.</summary>
    public static RemoteHostRefusedException? RefusalIn(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
            if (e is RemoteHostRefusedException refused) return refused;
        return null;
    }

    /// <summary>The handler both clients use: no redirects, no cookie jar, connections only where this policy allows.</summary>
    public SocketsHttpHandler Handler() => new() { UseCookies = false, AllowAutoRedirect = false, ConnectCallback = ConnectAsync };

    private bool IsListed(IPAddress address) => _networks.Any(n => n.Contains(Normal(address)));

    private static IPAddress Normal(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
}
