using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace Interweave.Sidecar.Tests.Infrastructure;

/// <summary>The sidecar as an operator runs it: a separate process, configured only by environment and arguments.</summary>
public sealed partial class SidecarProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly StringBuilder _error = new();
    private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private SidecarProcess(Process process)
    {
        _process = process;
    }

    public string Output { get { lock (_output) return _output.ToString(); } }

    public string Error { get { lock (_error) return _error.ToString(); } }

    public int? ExitCode => _process.HasExited ? _process.ExitCode : null;

    public static SidecarProcess Start(string workingDirectory, IDictionary<string, string?> environment, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        start.ArgumentList.Add(typeof(Program).Assembly.Location);
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        // Nothing from the test host's own environment may configure the child.
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("Interweave", StringComparison.OrdinalIgnoreCase) || k.StartsWith("ConnectionStrings", StringComparison.OrdinalIgnoreCase) || k.StartsWith("ASPNETCORE_", StringComparison.Ordinal)).ToList())
            start.Environment.Remove(key);
        // The simulators and test servers live on loopback, which Interweave:AllowedRemoteHosts refuses unless listed.
        for (var i = 0; i < SidecarFactory.LoopbackHosts.Length; i++) start.Environment[$"Interweave__AllowedRemoteHosts__{i}"] = SidecarFactory.LoopbackHosts[i];
        foreach (var (key, value) in environment) start.Environment[key] = value;

        var sidecar = new SidecarProcess(new Process { StartInfo = start, EnableRaisingEvents = true });
        sidecar._process.OutputDataReceived += (_, e) => sidecar.OnOutput(e.Data);
        sidecar._process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (sidecar._error) sidecar._error.AppendLine(e.Data);
        };
        sidecar._process.Exited += (_, _) => sidecar._listening.TrySetException(new InvalidOperationException("The sidecar exited before listening."));
        sidecar._process.Start();
        sidecar._process.BeginOutputReadLine();
        sidecar._process.BeginErrorReadLine();
        return sidecar;
    }

    public async Task<Uri> WaitUntilListeningAsync(TimeSpan timeout)
    {
        try
        {
            return await _listening.Task.WaitAsync(timeout);
        }
        catch (Exception ex) when (ex is TimeoutException or InvalidOperationException)
        {
            throw new InvalidOperationException($"The sidecar did not start listening: {ex.Message}\nstdout:\n{Output}\nstderr:\n{Error}", ex);
        }
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        await _process.WaitForExitAsync().WaitAsync(timeout);
        _process.WaitForExit(); // drains the redirected streams
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private void OnOutput(string? line)
    {
        if (line is null) return;
        lock (_output) _output.AppendLine(line);
        var match = ListeningLine().Match(line);
        if (match.Success) _listening.TrySetResult(new Uri(match.Groups[1].Value));
    }

    [GeneratedRegex(@"Now listening on: \\?""?(http://[^""\s\\]+)")]
    private static partial Regex ListeningLine();
}
