using System.Net;
using System.Net.Http.Json;
using Interweave.Sidecar.Api;
using Interweave.Sidecar.Security;
using Interweave.Sidecar.Storage;
using Interweave.Sidecar.Tests.Infrastructure;

namespace Interweave.Sidecar.Tests;

/// <summary>The sidecar started as a real process, the way an operator starts it.</summary>
public sealed class StartupTests(PostgresServer postgres) : IDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private readonly string _workingDirectory = Directory.CreateTempSubdirectory("interweave-run-").FullName;

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Starts_with_no_configuration_on_the_embedded_store_in_a_data_folder()
    {
        await using var sidecar = SidecarProcess.Start(_workingDirectory, new Dictionary<string, string?>(), "--urls", "http://127.0.0.1:0");
        var address = await sidecar.WaitUntilListeningAsync(StartTimeout);
        using var http = new HttpClient { BaseAddress = address };

        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health/live", Cancellation)).StatusCode);
        Assert.Equal("Healthy", await http.GetStringAsync("/health/ready", Cancellation));
        Assert.True(File.Exists(Path.Combine(_workingDirectory, "data", "interweave.db")));
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(_workingDirectory, "data", "keys"), "key-*.xml"));
        Assert.Contains("is not encrypted at rest; set Interweave:DataProtectionCertificatePath", sidecar.Output);
        if (!OperatingSystem.IsWindows())
        {
            // Only the sidecar's user may read the store and the key ring, whatever the umask.
            Assert.Equal(PrivatePaths.PrivateFolderMode, File.GetUnixFileMode(Path.Combine(_workingDirectory, "data")));
            Assert.Equal(PrivatePaths.PrivateFileMode, File.GetUnixFileMode(Path.Combine(_workingDirectory, "data", "interweave.db")));
            Assert.Equal(PrivatePaths.PrivateFolderMode, File.GetUnixFileMode(Path.Combine(_workingDirectory, "data", "keys")));
        }
    }

    [Fact]
    public async Task With_a_certificate_the_key_ring_is_encrypted_at_rest_and_a_restored_backup_reads_the_secrets()
    {
        var certificateFile = Path.Combine(_workingDirectory, "key-ring.pfx");
        using (var rsa = System.Security.Cryptography.RSA.Create(2048))
        {
            var request = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=Interweave key ring", rsa,
                System.Security.Cryptography.HashAlgorithmName.SHA256, System.Security.Cryptography.RSASignaturePadding.Pkcs1);
            using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
            await File.WriteAllBytesAsync(certificateFile, certificate.Export(System.Security.Cryptography.X509Certificates.X509ContentType.Pkcs12, "pfx-pass"), Cancellation);
        }

        var settings = new Dictionary<string, string?>
        {
            ["Interweave__BootstrapAdminKey"] = SidecarFactory.AdminKey,
            ["Interweave__DataProtectionCertificatePath"] = certificateFile,
            ["Interweave__DataProtectionCertificatePassword"] = "pfx-pass",
        };
        await using var creatio = await Interweave.Simulators.Creatio.CreatioSimulator.StartAsync(new Interweave.Simulators.Creatio.CreatioSimulatorOptions());
        await using (var first = SidecarProcess.Start(_workingDirectory, settings, "--urls", "http://127.0.0.1:0"))
        {
            using var http = new HttpClient { BaseAddress = await first.WaitUntilListeningAsync(StartTimeout) };
            http.DefaultRequestHeaders.Add("X-Api-Key", SidecarFactory.AdminKey);
            var saved = await http.PutAsJsonAsync("/api/connections/creatio",
                new { baseUrl = creatio.BaseAddress.ToString(), authMode = "forms", userName = "Supervisor", password = "Supervisor" }, Cancellation);
            Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
            Assert.DoesNotContain("not encrypted at rest", first.Output);
        }

        var keyRing = await File.ReadAllTextAsync(Assert.Single(Directory.GetFiles(Path.Combine(_workingDirectory, "data", "keys"), "key-*.xml")), Cancellation);
        Assert.Contains("<EncryptedData", keyRing);
        Assert.DoesNotContain("<masterKey", keyRing); // the plain form of the key

        // The README's backup and restore: the stopped sidecar's data folder (store and key ring) copied to another machine.
        var restored = Path.Combine(_workingDirectory, "restored");
        foreach (var file in Directory.GetFiles(Path.Combine(_workingDirectory, "data"), "*", SearchOption.AllDirectories))
        {
            var copy = Path.Combine(restored, "data", Path.GetRelativePath(Path.Combine(_workingDirectory, "data"), file));
            Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
            File.Copy(file, copy);
        }

        await using var second = SidecarProcess.Start(restored, settings, "--urls", "http://127.0.0.1:0");
        using var again = new HttpClient { BaseAddress = await second.WaitUntilListeningAsync(StartTimeout) };
        again.DefaultRequestHeaders.Add("X-Api-Key", SidecarFactory.AdminKey);
        // The stored Creatio password is decrypted with the restored key ring, which the certificate unlocks.
        var tested = await again.PostAsync("/api/connections/creatio/test", null, Cancellation);
        Assert.Equal(HttpStatusCode.OK, tested.StatusCode);
    }

    [Fact]
    public async Task Starts_on_postgresql_from_a_connection_string()
    {
        await using var store = await TestStore.CreateAsync(StoreProvider.Postgres, postgres, "startup");
        await using var sidecar = SidecarProcess.Start(_workingDirectory, new Dictionary<string, string?>
        {
            ["ConnectionStrings__Interweave"] = store.ConnectionString,
            ["Interweave__BootstrapAdminKey"] = SidecarFactory.AdminKey,
        }, "--urls", "http://127.0.0.1:0");
        var address = await sidecar.WaitUntilListeningAsync(StartTimeout);
        using var http = new HttpClient { BaseAddress = address };
        http.DefaultRequestHeaders.Add("X-Api-Key", SidecarFactory.AdminKey);

        Assert.Equal("Healthy", await http.GetStringAsync("/health/ready", Cancellation));
        var status = await http.GetFromJsonAsync<StatusView>("/api/status", Cancellation);
        Assert.Equal("postgres", status!.Store);
        Assert.False(File.Exists(Path.Combine(_workingDirectory, "data", "interweave.db")));
    }

    [Theory]
    [InlineData("Interweave__Storage__Provider", "mysql", "Interweave:Storage:Provider must be 'sqlite' or 'postgres' (was 'mysql').")]
    [InlineData("Interweave__Storage__Provider", "postgres", "Interweave:Storage:Provider is 'postgres' but ConnectionStrings:Interweave is empty")]
    [InlineData("Interweave__LogFormat", "xml", "Interweave:LogFormat must be 'text', 'json' or 'none' (was 'xml').")]
    [InlineData("Interweave__BootstrapAdminKey", "short", "Interweave:BootstrapAdminKey must be at least 32 characters long.")]
    [InlineData("ConnectionStrings__Interweave", "just some words", "ConnectionStrings:Interweave is neither a PostgreSQL")]
    [InlineData("Interweave__Intacct__PageSize", "5000", "Interweave:Intacct:PageSize must be between 1 and 1000 (was 5000).")]
    [InlineData("Interweave__Creatio__MaxRetries", "99", "Interweave:Creatio:MaxRetries must be between")]
    [InlineData("Interweave__DataProtectionCertificatePath", "/no/such/key-ring.pfx", "Interweave:DataProtectionCertificatePath (/no/such/key-ring.pfx) could not be loaded")]
    public async Task A_wrong_setting_stops_the_process_with_one_line_naming_it(string variable, string value, string expected)
    {
        await using var sidecar = SidecarProcess.Start(_workingDirectory, new Dictionary<string, string?> { [variable] = value }, "--urls", "http://127.0.0.1:0");

        Assert.Equal(1, await sidecar.WaitForExitAsync(StartTimeout));
        var lines = sidecar.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var line = Assert.Single(lines);
        Assert.StartsWith("Configuration error: ", line);
        Assert.Contains(expected, line);
        Assert.DoesNotMatch(@"\n\s+at \S+\(", sidecar.Output + sidecar.Error); // no stack trace
    }

    [Fact]
    public async Task The_healthcheck_command_reports_readiness_for_containers()
    {
        await using var sidecar = SidecarProcess.Start(_workingDirectory, new Dictionary<string, string?>(), "--urls", "http://127.0.0.1:0");
        var address = await sidecar.WaitUntilListeningAsync(StartTimeout);

        await using var ready = SidecarProcess.Start(_workingDirectory, new Dictionary<string, string?>(), "healthcheck", new Uri(address, "/health/ready").ToString());
        Assert.Equal(0, await ready.WaitForExitAsync(StartTimeout));
        await using var missing = SidecarProcess.Start(_workingDirectory, new Dictionary<string, string?>(), "healthcheck", new Uri(address, "/no-such-probe").ToString());
        Assert.Equal(1, await missing.WaitForExitAsync(StartTimeout));
    }

    [Fact]
    public async Task Json_logs_on_request()
    {
        await using var sidecar = SidecarProcess.Start(_workingDirectory, new Dictionary<string, string?> { ["Interweave__LogFormat"] = "json" }, "--urls", "http://127.0.0.1:0");
        await sidecar.WaitUntilListeningAsync(StartTimeout);

        var first = sidecar.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries)[0];
        var parsed = System.Text.Json.JsonDocument.Parse(first);
        Assert.True(parsed.RootElement.TryGetProperty("@t", out _));
        Assert.True(parsed.RootElement.TryGetProperty("@m", out _));
    }

    [Fact]
    public async Task The_keys_command_creates_lists_and_revokes_keys_the_server_then_accepts()
    {
        await using var create = SidecarProcess.Start(_workingDirectory, new Dictionary<string, string?>(), "keys", "create", "--name", "creatio-prod", "--role", "creatio");
        Assert.Equal(0, await create.WaitForExitAsync(StartTimeout));
        var key = create.Output.Split('\n').Single(l => l.StartsWith("key:", StringComparison.Ordinal))["key:".Length..].Trim();
        var id = create.Output.Split('\n').Single(l => l.StartsWith("id:", StringComparison.Ordinal))["id:".Length..].Trim();

        await using var list = SidecarProcess.Start(_workingDirectory, new Dictionary<string, string?>(), "keys", "list");
        Assert.Equal(0, await list.WaitForExitAsync(StartTimeout));
        Assert.Matches($@"{id}\tcreatio\tcreatio-prod\tcreated [^\t]+\tactive\tiw_{key[3..11]}\r?\n", list.Output);
        Assert.DoesNotContain(key, list.Output);

        await using (var server = SidecarProcess.Start(_workingDirectory, new Dictionary<string, string?>(), "--urls", "http://127.0.0.1:0"))
        {
            using var http = new HttpClient { BaseAddress = await server.WaitUntilListeningAsync(StartTimeout) };
            http.DefaultRequestHeaders.Add("X-Api-Key", key);
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/api/status", Cancellation)).StatusCode);
        }

        await using var rotate = SidecarProcess.Start(_workingDirectory, new Dictionary<string, string?>(), "keys", "rotate", id);
        Assert.Equal(0, await rotate.WaitForExitAsync(StartTimeout));
        var rotatedId = System.Text.RegularExpressions.Regex.Match(rotate.Output, @"id:\s+(\S+)").Groups[1].Value;
        Assert.NotEqual(id, rotatedId);
        await using (var listAfterRotation = SidecarProcess.Start(_workingDirectory, new Dictionary<string, string?>(), "keys", "list"))
        {
            Assert.Equal(0, await listAfterRotation.WaitForExitAsync(StartTimeout));
            Assert.Matches($@"{id}\tcreatio\tcreatio-prod\t.*revoked", listAfterRotation.Output);
            Assert.Matches($@"{rotatedId}\tcreatio\tcreatio-prod\t.*active", listAfterRotation.Output);
        }

        id = rotatedId;
        await using var revoke = SidecarProcess.Start(_workingDirectory, new Dictionary<string, string?>(), "keys", "revoke", id);
        Assert.Equal(0, await revoke.WaitForExitAsync(StartTimeout));
        await using var again = SidecarProcess.Start(_workingDirectory, new Dictionary<string, string?>(), "keys", "revoke", id);
        Assert.Equal(1, await again.WaitForExitAsync(StartTimeout));
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_workingDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
