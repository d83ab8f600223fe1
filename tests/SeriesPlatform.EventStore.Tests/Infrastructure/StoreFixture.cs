using Npgsql;
using SeriesPlatform.EventStore;

namespace SeriesPlatform.Testing;

/// <summary>A migrated database of its own for one test class, with a store over it.</summary>
public class StoreFixture : IAsyncLifetime
{
    public string ConnectionString { get; private set; } = "";
    public NpgsqlDataSource DataSource { get; private set; } = null!;
    public EventNotifications Notifications { get; private set; } = null!;

    public virtual async Task InitializeAsync()
    {
        ConnectionString = await TestPostgres.CreateDatabaseAsync(GetType().Name);
        DataSource = NpgsqlDataSource.Create(ConnectionString);
        await SchemaMigrator.MigrateAsync(DataSource, [typeof(PostgresEventStore).Assembly]);
        Notifications = new EventNotifications(DataSource);
    }

    public PostgresEventStore CreateStore(EventTypeRegistry registry) => new(DataSource, registry, Notifications);

    public async Task<T> ScalarAsync<T>(string sql)
    {
        await using var connection = await DataSource.OpenConnectionAsync();
        await using var cmd = new NpgsqlCommand(sql, connection);
        return (T)(await cmd.ExecuteScalarAsync())!;
    }

    public virtual async Task DisposeAsync()
    {
        if (Notifications is not null) await Notifications.DisposeAsync();
        if (DataSource is not null) await DataSource.DisposeAsync();
    }
}
