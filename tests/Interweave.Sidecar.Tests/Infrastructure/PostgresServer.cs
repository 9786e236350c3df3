using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Interweave.Sidecar.Storage;
using Npgsql;

[assembly: AssemblyFixture(typeof(Interweave.Sidecar.Tests.Infrastructure.PostgresServer))]

namespace Interweave.Sidecar.Tests.Infrastructure;

/// <summary>
/// One PostgreSQL server for the whole test run. Uses INTERWEAVE_TEST_POSTGRES (a connection string to a
/// server whose user may create databases) when set; otherwise initdb's a throw-away cluster from Debian's
/// postgresql package into a temporary folder, starts it on a free loopback port, and removes it at the end.
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    private string? _clusterDirectory;
    private string? _pgCtl;
    private bool _runAsPostgres;
    private string? _adminConnectionString;
    private string? _unavailableReason;
    private int _databaseCounter;
    private readonly Lazy<Task<string>> _migratedTemplate;
    private readonly ConcurrentQueue<string> _finishedMigratedDatabases = new();

    public PostgresServer() => _migratedTemplate = new(CreateMigratedTemplateAsync);

    public async ValueTask InitializeAsync()
    {
        var configured = Environment.GetEnvironmentVariable("INTERWEAVE_TEST_POSTGRES");
        if (!string.IsNullOrWhiteSpace(configured))
        {
            _adminConnectionString = configured;
            return;
        }

        var binDirectory = FindPostgresBinDirectory();
        if (binDirectory is null)
        {
            _unavailableReason = "no PostgreSQL server binaries (install Debian's postgresql package, or set INTERWEAVE_TEST_POSTGRES)";
            return;
        }

        _pgCtl = Path.Combine(binDirectory, "pg_ctl");
        _runAsPostgres = Environment.UserName == "root";
        _clusterDirectory = Path.Combine(Path.GetTempPath(), $"interweave-pg-{Guid.NewGuid():n}");
        Directory.CreateDirectory(_clusterDirectory);
        var dataDirectory = Path.Combine(_clusterDirectory, "data");
        var port = FreePort();
        if (_runAsPostgres) await RunAsync("chown", ["-R", "postgres:postgres", _clusterDirectory], asPostgres: false);

        await RunAsync(Path.Combine(binDirectory, "initdb"), ["-D", dataDirectory, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"], _runAsPostgres);
        await RunAsync(_pgCtl,
            ["-D", dataDirectory, "-l", Path.Combine(_clusterDirectory, "server.log"), "-w", "-t", "60", "start",
             "-o", $"-p {port} -k {_clusterDirectory} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200"],
            _runAsPostgres);
        _adminConnectionString = $"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres;Pooling=false";
    }

    /// <summary>Skips the calling test where PostgreSQL cannot be had; under CI=true that is a failure instead.</summary>
    public void RequireAvailable()
    {
        if (_unavailableReason is null) return;
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
            throw new InvalidOperationException($"PostgreSQL is required when CI=true: {_unavailableReason}.");
        Assert.Skip($"PostgreSQL unavailable: {_unavailableReason}.");
    }

    /// <summary>
    /// A new database, empty or (when <paramref name="migrated"/>) copied from one the migrations were applied to
    /// once for the whole run, which spares each sidecar test the migrations; its connection string.
    /// </summary>
    public async Task<string> CreateDatabaseAsync(string hint, bool migrated = false)
    {
        RequireAvailable();
        if (!migrated) return await CreateDatabaseFromAsync(hint, template: null);
        while (_finishedMigratedDatabases.TryDequeue(out var finished))
        {
            if (await TryEmptyAsync(finished)) return finished;
        }

        return await CreateDatabaseFromAsync(hint, await _migratedTemplate.Value);
    }

    /// <summary>
    /// Takes back a migrated database its test has finished with, for a later test to have once it is emptied:
    /// emptying takes a tenth of the time copying the template does, and a store test spent most of its set-up there.
    /// </summary>
    public void GiveBack(string connectionString) => _finishedMigratedDatabases.Enqueue(connectionString);

    /// <summary>
    /// Empties every table but the migration history, numbering restarted, so the database is as the template made it.
    /// False (the database is then left alone) when something still holds a lock on it, such as a killed process's session.
    /// </summary>
    private static async Task<bool> TryEmptyAsync(string connectionString)
    {
        try
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("""
                set lock_timeout = '2s';
                do $$
                declare tables text;
                begin
                    select string_agg(format('%I.%I', schemaname, tablename), ', ') into tables
                    from pg_tables where schemaname = 'public' and tablename <> 'schema_migrations';
                    execute 'truncate ' || tables || ' restart identity cascade';
                end $$;
                reset lock_timeout;
                """, connection);
            await command.ExecuteNonQueryAsync();
            return true;
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.LockNotAvailable)
        {
            return false;
        }
    }

    private async Task<string> CreateDatabaseFromAsync(string hint, string? template)
    {
        var name = $"iw_{new string(hint.ToLowerInvariant().Where(char.IsAsciiLetterOrDigit).Take(30).ToArray())}_{Interlocked.Increment(ref _databaseCounter)}_{Guid.NewGuid().ToString("n")[..6]}";
        await using (var connection = new NpgsqlConnection(_adminConnectionString))
        {
            await connection.OpenAsync();
            var copy = template is null ? " strategy file_copy" : $" template \"{template}\" strategy file_copy";
            await using var command = new NpgsqlCommand($"create database \"{name}\"{copy}", connection);
            await command.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder(_adminConnectionString) { Database = name, Pooling = true }.ConnectionString;
    }

    private async Task<string> CreateMigratedTemplateAsync()
    {
        var connectionString = await CreateDatabaseFromAsync("template", template: null);
        // Unpooled: a template takes no copies while any session is connected to it.
        var unpooled = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false };
        await TestStore.MigrateAsync(StoreProvider.Postgres, unpooled.ConnectionString);
        return unpooled.Database!;
    }

    public async ValueTask DisposeAsync()
    {
        if (_clusterDirectory is null || _pgCtl is null) return;
        try
        {
            await RunAsync(_pgCtl, ["-D", Path.Combine(_clusterDirectory, "data"), "-m", "immediate", "-w", "stop"], _runAsPostgres);
        }
        finally
        {
            Directory.Delete(_clusterDirectory, recursive: true);
        }
    }

    private static string? FindPostgresBinDirectory()
    {
        const string root = "/usr/lib/postgresql";
        if (!Directory.Exists(root)) return null;
        return Directory.GetDirectories(root)
            .Select(d => Path.Combine(d, "bin"))
            .Where(d => File.Exists(Path.Combine(d, "initdb")) && File.Exists(Path.Combine(d, "pg_ctl")))
            .OrderByDescending(d => int.TryParse(Path.GetFileName(Path.GetDirectoryName(d)), out var v) ? v : 0)
            .FirstOrDefault();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task RunAsync(string program, string[] arguments, bool asPostgres)
    {
        var start = new ProcessStartInfo(asPostgres ? "runuser" : program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetTempPath(),
        };
        if (asPostgres)
        {
            foreach (var prefix in new[] { "-u", "postgres", "--", program }) start.ArgumentList.Add(prefix);
        }

        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {program}.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{Path.GetFileName(program)} failed ({process.ExitCode}): {await error}{await output}");
    }
}
