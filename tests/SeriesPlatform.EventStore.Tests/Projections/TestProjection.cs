using Npgsql;
using SeriesPlatform.EventStore;
using SeriesPlatform.EventStore.Projections;

namespace SeriesPlatform.EventStore.Tests.Projections;

public sealed record Ping(string Value);
public sealed record Ignored(string Value);
public sealed record Renamed(string From, string To);

/// <summary>
/// One row per ping (queued as rows of one set-based insert); a rename is a plain statement, which
/// must see the rows queued before it. "poison" makes the C# side throw, "poison-sql" queues SQL that the database
/// refuses (a null in a not-null column) — until <see cref="Healed"/> is set, as after a bug fix.
/// </summary>
public sealed class PingProjection(string name) : IProjection
{
    public string Name { get; } = name;
    public string Table => Name + "_rows";
    public volatile bool Healed;
    public IReadOnlyCollection<string>? EventTypes { get; } = ["test.ping", "test.renamed"];
    public IReadOnlyList<ProjectionTable> Tables => [new(Table, "event_id uuid primary key, position bigint not null, value text not null",
        "create index on {table} (position)")];

    public void Apply(RecordedEvent e, ProjectionBatch batch)
    {
        if (e.Data is Renamed renamed)
        {
            batch.Execute($"update {{{Table}}} set value = $2 where value = $1", renamed.From, renamed.To);
            return;
        }
        var ping = (Ping)e.Data;
        if (ping.Value == "poison" && !Healed) throw new InvalidOperationException("cannot digest poison");
        var value = ping.Value == "poison-sql" && !Healed ? null : ping.Value;
        batch.Row($$"""
            insert into {{{Table}}} (event_id, position, value) select * from unnest($1::uuid[], $2::bigint[], $3::text[])
            """, e.EventId, e.Position, value);
    }
}

/// <summary>A "process": its own pool, notifications, store and daemon over the shared test database.</summary>
public sealed class Node : IAsyncDisposable
{
    public NpgsqlDataSource DataSource { get; }
    public EventNotifications Notifications { get; }
    public PostgresEventStore Store { get; }
    public ProjectionDaemon Daemon { get; }

    public Node(string connectionString, params IProjection[] projections)
    {
        DataSource = NpgsqlDataSource.Create(connectionString);
        Notifications = new EventNotifications(DataSource);
        Store = new PostgresEventStore(DataSource, Registry(), Notifications);
        Daemon = new ProjectionDaemon(Store, projections, new ProjectionOptions { BatchSize = 50, LeaderPollInterval = TimeSpan.FromMilliseconds(200),
            LeaseCheckInterval = TimeSpan.FromMilliseconds(200), IdleWait = TimeSpan.FromMilliseconds(500) });
    }

    public static EventTypeRegistry Registry() => new EventTypeRegistry().Register<Ping>("test.ping").Register<Ignored>("test.ignored").Register<Renamed>("test.renamed");

    public async Task AppendAsync(string stream, params object[] events) =>
        await Store.AppendAsync(stream, "test", ExpectedVersion.Any, events.Select(e => EventData.New(e)).ToList());

    public async Task<T> ScalarAsync<T>(string sql)
    {
        await using var cmd = DataSource.CreateCommand(sql);
        return (T)(await cmd.ExecuteScalarAsync())!;
    }

    public async ValueTask DisposeAsync()
    {
        await Daemon.DisposeAsync();
        await Notifications.DisposeAsync();
        await DataSource.DisposeAsync();
    }
}
