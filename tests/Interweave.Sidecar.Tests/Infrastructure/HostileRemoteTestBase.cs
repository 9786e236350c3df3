using Interweave.Sidecar.Storage;

namespace Interweave.Sidecar.Tests.Infrastructure;

/// <summary>
/// A sidecar on SQLite beside a <see cref="HostileRemote"/> on loopback, with retries that do not wait: the setup the
/// hostile-endpoint, remote-host and creatio-role tests share, and the connection bodies that point at it.
/// </summary>
/// <param name="remoteRetries">The retries each client makes; null keeps the sidecar's default.</param>
public abstract class HostileRemoteTestBase(PostgresServer postgres, int? remoteRetries) : SidecarTestBase(StoreProvider.Sqlite, postgres)
{
    public const string SenderPassword = "SENDER-SECRET-c41d9e";
    public const string UserPassword = "USER-SECRET-77ab02";
    public const string CreatioPassword = "CREATIO-PW-3e8f10";

    private HostileRemote? _remote;

    protected HostileRemote Remote => _remote!;

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        _remote = await HostileRemote.StartAsync();
        foreach (var system in new[] { "Intacct", "Creatio" })
        {
            Sidecar.Settings[$"Interweave:{system}:RetryBaseDelayMilliseconds"] = "1";
            if (remoteRetries is { } retries) Sidecar.Settings[$"Interweave:{system}:MaxRetries"] = retries.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
    }

    public override async ValueTask DisposeAsync()
    {
        if (_remote is not null) await _remote.DisposeAsync();
        await base.DisposeAsync();
    }

    public static object IntacctRequest(Uri endpoint) => new
    {
        companyId = "ACME",
        senderId = "sender",
        senderPassword = SenderPassword,
        userId = "ws-user",
        userPassword = UserPassword,
        endpointUrl = endpoint.ToString(),
    };

    public static object CreatioRequest(Uri baseUrl) => new { baseUrl = baseUrl.ToString(), authMode = "forms", userName = "Supervisor", password = CreatioPassword };
}
