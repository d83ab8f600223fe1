using Npgsql;
using SeriesPlatform.Benchmarks;

// ops/bench runs this: every benchmark next to its raw-PostgreSQL baseline, measured in the same run.
//   [name ...|all] [--seconds N] [--events N] [--client lean|httpclient] [--report path]; no name = all.
// Names are the arguments that are neither options nor their values ("--seconds 5" is not a benchmark).
var names = args.Where((a, i) => !a.StartsWith("--") && (i == 0 || !args[i - 1].StartsWith("--"))).ToList();
var seconds = Options.Int(args, "--seconds", 5);
var reportPath = Options.String(args, "--report", null);
var connectionString = Environment.GetEnvironmentVariable("SERIES_DATABASE")
    ?? throw new InvalidOperationException("SERIES_DATABASE is not set (ops/bench sets it).");

Report report;
await using (var probe = NpgsqlDataSource.Create(connectionString))
    report = new Report(await Machine.DescribeAsync(new BenchDatabase(connectionString, probe)), $"ops/bench {string.Join(' ', args.Where(a => a != "--report" && a != reportPath))}".Trim());
// Each benchmark gets a fresh database (when the role may create one), dropped afterwards.
var known = new Dictionary<string, Func<BenchDatabase, Task>>
{
    ["append"] = database => AppendBenchmark.RunAsync(database, TimeSpan.FromSeconds(seconds), report),
    ["feed"] = database => FeedBenchmark.RunAsync(database, TimeSpan.FromSeconds(seconds), report),
    ["projections"] = database => ProjectionBenchmark.RunAsync(database, Options.Int(args, "--events", 1_000_000), report),
    ["commands"] = database => CommandsBenchmark.RunAsync(database, TimeSpan.FromSeconds(Math.Max(seconds, 10)), report,
        httpClient: Options.String(args, "--client", "lean") == "httpclient"),
};
var selected = names.Count == 0 || names.Contains("all") ? known.Keys.ToList() : names;
if (selected.FirstOrDefault(n => !known.ContainsKey(n)) is { } unknown)
{
    Console.Error.WriteLine($"unknown benchmark '{unknown}' (known: {string.Join(", ", known.Keys)}, all)");
    return 2;
}
foreach (var name in selected)
{
    Console.WriteLine($"-- {name} ({DateTime.Now:HH:mm:ss})");
    var database = await BenchDatabase.CreateAsync(connectionString, name);
    try { await known[name](database); }
    finally { await database.DropAsync(); }
}
report.Print();
if (reportPath is not null) await report.WriteAsync(reportPath);
NpgsqlConnection.ClearAllPools();
return 0;

static class Options
{
    public static int Int(string[] args, string name, int fallback) => String(args, name, null) is { } v ? int.Parse(v) : fallback;
    public static string? String(string[] args, string name, string? fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
    }
}
