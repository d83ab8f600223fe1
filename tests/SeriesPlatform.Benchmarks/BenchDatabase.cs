using Npgsql;
using SeriesPlatform.EventStore;

namespace SeriesPlatform.Benchmarks;

/// <summary>A fresh, migrated database for one benchmark run (or the configured one when we may not create databases).</summary>
public sealed record BenchDatabase(string ConnectionString, NpgsqlDataSource DataSource, string? Created = null, string? ServerConnectionString = null)
{
    /// <summary>A database of its own for one benchmark (<paramref name="purpose"/> in its name), so one benchmark's rows never skew another's.</summary>
    public static async Task<BenchDatabase> CreateAsync(string serverConnectionString, string purpose = "run")
    {
        var builder = new NpgsqlConnectionStringBuilder(serverConnectionString);
        var name = $"series_bench_{DateTime.UtcNow:yyyyMMddHHmmss}_{purpose}";
        string? created = null;
        try
        {
            await using var admin = new NpgsqlConnection(serverConnectionString);
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"create database {name}", admin);
            await create.ExecuteNonQueryAsync();
            builder.Database = created = name;
        }
        catch (PostgresException) { /* no permission: use the configured database as is */ }
        var dataSource = NpgsqlDataSource.Create(builder.ConnectionString);
        await SchemaMigrator.MigrateAsync(dataSource, [typeof(PostgresEventStore).Assembly]);
        return new BenchDatabase(builder.ConnectionString, dataSource, created, serverConnectionString);
    }

    /// <summary>Drops the database this run created (a million-event log is worth its disk space back).</summary>
    public async Task DropAsync()
    {
        await DataSource.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        if (Created is null || ServerConnectionString is null) return;
        await using var admin = new NpgsqlConnection(ServerConnectionString);
        await admin.OpenAsync();
        await using var drop = new NpgsqlCommand($"drop database if exists {Created} with (force)", admin);
        await drop.ExecuteNonQueryAsync();
    }

    public async Task ExecuteAsync(string sql)
    {
        await using var connection = await DataSource.OpenConnectionAsync();
        await using var cmd = new NpgsqlCommand(sql, connection);
        await cmd.ExecuteNonQueryAsync();
    }
}
