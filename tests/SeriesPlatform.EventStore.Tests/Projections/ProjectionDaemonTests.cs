using SeriesPlatform.EventStore.Projections;
using SeriesPlatform.Testing;

namespace SeriesPlatform.EventStore.Tests.Projections;

/// <summary>Each test gets a database of its own: projections read the whole log, which must hold only that test's events.</summary>
public sealed class ProjectionDaemonTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private static async Task<string> FreshDatabase()
    {
        var cs = await TestPostgres.CreateDatabaseAsync("projections");
        await using var dataSource = Npgsql.NpgsqlDataSource.Create(cs);
        await SchemaMigrator.MigrateAsync(dataSource, [typeof(PostgresEventStore).Assembly]);
        return cs;
    }

    private static string NewName() => "p" + Guid.NewGuid().ToString("N")[..12];

    [Fact]
    public async Task Projects_every_event_once_and_moves_the_checkpoint_to_the_head_past_events_it_does_not_read()
    {
        var projection = new PingProjection(NewName());
        await using var node = new Node(await FreshDatabase(), projection);
        await node.Daemon.StartAsync();
        for (var i = 0; i < 120; i++) await node.AppendAsync($"s-{i % 7}", new Ping($"v{i}"));
        await node.AppendAsync("other", new Ignored("the head is an event the projection does not read"));
        await node.Daemon.WaitForCatchUpAsync(Patience);

        Assert.Equal(120L, await node.ScalarAsync<long>($"select count(*) from {projection.Table}"));
        var status = Assert.Single(await node.Daemon.StatusAsync(), s => s.Projection == projection.Name);
        Assert.Equal((0L, 0d, "live", true), (status.EventsBehind, status.SecondsBehind, status.Status, status.LeaderHere));
        Assert.Equal((await node.Store.ReadHeadAsync()).ToString(), status.Checkpoint);
    }

    [Fact]
    public async Task A_statement_sees_the_rows_queued_before_it_and_not_those_after_it()
    {
        var projection = new PingProjection(NewName());
        await using var node = new Node(await FreshDatabase(), projection);
        // One stream, one batch: rows of the set-based insert and plain updates interleaved.
        await node.AppendAsync("order", new Ping("a"), new Renamed("a", "b"), new Ping("c"), new Ping("a"), new Renamed("c", "d"), new Ping("c"));
        await node.Daemon.StartAsync();
        await node.Daemon.WaitForCatchUpAsync(Patience);

        await using var cmd = node.DataSource.CreateCommand($"select string_agg(value, ',' order by position) from {projection.Table}");
        Assert.Equal("b,d,a,c", (string)(await cmd.ExecuteScalarAsync())!);
    }

    [Fact]
    public async Task Lag_counts_the_events_behind_and_the_age_of_the_oldest()
    {
        var projection = new PingProjection(NewName());
        await using var node = new Node(await FreshDatabase(), projection);
        await node.Daemon.InstallAsync(); // installed, not running
        var cursor = (await node.Daemon.StatusAsync()).Single(s => s.Projection == projection.Name);
        for (var i = 0; i < 5; i++) await node.AppendAsync("lag", new Ping("x"));
        var lagging = (await node.Daemon.StatusAsync()).Single(s => s.Projection == projection.Name);
        Assert.True(lagging.EventsBehind >= 5, $"behind {lagging.EventsBehind}");
        Assert.True(lagging.SecondsBehind > 0);
        Assert.False(lagging.LeaderHere);
        Assert.Equal(cursor.Checkpoint, lagging.Checkpoint);
        await Assert.ThrowsAsync<TimeoutException>(() => node.Daemon.WaitForCatchUpAsync(TimeSpan.FromMilliseconds(300)));
    }

    [Fact]
    public async Task Only_one_of_two_processes_runs_a_projection_and_the_other_takes_over_when_it_stops()
    {
        var name = NewName();
        var database = await FreshDatabase();
        await using var first = new Node(database, new PingProjection(name));
        await using var second = new Node(database, new PingProjection(name));
        await first.Daemon.StartAsync();
        await Eventually(() => first.Daemon.IsLeader(name));
        await second.Daemon.StartAsync();
        for (var i = 0; i < 60; i++) await first.AppendAsync("two", new Ping($"a{i}"));
        await second.Daemon.WaitForCatchUpAsync(Patience);
        Assert.True(first.Daemon.IsLeader(name));
        Assert.False(second.Daemon.IsLeader(name));

        await first.Daemon.StopAsync();
        await Eventually(() => second.Daemon.IsLeader(name));
        for (var i = 0; i < 60; i++) await second.AppendAsync("two", new Ping($"b{i}"));
        await second.Daemon.WaitForCatchUpAsync(Patience);
        Assert.Equal(120L, await second.ScalarAsync<long>($"select count(*) from {name}_rows"));
    }

    [Fact]
    public async Task When_the_leader_dies_abruptly_another_process_takes_over_within_seconds_and_nothing_is_projected_twice()
    {
        var name = NewName();
        var database = await FreshDatabase();
        await using var first = new Node(database, new PingProjection(name));
        await using var second = new Node(database, new PingProjection(name));
        await first.Daemon.StartAsync();
        await Eventually(() => first.Daemon.IsLeader(name));
        await second.Daemon.StartAsync();
        for (var i = 0; i < 100; i++) await first.AppendAsync("crash", new Ping($"a{i}"));

        // The leader's process "dies": its lock session is killed from outside, as when the host goes away.
        var killed = await first.ScalarAsync<long>($"""
            select count(pg_terminate_backend(l.pid)) from pg_locks l
            where l.locktype = 'advisory' and l.granted and l.database = (select oid from pg_database where datname = current_database())
              and ((l.classid::bigint << 32) | l.objid::bigint) = (hashtextextended('projection-leader:{name}', 0) & x'ffffffffffffffff'::bigint)
            """);
        Assert.Equal(1L, killed);
        var started = DateTime.UtcNow;
        await Eventually(() => second.Daemon.IsLeader(name) || first.Daemon.IsLeader(name));
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(10));
        for (var i = 0; i < 100; i++) await second.AppendAsync("crash", new Ping($"b{i}"));
        await second.Daemon.WaitForCatchUpAsync(Patience);
        var letters = await second.Daemon.DeadLettersAsync(name);
        Assert.True(letters.Count == 0, string.Join("\n", letters.Select(l => l.Error)));
        Assert.Equal(200L, await second.ScalarAsync<long>($"select count(*) from {name}_rows"));
    }

    [Fact]
    public async Task A_stored_body_that_no_longer_fits_its_type_goes_to_the_dead_letters_with_the_reason()
    {
        var projection = new PingProjection(NewName());
        await using var node = new Node(await FreshDatabase(), projection);
        await node.AppendAsync("fits", new Ping("before"));
        // As if the type had changed without an upcaster: the stored body is not a Ping any more.
        await using (var cmd = node.DataSource.CreateCommand("""
            insert into events (stream_id, stream_version, event_id, type, data) values ('misfit', 1, gen_random_uuid(), 'test.ping', '{"Value": {"nested": true}}')
            """)) await cmd.ExecuteNonQueryAsync();
        await node.AppendAsync("fits", new Ping("after"));
        await node.Daemon.StartAsync();
        await node.Daemon.WaitForCatchUpAsync(Patience);

        Assert.Equal(2L, await node.ScalarAsync<long>($"select count(*) from {projection.Table}"));
        var letter = Assert.Single(await node.Daemon.DeadLettersAsync(projection.Name));
        Assert.Equal("misfit", letter.StreamId);
        Assert.Contains("cannot be read as 'test.ping'", letter.Error);
    }

    [Fact]
    public async Task A_poisonous_event_goes_to_the_dead_letters_the_projection_carries_on_and_a_retry_after_the_fix_succeeds()
    {
        var projection = new PingProjection(NewName());
        await using var node = new Node(await FreshDatabase(), projection);
        await node.Daemon.StartAsync();
        await node.AppendAsync("dl", new Ping("before"), new Ping("poison"), new Ping("middle"), new Ping("poison-sql"), new Ping("after"));
        await node.Daemon.WaitForCatchUpAsync(Patience);

        Assert.Equal(3L, await node.ScalarAsync<long>($"select count(*) from {projection.Table}"));
        var letters = await node.Daemon.DeadLettersAsync(projection.Name);
        Assert.Equal(2, letters.Count);
        Assert.Contains("cannot digest poison", letters[0].Error);
        Assert.Contains("null value", letters[1].Error);
        Assert.Equal(2, (await node.Daemon.StatusAsync()).Single(s => s.Projection == projection.Name).OpenDeadLetters);

        var stillBroken = await node.Daemon.RetryDeadLetterAsync(letters[0].Id);
        Assert.False(stillBroken!.Resolved);
        projection.Healed = true;
        foreach (var letter in letters) Assert.True((await node.Daemon.RetryDeadLetterAsync(letter.Id))!.Resolved);
        Assert.Equal(5L, await node.ScalarAsync<long>($"select count(*) from {projection.Table}"));
        Assert.Empty(await node.Daemon.DeadLettersAsync(projection.Name));
        Assert.Null(await node.Daemon.RetryDeadLetterAsync(letters[0].Id));
    }

    [Fact]
    public async Task A_rebuild_fills_new_tables_while_the_old_ones_serve_reads_then_swaps_them_in()
    {
        var projection = new PingProjection(NewName());
        await using var node = new Node(await FreshDatabase(), projection);
        await node.Daemon.StartAsync();
        for (var i = 0; i < 300; i++) await node.AppendAsync("rb", new Ping($"v{i}"));
        await node.Daemon.WaitForCatchUpAsync(Patience);
        // Damage the live read model, as a projection bug would; the rebuild replays the log.
        await node.ScalarAsync<int>($"delete from {projection.Table}_g1 where value like 'v1%' returning 1");

        var generation = await node.Daemon.RebuildAsync(projection.Name);
        Assert.Equal(2, generation);
        Assert.Equal(generation, await node.Daemon.RebuildAsync(projection.Name)); // asking twice starts one rebuild
        Assert.True(await node.ScalarAsync<long>($"select count(*) from {projection.Table}") < 300); // reads go on meanwhile
        await node.Daemon.WaitForCatchUpAsync(Patience, rebuilds: true);

        Assert.Equal(300L, await node.ScalarAsync<long>($"select count(*) from {projection.Table}"));
        var status = (await node.Daemon.StatusAsync()).Single(s => s.Projection == projection.Name);
        Assert.Equal((2, "live"), (status.Generation, status.Status));
        Assert.Equal(0L, await node.ScalarAsync<long>($"select count(*) from pg_tables where tablename = '{projection.Table}_g1'"));
    }

    /// <summary>Waits for a condition the daemons reach on their own (leadership), polling; fails after a deadline.</summary>
    private static async Task Eventually(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not reached in time");
            await Task.Delay(20);
        }
    }
}
