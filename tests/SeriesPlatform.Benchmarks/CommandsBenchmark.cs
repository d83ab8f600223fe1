using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Npgsql;

namespace SeriesPlatform.Benchmarks;

/// <summary>
/// ScheduleTalk and RegisterAttendee over HTTP against the real server process, 16 concurrent
/// clients: commands/s, p50/p99 latency and the server's peak RSS, next to the raw single-row
/// INSERT rate of the same database with the same concurrency, in the same run.
/// </summary>
public static class CommandsBenchmark
{
    private const int Clients = 16;
    private const int Rounds = 3;

    /// <param name="httpClient">Load with HttpClient instead of <see cref="LeanHttpClient"/> (same requests, more client CPU).</param>
    public static async Task RunAsync(BenchDatabase db, TimeSpan duration, Report report, bool httpClient = false)
    {
        var serverDll = Path.Combine(RepoRoot(), "src", "SeriesPlatform.Server", "bin", "Release", "net10.0", "SeriesPlatform.Server.dll");
        if (!File.Exists(serverDll)) throw new InvalidOperationException($"{serverDll} is missing: ops/bench builds it.");
        var port = FreePort();
        var key = "sp_bench_" + Guid.NewGuid().ToString("N");
        using var server = StartServer(serverDll, db.ConnectionString, key, port);
        try
        {
            using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = Clients * 2 }) { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
            await WaitReady(http, server);
            var editions = await Setup(http);

            // Warm-up: connections, prepared statements, and tiered JIT, which keeps recompiling the
            // hot paths (instrumented, then optimized with profile data) for several seconds under load.
            var clients = ConnectClients(http, port, key, httpClient);
            await Load(clients, editions, TimeSpan.FromSeconds(10));
            await CatchUp(http);
            await db.ExecuteAsync("drop table if exists bench_raw_commands; create table bench_raw_commands (like events including all)");
            await RawInserts(db, TimeSpan.FromSeconds(2)); // the driver's code paths warm

            // Commands and the raw baseline take turns in slices, so that both meet the same moments
            // of this shared VM: measured one after the other, the baseline alone moved 8,200-10,800
            // rows/s from run to run, and the ratio with it.
            var slice = duration / Rounds;
            long count = 0, errors = 0, rawCount = 0;
            var latencies = new List<double>();
            TimeSpan commandTime = TimeSpan.Zero, rawTime = TimeSpan.Zero, serverCpu = TimeSpan.Zero, clientCpu = TimeSpan.Zero;
            double machineBusy = 0;
            long behind = 0;
            var caughtUp = TimeSpan.Zero;
            for (var round = 0; round < Rounds; round++)
            {
                server.Refresh();
                var (cpuBefore, clientBefore, machineBefore) = (server.TotalProcessorTime, Process.GetCurrentProcess().TotalProcessorTime, MachineBusyMilliseconds());
                var load = await Load(clients, editions, slice);
                // The projections the commands feed run behind them: a slice lasts until they have
                // taken in every event, so work left for later neither counts as throughput nor
                // takes the baseline's CPU.
                var (left, took) = await CatchUp(http);
                server.Refresh();
                serverCpu += server.TotalProcessorTime - cpuBefore;
                clientCpu += Process.GetCurrentProcess().TotalProcessorTime - clientBefore;
                machineBusy += MachineBusyMilliseconds() - machineBefore;
                (count, errors, commandTime) = (count + load.Count, errors + load.Errors, commandTime + slice + took);
                latencies.AddRange(load.Latencies);
                (behind, caughtUp) = (Math.Max(behind, left), caughtUp + took);

                var (inserted, elapsed) = await RawInserts(db, slice);
                (rawCount, rawTime) = (rawCount + inserted, rawTime + elapsed);
            }
            await db.ExecuteAsync("drop table bench_raw_commands");
            var commandsPerSecond = count / commandTime.TotalSeconds;
            var raw = rawCount / rawTime.TotalSeconds;
            var cpuPerCommand = serverCpu.TotalMilliseconds / Math.Max(1, count);
            var clientPerCommand = clientCpu.TotalMilliseconds / Math.Max(1, count);
            var restPerCommand = machineBusy / Math.Max(1, count) - cpuPerCommand - clientPerCommand;
            server.Refresh();
            var peakRss = PeakRssMegabytes(server.Id);

            latencies.Sort();
            report.Section("commands", "case", "value", "target");
            report.Row($"ScheduleTalk + RegisterAttendee over HTTP, 16 clients ({(httpClient ? "HttpClient" : "lean HTTP/1.1 client")})", $"{commandsPerSecond:N0} commands/s", "");
            report.Row("raw single-row INSERT, 16 connections", $"{raw:N0} rows/s", "");
            report.Row("ratio", (commandsPerSecond / raw).ToString("0.00"), ">= 0.5");
            report.Row("projections behind at the end of a slice", $"at most {behind:N0} events (summed over the projections); catching up took {caughtUp.TotalSeconds:0.00} s in all, counted in the commands' time", "");
            report.Row("latency p50", $"{Percentile(latencies, 0.50):0.0} ms", "");
            report.Row("latency p99", $"{Percentile(latencies, 0.99):0.0} ms", "<= 50 ms");
            report.Row("server peak RSS", $"{peakRss:N0} MB", "<= 300 MB");
            report.Row("server CPU per command", $"{cpuPerCommand:0.00} ms", "");
            report.Row("load client CPU per command", $"{clientPerCommand:0.00} ms", "");
            report.Row("rest of the machine (PostgreSQL) CPU per command", $"{restPerCommand:0.00} ms", "");
            report.Row("non-2xx answers", errors.ToString(), "0");
            report.Note("Each command: HTTP + JSON, auth, the edition's in-process turn, state from the in-process cache, pure decision, then one group commit " +
                "with the other clients' commands (append checked against the version read, catalog counts, snapshot every 25 events or a third of the stream, " +
                $"the person's key guard for a registration). Measured after a 10 s warm-up at the same load, in {Rounds} slices taking turns with the " +
                "baseline's. Server, PostgreSQL and client share the machine; " +
                "the load comes from a minimal keep-alive HTTP/1.1 client, as wrk would send it (`--client httpclient` sends the same requests with HttpClient).");
        }
        finally
        {
            if (!server.HasExited) server.Kill(entireProcessTree: true);
        }
    }

    private static async Task<List<string>> Setup(HttpClient http)
    {
        var slug = "bench-" + Guid.NewGuid().ToString("N")[..8];
        (await http.PostAsJsonAsync("/api/series", new { slug, name = "Benchmark series" })).EnsureSuccessStatusCode();
        var editions = new List<string>();
        for (var i = 0; i < Clients; i++)
        {
            var response = await http.PostAsJsonAsync($"/api/series/{slug}/editions",
                new { title = $"Edition {i}", startDate = "2030-06-03", endDate = "2030-06-07", timeZone = "Europe/Rome", format = "inPerson" });
            response.EnsureSuccessStatusCode();
            var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
            (await http.PostAsync($"/api/editions/{id}/registration/open", null)).EnsureSuccessStatusCode();
            editions.Add(id);
        }
        return editions;
    }

    /// <summary>How many events the historian projections had still to take in, and how long they took to.</summary>
    private static async Task<(long Behind, TimeSpan CaughtUp)> CatchUp(HttpClient http)
    {
        var stopwatch = Stopwatch.StartNew();
        long first = -1;
        while (true)
        {
            var status = await http.GetFromJsonAsync<JsonElement>("/api/admin/projections");
            var behind = status.EnumerateArray().Sum(p => p.GetProperty("eventsBehind").GetInt64());
            if (first < 0) first = behind;
            if (behind == 0) return (first, stopwatch.Elapsed);
            if (stopwatch.Elapsed > TimeSpan.FromMinutes(2)) throw new TimeoutException($"The projections are still {behind} events behind.");
            await Task.Delay(20);
        }
    }

    /// <summary>Sends a POST with a JSON body and returns the status code once the response is read.</summary>
    private delegate Task<int> Post(string path, byte[] body);

    private static Post[] ConnectClients(HttpClient http, int port, string key, bool httpClient)
    {
        if (httpClient)
            return Enumerable.Repeat<Post>(async (path, body) =>
            {
                using var response = await http.PostAsync(path, new ByteArrayContent(body) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } });
                return (int)response.StatusCode;
            }, Clients).ToArray();
        var clients = new Post[Clients];
        for (var i = 0; i < Clients; i++)
        {
            var client = LeanHttpClient.Connect(port, key);
            clients[i] = (path, body) => Task.FromResult(client.Post(path, body));
        }
        return clients;
    }

    private static int _sequence;

    private static async Task<(long Count, List<double> Latencies, long Errors)> Load(Post[] clients, List<string> editions, TimeSpan duration)
    {
        var latencies = new List<double>[Clients];
        long count = 0, errors = 0;
        var stopwatch = Stopwatch.StartNew();
        // A thread per client: the lean client's calls block on it (HttpClient's continue on the thread pool).
        await Task.WhenAll(Enumerable.Range(0, Clients).Select(c => Task.Factory.StartNew(async () =>
        {
            latencies[c] = [];
            var edition = editions[c];
            var post = clients[c];
            for (var n = 0; stopwatch.Elapsed < duration; n++)
            {
                var i = Interlocked.Increment(ref _sequence);
                var started = Stopwatch.GetTimestamp();
                var status = n % 2 == 0
                    // Every talk in its own room, so none overlap; the edition's agenda grows as in a real import.
                    ? await post($"/api/editions/{edition}/talks", JsonSerializer.SerializeToUtf8Bytes(new
                    {
                        title = $"Talk {i}", speakers = new[] { new { name = $"Speaker {i}", affiliation = "Somewhere" } },
                        start = "2030-06-04T09:15", durationMinutes = 45, room = $"room {i}", kind = "contributed",
                    }))
                    : await post($"/api/editions/{edition}/registrations", JsonSerializer.SerializeToUtf8Bytes(new { name = $"Attendee {i}", email = $"a{i}@example.org" }));
                latencies[c].Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                if (status is >= 200 and < 300) Interlocked.Increment(ref count); else Interlocked.Increment(ref errors);
            }
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap()));
        return (count, latencies.SelectMany(l => l).ToList(), errors);
    }

    private static async Task<(long Count, TimeSpan Elapsed)> RawInserts(BenchDatabase db, TimeSpan duration)
    {
        var run = Guid.NewGuid().ToString("N")[..8]; // streams of their own, for the warm-up and the measured run
        long count = 0;
        var stopwatch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, Clients).Select(c => Task.Run(async () =>
        {
            for (var n = 1; stopwatch.Elapsed < duration; n++)
            {
                await using var connection = await db.DataSource.OpenConnectionAsync();
                await using var cmd = new NpgsqlCommand(
                    "insert into bench_raw_commands (stream_id, stream_version, event_id, type, data) values ($1, $2, $3, 'talk.scheduled', $4::jsonb)", connection);
                cmd.Parameters.AddWithValue($"raw-{run}-{c}");
                cmd.Parameters.AddWithValue((long)n);
                cmd.Parameters.AddWithValue(Guid.CreateVersion7());
                cmd.Parameters.AddWithValue($$"""{"title":"Talk {{n}}","speakers":[{"name":"Speaker {{n}}","affiliation":"Somewhere"}],"room":"room {{n}}"}""");
                await cmd.ExecuteNonQueryAsync();
                Interlocked.Increment(ref count);
            }
        })));
        return (count, stopwatch.Elapsed);
    }

    private static Process StartServer(string dll, string connectionString, string key, int port)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(dll);
        psi.Environment["SERIES_DATABASE"] = connectionString;
        psi.Environment["SERIES_BOOTSTRAP_ADMIN_KEY"] = key;
        psi.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        psi.Environment["Logging__LogLevel__Default"] = "Warning";
        // Capacity is measured here, not the per-key rate limit (which would cap one key at 200/s).
        psi.Environment["SERIES_RATE_LIMIT"] = "1000000";
        var process = Process.Start(psi)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine("server: " + e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task WaitReady(HttpClient http, Process server)
    {
        for (var i = 0; i < 120; i++)
        {
            if (server.HasExited) throw new InvalidOperationException("The server exited at start.");
            try { if ((await http.GetAsync("/health/ready")).StatusCode == HttpStatusCode.OK) return; } catch (HttpRequestException) { }
            await Task.Delay(250);
        }
        throw new TimeoutException("The server did not become ready.");
    }

    /// <summary>CPU time every core of the machine spent busy so far (/proc/stat: all but idle and iowait).</summary>
    private static double MachineBusyMilliseconds()
    {
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(long.Parse).ToArray();
        var busyTicks = fields.Sum() - fields[3] - fields[4];
        return busyTicks * 1000.0 / 100; // USER_HZ is 100 on Linux
    }

    /// <summary>VmHWM: the peak resident set size the kernel recorded for the process.</summary>
    private static long PeakRssMegabytes(int pid) =>
        File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmHWM:")).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1] is var kb
            ? long.Parse(kb) / 1024 : 0;

    private static double Percentile(List<double> sorted, double p) => sorted.Count == 0 ? 0 : sorted[(int)Math.Min(sorted.Count - 1, Math.Floor(p * sorted.Count))];

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "SeriesPlatform.sln"))) return dir.FullName;
        throw new InvalidOperationException("repository root not found");
    }
}
