using System.Globalization;
using Interweave.Simulators.Intacct;

namespace Interweave.Simulators;

// Stand-alone simulators for the sandbox, benchmarks and the official SDK's test suite.
//   intacct --urls http://127.0.0.1:PORT [--sender-id X --sender-password X --company-id X --user-id X --user-password X]
//           [--latency-ms N --max-concurrency N --fault-rate 0..1 --lost-response-rate 0..1 --session-timeout SECONDS --seed demo|none]
//           [--custom-fields CUSTOMER.ACCOUNTID,VENDOR.ACCOUNTID,ITEM.PRODUCTID]
//   creatio --urls http://127.0.0.1:PORT [--latency-ms N --max-concurrency N --fault-rate 0..1 --session-timeout SECONDS
//           --session-request-limit N --seed demo|none --package FOLDER]
internal static class SimulatorsProgram
{
    private const string Usage = "usage: Interweave.Simulators intacct|creatio --urls http://127.0.0.1:PORT [options]   (see tools/README.md)";

    public static async Task<int> Main(string[] args)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help")
        {
            Console.WriteLine(Usage);
            return args.Length == 0 ? 2 : 0;
        }

        var settings = new ConfigurationBuilder().AddCommandLine(args[1..]).Build();
        try
        {
            switch (args[0])
            {
                case "intacct":
                    var options = new IntacctSimulatorOptions();
                    options.SenderId = settings["sender-id"] ?? options.SenderId;
                    options.SenderPassword = settings["sender-password"] ?? options.SenderPassword;
                    options.CompanyId = settings["company-id"] ?? options.CompanyId;
                    options.UserId = settings["user-id"] ?? options.UserId;
                    options.UserPassword = settings["user-password"] ?? options.UserPassword;
                    options.LatencyMs = Int(settings, "latency-ms", options.LatencyMs);
                    options.MaxConcurrency = Int(settings, "max-concurrency", options.MaxConcurrency);
                    options.FaultRate = Rate(settings, "fault-rate");
                    options.LostResponseRate = Rate(settings, "lost-response-rate");
                    options.SessionTimeout = TimeSpan.FromSeconds(Int(settings, "session-timeout", (int)options.SessionTimeout.TotalSeconds));
                    options.Seed = settings["seed"] ?? options.Seed;
                    if (options.Seed is not ("demo" or "none")) throw new ArgumentException("--seed must be demo or none");
                    if (settings["custom-fields"] is { } customFields)
                        options.CustomFields = [.. customFields.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];

                    await using (var simulator = await IntacctSimulator.StartAsync(options, settings["urls"] ?? "http://127.0.0.1:5081"))
                    {
                        Console.WriteLine($"Intacct XML gateway simulator listening on {simulator.EndpointUrl}");
                        Console.WriteLine($"  sender id/password: {options.SenderId} / {options.SenderPassword}");
                        Console.WriteLine($"  company: {options.CompanyId}  user id/password: {options.UserId} / {options.UserPassword}  entities: US01, UK01");
                        Console.WriteLine($"  seed: {options.Seed}  latency: {options.LatencyMs} ms  max concurrency: {options.MaxConcurrency}  fault rate: {options.FaultRate}  lost responses: {options.LostResponseRate}");
                        await simulator.WaitForShutdownAsync();
                    }

                    return 0;
                case "creatio":
                    var creatio = new Creatio.CreatioSimulatorOptions();
                    creatio.UserName = settings["user-name"] ?? creatio.UserName;
                    creatio.UserPassword = settings["user-password"] ?? creatio.UserPassword;
                    creatio.ClientId = settings["client-id"] ?? creatio.ClientId;
                    creatio.ClientSecret = settings["client-secret"] ?? creatio.ClientSecret;
                    creatio.SessionTimeout = TimeSpan.FromSeconds(Int(settings, "session-timeout", (int)creatio.SessionTimeout.TotalSeconds));
                    creatio.SessionRequestLimit = Int(settings, "session-request-limit", creatio.SessionRequestLimit);
                    creatio.LatencyMs = Int(settings, "latency-ms", creatio.LatencyMs);
                    creatio.MaxConcurrency = Int(settings, "max-concurrency", creatio.MaxConcurrency);
                    creatio.FaultRate = Rate(settings, "fault-rate");
                    creatio.Seed = settings["seed"] ?? creatio.Seed;
                    creatio.PackageFolder = settings["package"];
                    if (creatio.Seed is not ("demo" or "none")) throw new ArgumentException("--seed must be demo or none");

                    await using (var simulator = await Creatio.CreatioSimulator.StartAsync(creatio, settings["urls"] ?? "http://127.0.0.1:5082"))
                    {
                        Console.WriteLine($"Creatio simulator listening on {simulator.BaseAddress}");
                        Console.WriteLine($"  login: {creatio.UserName} / {creatio.UserPassword}  OAuth client: {creatio.ClientId} / {creatio.ClientSecret} (token at /connect/token)");
                        Console.WriteLine($"  OData: {simulator.BaseAddress}0/odata/  seed: {creatio.Seed}  session timeout: {creatio.SessionTimeout.TotalSeconds} s  latency: {creatio.LatencyMs} ms  fault rate: {creatio.FaultRate}");
                        await simulator.WaitForShutdownAsync();
                    }

                    return 0;
                default:
                    Console.Error.WriteLine(Usage);
                    return 2;
            }
        }
        catch (ArgumentException ex)
        {
            Console.Error.WriteLine($"error: {ex.Message}");
            return 2;
        }
    }

    private static int Int(IConfiguration settings, string key, int fallback) =>
        settings[key] is { } text
            ? int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= 0 ? value : throw new ArgumentException($"--{key} must be a whole number")
            : fallback;

    private static double Rate(IConfiguration settings, string key) =>
        settings[key] is { } text
            ? double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value is >= 0 and <= 1 ? value : throw new ArgumentException($"--{key} must be between 0 and 1")
            : 0;
}
