using Npgsql;

namespace SeriesPlatform.Benchmarks;

public static class Machine
{
    public static async Task<string> DescribeAsync(BenchDatabase db)
    {
        await using var connection = await db.DataSource.OpenConnectionAsync();
        await using var cmd = new NpgsqlCommand("select current_setting('server_version'), current_setting('fsync'), current_setting('synchronous_commit')", connection);
        await using var reader = await cmd.ExecuteReaderAsync();
        await reader.ReadAsync();
        var memory = File.Exists("/proc/meminfo")
            ? File.ReadLines("/proc/meminfo").First().Split(' ', StringSplitOptions.RemoveEmptyEntries)[1] is var kb ? $"{long.Parse(kb) / 1024 / 1024} GiB" : "?"
            : "?";
        return $"{Environment.ProcessorCount} cores, {memory} memory, PostgreSQL {reader.GetString(0)} (fsync={reader.GetString(1)}, synchronous_commit={reader.GetString(2)}), .NET {Environment.Version}";
    }
}
