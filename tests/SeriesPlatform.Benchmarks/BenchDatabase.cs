using Npgsql;
using SeriesPlatform.EventStore;

namespace SeriesPlatform.Benchmarks;

/// <summary>A fresh, migrated database for one benchmark run (or the configured one when we may not create databases).</summary>
public sealed record BenchDatabase(string ConnectionString, NpgsqlDataSource DataSource)
{
    public static async Task<BenchDatabase> CreateAsync(string serverConnectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(serverConnectionString);
        var name = $"series_bench_{DateTime.UtcNow:yyyyMMddHHmmss}";
        try
        {
            await using var admin = new NpgsqlConnection(serverConnectionString);
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"create database {name}", admin);
            await create.ExecuteNonQueryAsync();
            builder.Database = name;
        }
        catch (PostgresException) { /* no permission: use the configured database as is */ }
        var dataSource = NpgsqlDataSource.Create(builder.ConnectionString);
        await SchemaMigrator.MigrateAsync(dataSource, [typeof(PostgresEventStore).Assembly]);
        return new BenchDatabase(builder.ConnectionString, dataSource);
    }

    public async Task ExecuteAsync(string sql)
    {
        await using var connection = await DataSource.OpenConnectionAsync();
        await using var cmd = new NpgsqlCommand(sql, connection);
        await cmd.ExecuteNonQueryAsync();
    }
}
