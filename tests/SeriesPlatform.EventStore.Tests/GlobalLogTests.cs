using System.Collections.Concurrent;
using Npgsql;
using SeriesPlatform.EventStore;
using SeriesPlatform.Testing;

namespace SeriesPlatform.EventStore.Tests;

/// <summary>
/// Runs after the parallel tests, on its own: it keeps a transaction open, and the oldest open
/// transaction in the cluster holds back every gap-safe reader of every database in it (another
/// test's projections and shared reads among them).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class HoldsTransactionsOpen
{
    public const string Name = "holds transactions open";
}

/// <summary>The global log never skips an event committed late, and never shows one twice.</summary>
[Collection(HoldsTransactionsOpen.Name)]
public sealed class GlobalLogTests(StoreFixture db) : IClassFixture<StoreFixture>
{
    private readonly PostgresEventStore _store = db.CreateStore(new EventTypeRegistry().Register<Counted>("test.counted"));

    [Fact]
    public async Task A_reader_does_not_pass_an_open_transactions_event_and_reads_it_first_once_committed()
    {
        var start = await _store.ReadHeadAsync();

        // Transaction A takes a position and stays open.
        await using var connectionA = await db.DataSource.OpenConnectionAsync();
        await using var txA = await connectionA.BeginTransactionAsync();
        var a = await _store.AppendAsync(connectionA, txA, "gap-a-" + Guid.NewGuid(), "test", ExpectedVersion.Any, [EventData.New(new Counted(1))]);

        // B appends after A and commits.
        var b = await _store.AppendAsync("gap-b-" + Guid.NewGuid(), "test", ExpectedVersion.Any, [EventData.New(new Counted(2))]);
        Assert.True(b.FirstPosition > a.FirstPosition);

        // B is committed but the reader must not pass A, which could still commit before it.
        Assert.Empty(await _store.ReadAllAsync(start, 100));
        Assert.False(await _store.WaitForNewEventsAsync(start, TimeSpan.FromMilliseconds(300)));

        await txA.CommitAsync();
        var page = await _store.ReadAllAsync(start, 100);
        Assert.Equal([a.FirstPosition!.Value, b.FirstPosition!.Value], page.Select(e => e.Position));
        Assert.Empty(await _store.ReadAllAsync(page[^1].Cursor, 100));
    }

    [Fact]
    public async Task Waiting_readers_wake_on_an_append_and_time_out_when_nothing_comes()
    {
        var head = await _store.ReadHeadAsync();
        Assert.False(await _store.WaitForNewEventsAsync(head, TimeSpan.FromMilliseconds(200)));

        var waiting = _store.WaitForNewEventsAsync(head, TimeSpan.FromSeconds(30));
        await _store.AppendAsync("wake-" + Guid.NewGuid(), "test", ExpectedVersion.Any, [EventData.New(new Counted(1))]);
        Assert.True(await waiting.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task Eight_concurrent_writers_and_two_cursor_readers_every_reader_sees_every_event_exactly_once()
    {
        const int writers = 8, perWriter = 1_000;
        var start = await _store.ReadHeadAsync();
        var run = Guid.NewGuid().ToString("N")[..8];
        var written = new ConcurrentBag<long>();
        using var done = new CancellationTokenSource();

        async Task Write(int writer)
        {
            for (var i = 0; i < perWriter; i++)
            {
                // Half the writers share streams so they also contend on stream locks.
                var stream = writer % 2 == 0 ? $"load-{run}-shared-{i % 10}" : $"load-{run}-w{writer}";
                var result = await _store.AppendAsync(stream, "test", ExpectedVersion.Any, [EventData.New(new Counted(i, run))]);
                written.Add(result.FirstPosition!.Value);
            }
        }

        async Task<List<long>> Read()
        {
            var seen = new List<long>();
            var cursor = start;
            while (true)
            {
                var page = await _store.ReadAllAsync(cursor, 500);
                foreach (var e in page)
                {
                    Assert.True(e.Cursor > cursor, "the cursor only moves forward");
                    cursor = e.Cursor;
                    if (e.Data is Counted { Note: var note } && note == run) seen.Add(e.Position);
                }
                if (page.Count == 0)
                {
                    if (done.IsCancellationRequested && seen.Count >= writers * perWriter) return seen;
                    if (done.IsCancellationRequested && !await _store.WaitForNewEventsAsync(cursor, TimeSpan.FromSeconds(5))) return seen;
                    await _store.WaitForNewEventsAsync(cursor, TimeSpan.FromMilliseconds(100));
                }
            }
        }

        var readers = new[] { Task.Run(Read), Task.Run(Read) };
        await Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(() => Write(w))));
        done.Cancel();
        var results = await Task.WhenAll(readers);

        var expected = written.Order().ToList();
        Assert.Equal(writers * perWriter, expected.Count);
        foreach (var seen in results)
        {
            Assert.Equal(seen.Count, seen.Distinct().Count());
            Assert.Equal(expected, seen.Order().ToList());
        }
    }
}
