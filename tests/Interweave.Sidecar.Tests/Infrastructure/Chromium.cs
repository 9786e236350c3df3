using Microsoft.Playwright;

namespace Interweave.Sidecar.Tests.Infrastructure;

/// <summary>
/// Real headless Chromium for the console tests, driven by Playwright for .NET: Debian's chromium package
/// (/usr/bin/chromium, which .ci/run installs), or the executable named by INTERWEAVE_CHROMIUM. Playwright's own
/// browser download is never used. One browser per test class; each test gets its own context.
/// </summary>
public sealed class Chromium : IAsyncLifetime
{
    private IPlaywright? _playwright;
    private string? _unavailableReason;

    public IBrowser? Browser { get; private set; }

    public async ValueTask InitializeAsync()
    {
        var executable = Environment.GetEnvironmentVariable("INTERWEAVE_CHROMIUM") is { Length: > 0 } configured ? configured
            : new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser" }.FirstOrDefault(File.Exists);
        if (executable is null || !File.Exists(executable))
        {
            _unavailableReason = "no Chromium executable (install Debian's chromium package, or set INTERWEAVE_CHROMIUM)";
            return;
        }

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = executable, Headless = true });
    }

    /// <summary>Skips the calling test where Chromium cannot be had; under CI=true that is a failure instead.</summary>
    public IBrowser Require()
    {
        if (_unavailableReason is null) return Browser!;
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
            throw new InvalidOperationException($"Chromium is required when CI=true: {_unavailableReason}.");
        Assert.Skip($"Chromium unavailable: {_unavailableReason}.");
        return null!;
    }

    public async ValueTask DisposeAsync()
    {
        if (Browser is not null) await Browser.DisposeAsync();
        _playwright?.Dispose();
    }
}
