using System.Text;
using Npgsql;

namespace SeriesPlatform.Reliability.Tests.Infrastructure;

/// <summary>
/// Each scenario writes its figures as a section of a markdown file: always
/// bin/.../artifacts/reliability.md, and docs/reliability.md (or any path) when
/// SERIES_RELIABILITY_REPORT names it (ops/reliability sets it). Sections are replaced by name.
/// </summary>
public static class ReliabilityReport
{
    private static readonly SemaphoreSlim Gate = new(1, 1);

    public static async Task WriteAsync(string connectionString, string scenario, string title, IEnumerable<(string Figure, string Value)> rows, string? note = null)
    {
        var body = new StringBuilder();
        body.AppendLine($"## {title}").AppendLine();
        body.AppendLine($"Measured {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC on {await MachineAsync(connectionString)}.  ");
        body.AppendLine($"Reproduce: `ops/reliability` (or `ops/test --filter \"Category=Reliability&Scenario={scenario}\"`)").AppendLine();
        body.AppendLine("| figure | value |").AppendLine("|---|---|");
        foreach (var (figure, value) in rows) body.AppendLine($"| {figure} | {value} |");
        if (note is not null) body.AppendLine().AppendLine(note);
        var section = $"<!-- reliability:{scenario} -->\n{body.ToString().TrimEnd()}\n<!-- /reliability:{scenario} -->";

        await Gate.WaitAsync();
        try
        {
            var artifacts = Path.Combine(AppContext.BaseDirectory, "artifacts");
            Directory.CreateDirectory(artifacts);
            await ReplaceAsync(Path.Combine(artifacts, "reliability.md"), scenario, section);
            if (Environment.GetEnvironmentVariable("SERIES_RELIABILITY_REPORT") is { Length: > 0 } doc) await ReplaceAsync(doc, scenario, section);
        }
        finally { Gate.Release(); }
    }

    private static async Task ReplaceAsync(string path, string scenario, string section)
    {
        var text = File.Exists(path) ? await File.ReadAllTextAsync(path) : "# Reliability\n";
        var start = $"<!-- reliability:{scenario} -->";
        var end = $"<!-- /reliability:{scenario} -->";
        var i = text.IndexOf(start, StringComparison.Ordinal);
        var j = text.IndexOf(end, StringComparison.Ordinal);
        text = i >= 0 && j > i ? text[..i] + section + text[(j + end.Length)..] : text.TrimEnd() + "\n\n" + section + "\n";
        await File.WriteAllTextAsync(path, text);
    }

    private static async Task<string> MachineAsync(string connectionString)
    {
        var memory = File.Exists("/proc/meminfo")
            ? $"{long.Parse(File.ReadLines("/proc/meminfo").First().Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) / 1024 / 1024} GiB"
            : "?";
        string pg;
        try
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync();
            await using var cmd = new NpgsqlCommand("select current_setting('server_version')", connection);
            pg = "PostgreSQL " + await cmd.ExecuteScalarAsync();
        }
        catch (NpgsqlException) { pg = "PostgreSQL (unknown version)"; }
        var load = File.Exists("/proc/loadavg") ? $", load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}" : "";
        return $"{Environment.ProcessorCount} cores, {memory} memory, {pg} (throwaway test cluster: fsync off, synchronous_commit on in the scenario databases), .NET {Environment.Version}{load}";
    }

    public static string Ms(TimeSpan t) => $"{t.TotalSeconds:0.0} s";

    public static string Percentile(IReadOnlyList<double> values, double p)
    {
        if (values.Count == 0) return "-";
        var sorted = values.Order().ToList();
        return $"{sorted[(int)Math.Min(sorted.Count - 1, Math.Floor(p * sorted.Count))]:0} ms";
    }
}
