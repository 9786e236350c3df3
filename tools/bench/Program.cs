using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using Interweave.Simulators.Creatio;
using Interweave.Simulators.Intacct;

namespace Interweave.Bench;

/// <summary>
/// Sync throughput and the sidecar's memory, measured end to end: both simulators over loopback HTTP and the
/// sidecar as its own process on the embedded store. For each size it puts that many customers in Intacct, then
/// times the first pull (every customer becomes an account), a second pull (nothing changed) and the push the
/// other way (every account is the sidecar's own write coming back). Writes a Markdown table.
/// Usage: dotnet run -c Release --project tools/bench -- [--sizes 200,1000] [--latency-ms 0] [--out tools/bench/results.md]
/// </summary>
internal static class BenchProgram
{
    private const string AdminKey = "iw-bench-admin-key-loopback-only-000000001";

    public static async Task<int> Main(string[] args)
    {
        var settings = new ConfigurationBuilder().AddCommandLine(args).Build();
        var sizes = (settings["sizes"] ?? "200,1000").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        var latency = int.Parse(settings["latency-ms"] ?? "0", CultureInfo.InvariantCulture);
        // Relative to the repository, wherever the command runs from (it once landed in tools/bench/tools/bench/).
        var output = settings["out"] ?? Path.Combine(RepositoryRoot(), "tools", "bench", "results.md");

        var rows = new List<string>();
        foreach (var size in sizes)
        {
            Console.WriteLine($"{size} customers…");
            rows.AddRange(await MeasureAsync(size, latency));
        }

        var report = new StringBuilder()
            .AppendLine("# Interweave benchmarks")
            .AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"Measured {DateTime.UtcNow:yyyy-MM-dd} on {Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}; simulators answer with {latency} ms added latency (real Intacct and Creatio answer in hundreds of milliseconds, so real runs are bound by the remote calls counted here, not by the sidecar).")
            .AppendLine("Command: `dotnet run -c Release --project tools/bench -- --sizes " + string.Join(',', sizes) + $" --latency-ms {latency}`.")
            .AppendLine()
            .AppendLine("| customers | run | wall time (s) | records/s | created | updated | unchanged | failed | Intacct calls | Creatio calls | sidecar peak working set (MiB) |")
            .AppendLine("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var row in rows) report.AppendLine(row);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
        await File.WriteAllTextAsync(output, report.ToString());
        Console.WriteLine(report);
        Console.WriteLine($"Wrote {output}");
        return 0;
    }

    private static async Task<List<string>> MeasureAsync(int size, int latency)
    {
        await using var intacct = await IntacctSimulator.StartAsync(new IntacctSimulatorOptions { Seed = "none", LatencyMs = latency }, $"http://127.0.0.1:{FreePort()}");
        await using var creatio = await CreatioSimulator.StartAsync(new CreatioSimulatorOptions { LatencyMs = latency }, $"http://127.0.0.1:{FreePort()}");
        for (var i = 1; i <= size; i++)
            intacct.Gateway.Company.Create(intacct.Gateway.Company.Definitions["CUSTOMER"], new XElement("CUSTOMER",
                new XElement("CUSTOMERID", $"C-{i:000000}"), new XElement("NAME", $"Bench customer {i}"), new XElement("STATUS", "active"),
                new XElement("DISPLAYCONTACT", new XElement("PHONE1", $"+1 555 {i:0000000}"), new XElement("MAILADDRESS", new XElement("ADDRESS1", $"{i} Main Street")))));

        var data = Path.Combine(Path.GetTempPath(), "interweave-bench-" + Guid.NewGuid().ToString("N"));
        var url = $"http://127.0.0.1:{FreePort()}";
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Interweave.Sidecar.dll"));
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add(url);
        start.Environment["Interweave__DataDirectory"] = data;
        start.Environment["Interweave__BootstrapAdminKey"] = AdminKey;
        start.Environment["Interweave__Flows__SchedulerEnabled"] = "false";
        start.Environment["Serilog__MinimumLevel__Default"] = "Warning";
        using var sidecar = Process.Start(start)!;
        sidecar.OutputDataReceived += (_, _) => { };
        sidecar.ErrorDataReceived += (_, _) => { };
        sidecar.BeginOutputReadLine();
        sidecar.BeginErrorReadLine();
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromMinutes(30) };
            http.DefaultRequestHeaders.Add("X-Api-Key", AdminKey);
            await WaitUntilReadyAsync(http);
            Check(await http.PutAsJsonAsync("/api/connections/intacct", new
            {
                companyId = intacct.Options.CompanyId,
                senderId = intacct.Options.SenderId,
                senderPassword = intacct.Options.SenderPassword,
                userId = intacct.Options.UserId,
                userPassword = intacct.Options.UserPassword,
                endpointUrl = intacct.EndpointUrl.ToString(),
            }));
            Check(await http.PutAsJsonAsync("/api/connections/creatio", new
            {
                baseUrl = creatio.BaseAddress.ToString().TrimEnd('/'),
                authMode = "forms",
                userName = creatio.Options.UserName,
                password = creatio.Options.UserPassword,
            }));

            var rows = new List<string>();
            foreach (var (flow, label) in new[] { ("intacct-customers", "first pull (creates)"), ("intacct-customers", "second pull (unchanged)"), ("creatio-accounts", "push back (echo)") })
            {
                var intacctBefore = intacct.Gateway.FunctionCounts.Values.Sum();
                var creatioBefore = creatio.Calls.Values.Sum();
                var clock = Stopwatch.StartNew();
                var run = await RunAsync(http, flow);
                clock.Stop();
                sidecar.Refresh();
                var read = (int)run["readCount"]!;
                rows.Add(string.Create(CultureInfo.InvariantCulture,
                    $"| {size} | `{flow}` {label} | {clock.Elapsed.TotalSeconds:0.00} | {read / clock.Elapsed.TotalSeconds:0} | {run["createdCount"]} | {run["updatedCount"]} | {run["unchangedCount"]} | {run["failedCount"]} | {intacct.Gateway.FunctionCounts.Values.Sum() - intacctBefore} | {creatio.Calls.Values.Sum() - creatioBefore} | {sidecar.PeakWorkingSet64 / 1048576.0:0} |"));
                if ((string?)run["state"] != "succeeded") throw new InvalidOperationException($"{flow} ended {run["state"]}: {run["error"]}");
            }

            return rows;
        }
        finally
        {
            sidecar.Kill(entireProcessTree: true);
            await sidecar.WaitForExitAsync();
            try
            {
                Directory.Delete(data, recursive: true);
            }
            catch (IOException)
            {
                // A temp folder left behind is harmless.
            }
        }
    }

    private static async Task<JsonObject> RunAsync(HttpClient http, string flowId)
    {
        var started = await http.PostAsync(new Uri($"/api/flows/{flowId}/runs", UriKind.Relative), null);
        Check(started);
        var location = started.Headers.Location!;
        while (true)
        {
            var run = (await http.GetFromJsonAsync<JsonObject>(location))!;
            if ((string?)run["state"] != "running") return run;
            await Task.Delay(100);
        }
    }

    private static void Check(HttpResponseMessage response)
    {
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri} answered {(int)response.StatusCode}.");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task WaitUntilReadyAsync(HttpClient http)
    {
        for (var i = 0; i < 300; i++)
        {
            try
            {
                if ((await http.GetAsync(new Uri("/health/ready", UriKind.Relative))).IsSuccessStatusCode) return;
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(200);
        }

        throw new TimeoutException("The sidecar was not ready within 60 seconds.");
    }

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
            if (File.Exists(Path.Combine(folder.FullName, "Interweave.Plugin.sln"))) return folder.FullName;
        return Directory.GetCurrentDirectory();
    }
}
