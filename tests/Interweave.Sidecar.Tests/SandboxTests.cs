using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using Interweave.Sidecar.Api;

namespace Interweave.Sidecar.Tests;

/// <summary>The README's first command: both simulators and the sidecar, wired and seeded, from one process.</summary>
public sealed class SandboxTests
{
    [Fact]
    public async Task The_sandbox_starts_everything_and_configures_both_connections()
    {
        var cancellation = TestContext.Current.CancellationToken;
        var port = FreePort();
        var data = Directory.CreateTempSubdirectory("interweave-sandbox-test-").FullName;
        using var sandbox = StartSandbox(port, data);
        try
        {
            var output = new System.Text.StringBuilder();
            var ready = new TaskCompletionSource();
            sandbox.OutputDataReceived += (_, e) =>
            {
                lock (output) output.AppendLine(e.Data);
                if (e.Data == "SANDBOX READY") ready.TrySetResult();
            };
            sandbox.BeginOutputReadLine();
            sandbox.BeginErrorReadLine();
            await ready.Task.WaitAsync(TimeSpan.FromSeconds(90), cancellation);

            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            http.DefaultRequestHeaders.Add("X-Api-Key", "iw-sandbox-admin-key-for-loopback-only-0001");
            var status = await http.GetFromJsonAsync<StatusView>("/api/status", cancellation);
            Assert.Equal("sqlite", status!.Store);
            Assert.NotNull(status.Intacct.LastSucceededAt);
            Assert.NotNull(status.Creatio.LastSucceededAt);
            Assert.Equal(HttpStatusCode.OK, (await http.PostAsync("/api/connections/intacct/test", null, cancellation)).StatusCode);
            lock (output)
            {
                Assert.Contains("admin API key:", output.ToString());
                Assert.Contains("Creatio sign-in:    Supervisor / Supervisor", output.ToString()); // a new admin should not have to read the source for it
            }
        }
        finally
        {
            sandbox.Kill(entireProcessTree: true);
            await sandbox.WaitForExitAsync(CancellationToken.None);
            Directory.Delete(data, recursive: true);
        }
    }

    [Theory]
    [InlineData("TERM")]
    [InlineData("INT")]
    public async Task The_sandbox_stops_with_its_sidecar_on_a_signal(string signal)
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "POSIX signals");
        var cancellation = TestContext.Current.CancellationToken;
        var port = FreePort();
        var data = Directory.CreateTempSubdirectory("interweave-sandbox-test-").FullName;
        using var sandbox = StartSandbox(port, data);
        try
        {
            var ready = new TaskCompletionSource();
            sandbox.OutputDataReceived += (_, e) =>
            {
                if (e.Data == "SANDBOX READY") ready.TrySetResult();
            };
            sandbox.BeginOutputReadLine();
            sandbox.BeginErrorReadLine();
            await ready.Task.WaitAsync(TimeSpan.FromSeconds(90), cancellation);

            // Only the sandbox gets the signal (a terminal's Ctrl+C would reach the sidecar too): it must stop the sidecar itself.
            using (var kill = Process.Start("kill", [$"-{signal}", sandbox.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!)
                await kill.WaitForExitAsync(cancellation);
            await sandbox.WaitForExitAsync(cancellation).WaitAsync(TimeSpan.FromSeconds(30), cancellation);

            using var probe = new TcpClient();
            await Assert.ThrowsAnyAsync<SocketException>(() => probe.ConnectAsync(IPAddress.Loopback, port, cancellation).AsTask());
        }
        finally
        {
            if (!sandbox.HasExited) sandbox.Kill(entireProcessTree: true);
            await sandbox.WaitForExitAsync(CancellationToken.None);
            Directory.Delete(data, recursive: true);
        }
    }

    /// <summary>The sandbox as the README starts it, on a free sidecar port and any simulator ports, output captured.</summary>
    private static Process StartSandbox(int port, string data)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[]
                 {
                     Path.Combine(AppContext.BaseDirectory, "Interweave.Sandbox.dll"), "--sidecar-url", $"http://127.0.0.1:{port}",
                     "--intacct-url", "http://127.0.0.1:0", "--creatio-url", "http://127.0.0.1:0", "--data", data,
                 })
            start.ArgumentList.Add(argument);
        return Process.Start(start)!;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
