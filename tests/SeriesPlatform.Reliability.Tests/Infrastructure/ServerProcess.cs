using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using Npgsql;

namespace SeriesPlatform.Reliability.Tests.Infrastructure;

/// <summary>
/// One real server process: <c>dotnet SeriesPlatform.Server.dll</c> (the copy this project's build
/// put next to the tests) on a free 127.0.0.1 port, with an admin key and webhooks allowed to
/// loopback. Can be killed with SIGKILL and started again on the same port.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private readonly ConcurrentQueue<string> _output = new();
    private readonly Dictionary<string, string> _settings;
    private Process? _process;

    public string Name { get; }
    public int Port { get; }
    public string AdminKey { get; }
    public Uri BaseAddress => new($"http://127.0.0.1:{Port}");
    public int Pid => _process?.Id ?? 0;
    public bool Running => _process is { HasExited: false };

    private ServerProcess(string name, string connectionString, string adminKey, IReadOnlyDictionary<string, string>? settings)
    {
        Name = name;
        Port = FreePort();
        AdminKey = adminKey;
        // Each process names itself in pg_stat_activity, so tests can tell whose session holds what.
        var cs = new NpgsqlConnectionStringBuilder(connectionString) { ApplicationName = name }.ConnectionString;
        _settings = new Dictionary<string, string>
        {
            ["SERIES_DATABASE"] = cs,
            ["SERIES_BOOTSTRAP_ADMIN_KEY"] = adminKey,
            ["ASPNETCORE_URLS"] = BaseAddress.ToString().TrimEnd('/'),
            ["SERIES_WEBHOOK_ALLOWED_HOSTS"] = "127.0.0.1",
            ["Logging__LogLevel__Default"] = "Warning",
            ["Logging__LogLevel__Microsoft.AspNetCore"] = "Error",
            ["DOTNET_gcServer"] = "0",
        };
        foreach (var (k, v) in settings ?? new Dictionary<string, string>()) _settings[k] = v;
    }

    public static async Task<ServerProcess> StartAsync(string name, string connectionString, string adminKey,
        IReadOnlyDictionary<string, string>? settings = null)
    {
        var server = new ServerProcess(name, connectionString, adminKey, settings);
        await server.StartAgainAsync();
        return server;
    }

    /// <summary>Starts the process (again, on the same port) and waits until /health/ready says 200.</summary>
    public async Task StartAgainAsync(TimeSpan? timeout = null)
    {
        var dll = ServerDll();
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        psi.ArgumentList.Add(dll);
        foreach (var (k, v) in _settings) psi.Environment[k] = v;
        var process = Process.Start(psi) ?? throw new InvalidOperationException("dotnet did not start");
        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;

        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        await Eventually.Until(async () =>
        {
            if (process.HasExited) throw new InvalidOperationException($"{Name} exited at start ({process.ExitCode}):\n{Output()}");
            try { return (await http.GetAsync("/health/ready")).StatusCode == HttpStatusCode.OK; }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException) { return false; }
        }, ok => ok, $"{Name} ready on {BaseAddress}", timeout ?? TimeSpan.FromSeconds(60), () => Output());
    }

    /// <summary>SIGKILL: no shutdown hooks, no flushing, connections torn down by the kernel.</summary>
    public async Task KillAsync()
    {
        if (_process is not { HasExited: false } p) return;
        p.Kill(entireProcessTree: true);
        await p.WaitForExitAsync();
    }

    /// <summary>VmHWM: the peak resident set size the kernel recorded for the process, in MB.</summary>
    public long PeakRssMegabytes()
    {
        if (_process is not { HasExited: false } p) return 0;
        var line = File.ReadLines($"/proc/{p.Id}/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) / 1024;
    }

    public HttpClient Client(TimeSpan timeout, int connections = 64)
    {
        var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = connections, PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
        {
            BaseAddress = BaseAddress, Timeout = timeout,
        };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
        return http;
    }

    /// <summary>The last lines the process wrote (for failure messages).</summary>
    public string Output() => string.Join('\n', _output.TakeLast(60));

    private void Keep(string? line)
    {
        if (line is null) return;
        _output.Enqueue(line);
        while (_output.Count > 400) _output.TryDequeue(out _);
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process?.Dispose();
    }

    public static string ServerDll()
    {
        var local = Path.Combine(AppContext.BaseDirectory, "SeriesPlatform.Server.dll");
        if (File.Exists(local) && File.Exists(Path.Combine(AppContext.BaseDirectory, "SeriesPlatform.Server.runtimeconfig.json"))) return local;
        throw new InvalidOperationException($"{local} (and its runtimeconfig.json) is missing: build this project (dotnet test builds it).");
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
