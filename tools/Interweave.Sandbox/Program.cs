using System.Diagnostics;
using System.Net.Http.Json;
using System.Runtime.InteropServices;
using Interweave.Simulators.Creatio;
using Interweave.Simulators.Intacct;

namespace Interweave.Sandbox;

/// <summary>
/// The one-command sandbox: both simulators seeded with demo data and the sidecar on the embedded store, wired
/// to them on loopback. Ctrl+C or SIGTERM stops everything.
/// </summary>
internal static class SandboxProgram
{
    /// <summary>A fixed key so the README's curl lines work as written; the sandbox listens on loopback only.</summary>
    public const string AdminKey = "iw-sandbox-admin-key-for-loopback-only-0001";

    public static async Task<int> Main(string[] args)
    {
        var settings = new ConfigurationBuilder().AddCommandLine(args).Build();
        var sidecarUrl = settings["sidecar-url"] ?? "http://127.0.0.1:5080";
        var dataDirectory = Path.GetFullPath(settings["data"] ?? Path.Combine(Path.GetTempPath(), "interweave-sandbox"));
        using var stop = new CancellationTokenSource();
        // Ctrl+C, SIGTERM (kill, systemd, a container stop) and SIGQUIT all end the sandbox and its sidecar. The
        // simulators' hosts answer these signals by stopping only themselves, so the sandbox must hear them too.
        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            stop.Cancel();
        }
        using var onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        using var onQuit = PosixSignalRegistration.Create(PosixSignal.SIGQUIT, Stop);

        await using var intacct = await IntacctSimulator.StartAsync(new IntacctSimulatorOptions(), settings["intacct-url"] ?? "http://127.0.0.1:5081");
        await using var creatio = await CreatioSimulator.StartAsync(new CreatioSimulatorOptions(), settings["creatio-url"] ?? "http://127.0.0.1:5082");

        // A fresh embedded store each run, so the sandbox always starts from the same seeded state.
        if (Directory.Exists(dataDirectory)) Directory.Delete(dataDirectory, recursive: true);
        var sidecarDll = Path.Combine(AppContext.BaseDirectory, "Interweave.Sidecar.dll");
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false };
        start.ArgumentList.Add(sidecarDll);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add(sidecarUrl);
        start.Environment["Interweave__DataDirectory"] = dataDirectory;
        start.Environment["Interweave__BootstrapAdminKey"] = AdminKey;
        // The simulators run on loopback (or wherever --intacct-url/--creatio-url put them), which the sidecar calls only when listed.
        string[] allowed = ["127.0.0.1", "::1", "localhost", intacct.EndpointUrl.Host, creatio.BaseAddress.Host];
        foreach (var (host, i) in allowed.Distinct(StringComparer.OrdinalIgnoreCase).Select((h, i) => (h, i)))
            start.Environment[$"Interweave__AllowedRemoteHosts__{i}"] = host;
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        using var sidecar = Process.Start(start) ?? throw new InvalidOperationException("The sidecar did not start.");
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri(sidecarUrl) };
            http.DefaultRequestHeaders.Add("X-Api-Key", AdminKey);
            await WaitUntilReadyAsync(http, sidecar, stop.Token);

            var configureIntacct = await http.PutAsJsonAsync("/api/connections/intacct", new
            {
                companyId = intacct.Options.CompanyId,
                senderId = intacct.Options.SenderId,
                senderPassword = intacct.Options.SenderPassword,
                userId = intacct.Options.UserId,
                userPassword = intacct.Options.UserPassword,
                endpointUrl = intacct.EndpointUrl.ToString(),
            }, stop.Token);
            var configureCreatio = await http.PutAsJsonAsync("/api/connections/creatio", new
            {
                baseUrl = creatio.BaseAddress.ToString().TrimEnd('/'),
                authMode = "forms",
                userName = creatio.Options.UserName,
                password = creatio.Options.UserPassword,
            }, stop.Token);
            if (!configureIntacct.IsSuccessStatusCode || !configureCreatio.IsSuccessStatusCode)
            {
                await Console.Error.WriteLineAsync($"Configuring the connections failed: Intacct {(int)configureIntacct.StatusCode}, Creatio {(int)configureCreatio.StatusCode}.");
                return 1;
            }

            Console.WriteLine();
            Console.WriteLine("Interweave sandbox is running (Ctrl+C or SIGTERM stops it).");
            Console.WriteLine($"  sidecar:            {sidecarUrl}   (Swagger UI: {sidecarUrl}/swagger)");
            Console.WriteLine($"  admin console:      {sidecarUrl}/   (sign in with the admin key)");
            Console.WriteLine($"  admin API key:      {AdminKey}");
            Console.WriteLine($"  Intacct simulator:  {intacct.EndpointUrl}   (company {intacct.Options.CompanyId})");
            Console.WriteLine($"  Creatio simulator:  {creatio.BaseAddress}   (OData at {creatio.BaseAddress}0/odata/)");
            Console.WriteLine($"  Creatio sign-in:    {creatio.Options.UserName} / {creatio.Options.UserPassword}   (the simulator's own login, for a look at its data)");
            Console.WriteLine($"  embedded store:     {dataDirectory}");
            Console.WriteLine();
            Console.WriteLine($"  curl -H 'X-Api-Key: {AdminKey}' {sidecarUrl}/api/status");
            Console.WriteLine("SANDBOX READY");
            await sidecar.WaitForExitAsync(stop.Token);
            return sidecar.ExitCode;
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return 0;
        }
        finally
        {
            await StopSidecarAsync(sidecar);
        }
    }

    /// <summary>Asks the sidecar to stop as a service manager would (SIGTERM, so its runs end "interrupted"), then kills it if it does not.</summary>
    private static async Task StopSidecarAsync(Process sidecar)
    {
        if (sidecar.HasExited) return;
        if (!OperatingSystem.IsWindows() && SendSignal(sidecar.Id, UnixSigTerm) == 0)
        {
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            try
            {
                await sidecar.WaitForExitAsync(grace.Token);
                return;
            }
            catch (OperationCanceledException)
            {
                // Did not stop in time: killed below.
            }
        }

        sidecar.Kill(entireProcessTree: true);
        await sidecar.WaitForExitAsync(CancellationToken.None);
    }

    private const int UnixSigTerm = 15; // the same number on Linux and macOS

    // .NET can send a process only SIGKILL (Process.Kill); a graceful stop needs libc's kill(2).
    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendSignal(int processId, int signal);

    private static async Task WaitUntilReadyAsync(HttpClient http, Process sidecar, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            if (sidecar.HasExited) throw new InvalidOperationException($"The sidecar exited with {sidecar.ExitCode} before it was ready.");
            try
            {
                if ((await http.GetAsync(new Uri("/health/ready", UriKind.Relative), cancellationToken)).IsSuccessStatusCode) return;
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            if (DateTime.UtcNow > deadline) throw new TimeoutException("The sidecar was not ready within 60 seconds.");
            await Task.Delay(200, cancellationToken);
        }
    }
}
