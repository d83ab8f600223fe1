using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace SeriesPlatform.Testing;

/// <summary>
/// The PostgreSQL server the tests use: <c>SERIES_TEST_DATABASE</c> when set, otherwise a throwaway
/// cluster started once per test process from the machine's binaries (initdb + pg_ctl on a free
/// loopback port, as the postgres user when running as root) and removed at exit.
/// </summary>
public static class TestPostgres
{
    private static readonly Lazy<Task<string>> Server = new(StartAsync);
    private static string? _dataDir;
    private static string? _binDir;

    /// <summary>An admin connection string to the server (database "postgres").</summary>
    public static Task<string> ServerConnectionStringAsync() => Server.Value;

    /// <summary>A fresh, empty database for one test class.</summary>
    public static async Task<string> CreateDatabaseAsync(string prefix)
    {
        var server = await Server.Value;
        var name = $"{new string(prefix.ToLowerInvariant().Where(char.IsAsciiLetterOrDigit).Take(20).ToArray())}_{Guid.NewGuid():N}";
        await using (var connection = new NpgsqlConnection(server))
        {
            await connection.OpenAsync();
            await using var cmd = new NpgsqlCommand($"create database \"{name}\"", connection);
            await cmd.ExecuteNonQueryAsync();
        }
        return new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString;
    }

    /// <summary>Stops the cluster's server process abruptly (fault tests) or starts it again.</summary>
    public static async Task StopServerAsync() => await PgCtl($"stop -D \"{_dataDir}\" -m immediate -w");
    public static async Task StartServerAsync() => await PgCtl($"start -D \"{_dataDir}\" -l \"{_dataDir}/server.log\" -w -t 60");

    private static async Task<string> StartAsync()
    {
        var configured = Environment.GetEnvironmentVariable("SERIES_TEST_DATABASE");
        if (!string.IsNullOrWhiteSpace(configured)) return configured;

        _binDir = FindBinDir();
        RemoveStaleClusters();
        var port = FreePort();
        _dataDir = Path.Combine(Path.GetTempPath(), $"series-test-pg-{Environment.ProcessId}-{port}");
        Directory.CreateDirectory(_dataDir);
        if (IsRoot) await Run("chown", $"postgres:postgres \"{_dataDir}\"");
        await Run(Path.Combine(_binDir, "initdb"), $"-D \"{_dataDir}\" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 --no-sync", asPostgres: true);
        // A test cluster trades durability for speed; benchmarks and ops/run use durable settings.
        await File.AppendAllTextAsync(Path.Combine(_dataDir, "postgresql.conf"), $"""

            listen_addresses = '127.0.0.1'
            port = {port}
            unix_socket_directories = '{_dataDir}'
            max_connections = 400
            fsync = off
            synchronous_commit = off
            full_page_writes = off
            shared_buffers = 128MB
            """);
        await PgCtl($"start -D \"{_dataDir}\" -l \"{_dataDir}/server.log\" -w -t 60");
        AppDomain.CurrentDomain.ProcessExit += (_, _) => StopAndRemove();
        return $"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres;Pooling=true;Maximum Pool Size=200;Timeout=30;Command Timeout=120";
    }

    private static void StopAndRemove()
    {
        if (_dataDir is null || _binDir is null) return;
        try
        {
            RunSync(Path.Combine(_binDir, "pg_ctl"), $"stop -D \"{_dataDir}\" -m immediate -w", asPostgres: true);
            Directory.Delete(_dataDir, recursive: true);
        }
        catch { /* best effort at exit */ }
    }

    /// <summary>Clusters left behind by test processes that were killed.</summary>
    private static void RemoveStaleClusters()
    {
        foreach (var dir in Directory.GetDirectories(Path.GetTempPath(), "series-test-pg-*"))
        {
            var parts = Path.GetFileName(dir).Split('-');
            if (parts.Length < 4 || !int.TryParse(parts[3], out var pid)) continue;
            if (ProcessAlive(pid)) continue;
            try
            {
                RunSync(Path.Combine(_binDir!, "pg_ctl"), $"stop -D \"{dir}\" -m immediate -w", asPostgres: true);
                Directory.Delete(dir, recursive: true);
            }
            catch { /* another run's; leave it */ }
        }
    }

    private static bool ProcessAlive(int pid)
    {
        try { return !Process.GetProcessById(pid).HasExited; }
        catch (ArgumentException) { return false; }
    }

    private static string FindBinDir()
    {
        foreach (var dir in Directory.Exists("/usr/lib/postgresql")
                     ? Directory.GetDirectories("/usr/lib/postgresql").OrderByDescending(d => int.TryParse(Path.GetFileName(d), out var v) ? v : 0).ToArray()
                     : [])
            if (File.Exists(Path.Combine(dir, "bin", "initdb"))) return Path.Combine(dir, "bin");
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':'))
            if (File.Exists(Path.Combine(dir, "initdb"))) return dir;
        throw new InvalidOperationException(
            "No PostgreSQL server binaries (initdb) found. Install them (ops/test does: apt-get install postgresql) or set SERIES_TEST_DATABASE.");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static bool IsRoot => Environment.UserName == "root";

    private static Task PgCtl(string args) => Run(Path.Combine(_binDir!, "pg_ctl"), args, asPostgres: true);

    private static Task Run(string file, string args, bool asPostgres = false) => Task.Run(() => RunSync(file, args, asPostgres));

    private static void RunSync(string file, string args, bool asPostgres)
    {
        var (exe, arguments) = asPostgres && IsRoot ? ("runuser", $"-u postgres -- \"{file}\" {args}") : (file, args);
        var psi = new ProcessStartInfo(exe, arguments) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.GetTempPath() };
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{file} {args} failed ({process.ExitCode}): {stdout.Result}{stderr.Result}");
    }
}
