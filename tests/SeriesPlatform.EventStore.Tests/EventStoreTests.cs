using System.Text.Json.Nodes;
using Npgsql;
using SeriesPlatform.EventStore;
using SeriesPlatform.Testing;

namespace SeriesPlatform.EventStore.Tests;

public sealed record Planned(string Title);
public sealed record Renamed(string Title);
public sealed record Counted(int Number, string? Note = null);

public sealed class EventStoreTests(StoreFixture db) : IClassFixture<StoreFixture>
{
    private readonly PostgresEventStore _store = db.CreateStore(Registry());

    private static EventTypeRegistry Registry() => new EventTypeRegistry()
        .Register<Planned>("test.planned").Register<Renamed>("test.renamed").Register<Counted>("test.counted");

    private static string NewStream() => "s-" + Guid.NewGuid().ToString("N");

    [Theory]
    [InlineData(1)] // one event: the command's usual append, in its lighter form
    [InlineData(2)]
    public async Task The_pipelined_append_checks_the_version_and_the_archive_by_raising(int count)
    {
        var stream = NewStream();
        await _store.AppendAsync(stream, "test", ExpectedVersion.NoStream, [EventData.New(new Planned("a")), EventData.New(new Planned("b"))]);
        List<EventData> Events() => Enumerable.Range(0, count).Select(i => EventData.New(new Counted(i), new EventMetadata(Actor: "bob"))).ToList();
        async Task Run(ExpectedVersion expected)
        {
            await using var batch = db.DataSource.CreateBatch();
            batch.BatchCommands.Add(_store.AppendCommand(stream, "test", expected, Events()));
            try { await batch.ExecuteNonQueryAsync(); }
            catch (PostgresException ex) when (StoreErrors.Translate(ex, stream, expected) is { } typed) { throw typed; }
        }

        await Run(ExpectedVersion.Exactly(2));
        var moved = await Assert.ThrowsAsync<ConcurrencyConflictException>(() => Run(ExpectedVersion.Exactly(2)));
        Assert.Equal(2 + count, moved.ActualVersion);
        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => Run(ExpectedVersion.Exactly(9))); // ahead of the stream: no gap
        var events = await _store.ReadStreamAsync(stream).ToListAsync();
        Assert.Equal(Enumerable.Range(1, 2 + count).Select(v => (long)v), events.Select(e => e.StreamVersion));
        Assert.Equal(new Counted(count - 1), events[^1].Data);
        Assert.Equal("bob", events[^1].Metadata.Actor);

        Assert.True(await _store.ArchiveStreamAsync(stream));
        await Assert.ThrowsAsync<StreamArchivedException>(() => Run(ExpectedVersion.Exactly(2 + count)));
        Assert.Equal(2 + count, await _store.GetStreamVersionAsync(stream));
    }

    [Fact]
    public async Task Appends_and_reads_a_stream_in_order_with_its_version()
    {
        var stream = NewStream();
        var result = await _store.AppendAsync(stream, "test", ExpectedVersion.NoStream,
            [EventData.New(new Planned("a"), new EventMetadata(Actor: "alice", CommandId: "c1")), EventData.New(new Renamed("b"))]);
        Assert.Equal(2, result.Version);
        Assert.False(result.WasDuplicate);
        Assert.Equal(2, await _store.GetStreamVersionAsync(stream));

        var events = await _store.ReadStreamAsync(stream).ToListAsync();
        Assert.Equal([1L, 2L], events.Select(e => e.StreamVersion));
        Assert.Equal(new Planned("a"), events[0].Data);
        Assert.Equal(new Renamed("b"), events[1].Data);
        Assert.Equal("alice", events[0].Metadata.Actor);
        Assert.Equal("test.planned", events[0].Type);
        Assert.True(events[0].Position < events[1].Position);
    }

    [Fact]
    public async Task Two_writers_with_the_same_expected_version_one_wins_the_other_learns_the_actual_version()
    {
        var stream = NewStream();
        await _store.AppendAsync(stream, "test", ExpectedVersion.NoStream, [EventData.New(new Planned("a"))]);

        var first = _store.AppendAsync(stream, "test", ExpectedVersion.Exactly(1), [EventData.New(new Renamed("x"))]);
        var second = _store.AppendAsync(stream, "test", ExpectedVersion.Exactly(1), [EventData.New(new Renamed("y")), EventData.New(new Renamed("z"))]);
        var outcomes = await Task.WhenAll(Wrap(first), Wrap(second));

        Assert.Single(outcomes, o => o.Result is not null);
        var conflict = Assert.Single(outcomes, o => o.Error is not null).Error;
        var typed = Assert.IsType<ConcurrencyConflictException>(conflict);
        var winner = outcomes.Single(o => o.Result is not null).Result!;
        Assert.Equal(winner.Version, typed.ActualVersion);
        Assert.Equal(winner.Version, await _store.GetStreamVersionAsync(stream));
    }

    [Fact]
    public async Task Expecting_no_stream_on_an_existing_one_or_a_version_of_a_missing_one_conflicts_and_writes_nothing()
    {
        var stream = NewStream();
        await _store.AppendAsync(stream, "test", ExpectedVersion.NoStream, [EventData.New(new Planned("a"))]);
        var again = await Assert.ThrowsAsync<ConcurrencyConflictException>(() =>
            _store.AppendAsync(stream, "test", ExpectedVersion.NoStream, [EventData.New(new Planned("b"))]));
        Assert.Equal(1, again.ActualVersion);

        var missing = NewStream();
        var none = await Assert.ThrowsAsync<ConcurrencyConflictException>(() =>
            _store.AppendAsync(missing, "test", ExpectedVersion.Exactly(3), [EventData.New(new Planned("b"))]));
        Assert.Equal(0, none.ActualVersion);
        Assert.Null(await _store.GetStreamVersionAsync(missing));
        Assert.Equal(0L, await db.ScalarAsync<long>($"select count(*) from events where stream_id = '{missing}'"));
    }

    [Fact]
    public async Task Reappending_the_same_event_ids_is_a_no_op_that_returns_the_original_result()
    {
        var stream = NewStream();
        var batch = new[] { EventData.New(new Planned("a")), EventData.New(new Renamed("b")) };
        var original = await _store.AppendAsync(stream, "test", ExpectedVersion.NoStream, batch);
        await _store.AppendAsync(stream, "test", ExpectedVersion.Any, [EventData.New(new Renamed("c"))]);

        // A retry with the original expected version must not conflict: it is the same write.
        var retry = await _store.AppendAsync(stream, "test", ExpectedVersion.NoStream, batch);
        Assert.True(retry.WasDuplicate);
        Assert.Equal(original.Version, retry.Version);
        Assert.Equal(original.FirstPosition, retry.FirstPosition);
        Assert.Equal(original.LastPosition, retry.LastPosition);
        Assert.Equal(3L, await db.ScalarAsync<long>($"select count(*) from events where stream_id = '{stream}'"));
    }

    [Fact]
    public async Task Reads_a_stream_as_it_stood_at_an_instant_and_between_versions()
    {
        var stream = NewStream();
        await _store.AppendAsync(stream, "test", ExpectedVersion.Any, [EventData.New(new Planned("first"))]);
        var between = await db.ScalarAsync<DateTime>("select clock_timestamp()");
        await _store.AppendAsync(stream, "test", ExpectedVersion.Any, [EventData.New(new Renamed("second")), EventData.New(new Renamed("third"))]);

        var then = await _store.ReadStreamAsync(stream, upTo: new DateTimeOffset(between, TimeSpan.Zero)).ToListAsync();
        Assert.Equal([new Planned("first")], then.Select(e => e.Data));
        var middle = await _store.ReadStreamAsync(stream, fromVersion: 2, toVersion: 2).ToListAsync();
        Assert.Equal([new Renamed("second")], middle.Select(e => e.Data));
    }

    [Fact]
    public async Task An_archived_stream_stays_readable_and_refuses_appends()
    {
        var stream = NewStream();
        await _store.AppendAsync(stream, "test", ExpectedVersion.Any, [EventData.New(new Planned("a"))]);
        Assert.True(await _store.ArchiveStreamAsync(stream));
        await Assert.ThrowsAsync<StreamArchivedException>(() =>
            _store.AppendAsync(stream, "test", ExpectedVersion.Any, [EventData.New(new Renamed("b"))]));
        Assert.Single(await _store.ReadStreamAsync(stream).ToListAsync());
    }

    [Fact]
    public async Task Reads_version_1_json_as_the_version_2_shape_through_an_upcaster()
    {
        var registry = new EventTypeRegistry()
            .Register<Counted>("test.counted-v", schemaVersion: 2)
            .Upcast("test.counted-v", 1, old => new JsonObject { ["number"] = int.Parse(old["count"]!.GetValue<string>()), ["note"] = "upcast" });
        var stream = NewStream();
        await using (var connection = await db.DataSource.OpenConnectionAsync())
        {
            // Written as an older version of the app would have: schema version 1, another shape.
            await using var insert = new NpgsqlBatch(connection)
            {
                BatchCommands =
                {
                    new NpgsqlBatchCommand("insert into streams (id, type) values ($1, 'test')") { Parameters = { new() { Value = stream } } },
                    new NpgsqlBatchCommand("""
                        insert into events (stream_id, stream_version, event_id, type, schema_version, data)
                        values ($1, 1, gen_random_uuid(), 'test.counted-v', 1, '{"count": "41"}')
                        """) { Parameters = { new() { Value = stream } } },
                },
            };
            await insert.ExecuteNonQueryAsync();
        }

        var read = await db.CreateStore(registry).ReadStreamAsync(stream).SingleAsync();
        Assert.Equal(new Counted(41, "upcast"), read.Data);
    }

    [Fact]
    public async Task Migrations_run_again_change_nothing()
    {
        var applied = await SchemaMigrator.MigrateAsync(db.DataSource, [typeof(PostgresEventStore).Assembly]);
        Assert.Empty(applied);
    }

    private static async Task<(AppendResult? Result, Exception? Error)> Wrap(Task<AppendResult> task)
    {
        try { return (await task, null); }
        catch (Exception ex) { return (null, ex); }
    }
}
