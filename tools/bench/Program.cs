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
/// Sync throughput and the sidecar's memory, measured end to end: both simulators over loopback HTTP with the
/// latency real systems have, and the sidecar as its own process on the embedded store. For each size it puts that
/// many customers in Intacct, then times the first pull (every customer becomes an account), a second pull (nothing
/// changed) and the push the other way (every account is the sidecar's own write coming back), and the official
/// Intacct SDK reading the same customers with its readByQuery/readMore loop. Writes a Markdown table.
/// Usage: dotnet run -c Release --project tools/bench -- [--sizes 1000,10000] [--intacct-latency-ms 100]
///        [--creatio-latency-ms 50] [--latency-ms N (both)] [--out tools/bench/results.md]
/// </summary>
internal static class BenchProgram
{
    private const string AdminKey = "iw-bench-admin-key-loopback-only-000000001";

    public static async Task<int> Main(string[] args)
    {
        var settings = new ConfigurationBuilder().AddCommandLine(args).Build();
        var sizes = (settings["sizes"] ?? "1000,10000").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        var both = settings["latency-ms"];
        var latency = new Latency(int.Parse(settings["intacct-latency-ms"] ?? both ?? "100", CultureInfo.InvariantCulture),
            int.Parse(settings["creatio-latency-ms"] ?? both ?? "50", CultureInfo.InvariantCulture));
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
            .AppendLine(CultureInfo.InvariantCulture, $"Measured {DateTime.UtcNow:yyyy-MM-dd} on {Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}. The simulators add {latency.IntacctMs} ms (Intacct) and {latency.CreatioMs} ms (Creatio) to every request.")
            .AppendLine(CultureInfo.InvariantCulture, $"Command: `dotnet run -c Release --project tools/bench -- --sizes {string.Join(',', sizes)} --intacct-latency-ms {latency.IntacctMs} --creatio-latency-ms {latency.CreatioMs}`.")
            .AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"Requests are HTTP round trips (a Creatio `$batch` or an Intacct request of many functions counts once; Creatio sign-ins count). The floor is the time the requests alone need: Σ requests × latency ÷ {Concurrency}, the Intacct concurrency the sidecar is configured with by default (`Interweave:Intacct:MaxConcurrency`), taken for Creatio too. \"× floor\" is the wall time over that floor. Peak memory is the sidecar process's peak working set.")
            .AppendLine()
            .AppendLine("| customers | run | wall time (s) | records/s | created | updated | unchanged | failed | Intacct requests | Creatio requests | requests per 1,000 records | floor (s) | × floor | sidecar peak memory (MiB) |")
            .AppendLine("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var row in rows) report.AppendLine(row);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
        await File.WriteAllTextAsync(output, report.ToString());
        Console.WriteLine(report);
        Console.WriteLine($"Wrote {output}");
        return 0;
    }

    /// <summary>The Intacct concurrency the sidecar is configured with by default, which the floor divides by.</summary>
    private const int Concurrency = 2;

    private sealed record Latency(int IntacctMs, int CreatioMs);

    private static async Task<List<string>> MeasureAsync(int size, Latency latency)
    {
        await using var intacct = await IntacctSimulator.StartAsync(new IntacctSimulatorOptions { Seed = "none", LatencyMs = latency.IntacctMs }, $"http://127.0.0.1:{FreePort()}");
        await using var creatio = await CreatioSimulator.StartAsync(new CreatioSimulatorOptions { LatencyMs = latency.CreatioMs }, $"http://127.0.0.1:{FreePort()}");
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
        start.Environment["Interweave__AllowedRemoteHosts__0"] = "127.0.0.1"; // the simulators, which the default list does not allow
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
                var intacctBefore = intacct.RequestsReceived;
                var creatioBefore = creatio.RequestsReceived + creatio.Logins;
                var clock = Stopwatch.StartNew();
                var run = await RunAsync(http, flow);
                clock.Stop();
                sidecar.Refresh();
                if ((string?)run["state"] != "succeeded") throw new InvalidOperationException($"{flow} ended {run["state"]}: {run["error"]}");
                rows.Add(Row(size, $"`{flow}` {label}", clock.Elapsed, (int)run["readCount"]!, $"{run["createdCount"]} | {run["updatedCount"]} | {run["unchangedCount"]} | {run["failedCount"]}",
                    intacct.RequestsReceived - intacctBefore, creatio.RequestsReceived + creatio.Logins - creatioBefore, latency, sidecar.PeakWorkingSet64));
            }

            var sdkBefore = intacct.RequestsReceived;
            var sdk = await SdkPullAsync(intacct);
            rows.Add(Row(size, "official Intacct SDK readByQuery/readMore, read only", sdk.Elapsed, sdk.Records, "— | — | — | —", intacct.RequestsReceived - sdkBefore, 0, latency, null));
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

    private static string Row(int size, string run, TimeSpan wall, int read, string outcomes, int intacctRequests, int creatioRequests, Latency latency, long? peak)
    {
        var floor = ((intacctRequests * latency.IntacctMs) + (creatioRequests * latency.CreatioMs)) / 1000.0 / Concurrency;
        return string.Create(CultureInfo.InvariantCulture,
            $"| {size} | {run} | {wall.TotalSeconds:0.00} | {read / wall.TotalSeconds:0} | {outcomes} | {intacctRequests} | {creatioRequests} | {(intacctRequests + creatioRequests) * 1000.0 / Math.Max(1, read):0.0} | {floor:0.00} | {(floor > 0 ? (wall.TotalSeconds / floor).ToString("0.0", CultureInfo.InvariantCulture) : "—")} | {(peak is { } p ? (p / 1048576.0).ToString("0", CultureInfo.InvariantCulture) : "—")} |");
    }

    /// <summary>The official SDK's readByQuery/readMore loop over every customer (tools/bench/sdk-pull.js, after `npm ci` in tests/intacct-sdk).</summary>
    private static async Task<(int Records, TimeSpan Elapsed)> SdkPullAsync(IntacctSimulator intacct)
    {
        var start = new ProcessStartInfo("node") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(RepositoryRoot(), "tools", "bench", "sdk-pull.js"));
        foreach (var argument in new[] { intacct.EndpointUrl.ToString(), intacct.Options.SenderId, intacct.Options.SenderPassword, intacct.Options.CompanyId, intacct.Options.UserId, intacct.Options.UserPassword })
            start.ArgumentList.Add(argument);
        using var node = Process.Start(start)!;
        var output = await node.StandardOutput.ReadToEndAsync();
        var error = await node.StandardError.ReadToEndAsync();
        await node.WaitForExitAsync();
        if (node.ExitCode != 0) throw new InvalidOperationException($"The SDK pull failed (run npm ci in tests/intacct-sdk first):\n{error}");
        var result = JsonNode.Parse(output)!;
        return ((int)result["records"]!, TimeSpan.FromSeconds((double)result["seconds"]!));
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
