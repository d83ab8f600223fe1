using SeriesPlatform.EventStore.Projections;
using SeriesPlatform.Testing;

namespace SeriesPlatform.EventStore.Tests.Projections;

public sealed class SharedTailTests
{
    private static readonly string[] Pings = ["test.ping"], Others = ["test.ignored"], Both = ["test.ping", "test.ignored"];

    [Fact]
    public async Task Runners_served_from_the_shared_reads_see_exactly_what_their_own_reads_would_show_with_fewer_reads()
    {
        var cs = await TestPostgres.CreateDatabaseAsync("tail");
        await using (var ds = Npgsql.NpgsqlDataSource.Create(cs)) await SchemaMigrator.MigrateAsync(ds, [typeof(PostgresEventStore).Assembly]);
        await using var node = new Node(cs);
        for (var i = 0; i < 300; i++)
            await node.AppendAsync($"s-{i % 5}", i % 3 == 0 ? new Ignored($"i{i}") : new Ping($"p{i}"));
        var log = new ProjectionLog(node.DataSource, node.Store.Types);
        // Small pages, so the walk extends the held stretch many times and lets go of what both runners
        // passed; the runner that starts late (as a rebuild does) reads for itself until it catches up.
        var tail = new SharedTail(log, Both, capacity: 100);

        await WaitUntilReadableAsync(log, 300);
        var head = await node.Store.ReadHeadAsync();
        var pings = new Walker(Pings) { Head = head };
        var others = new Walker(Others) { Head = head };
        var late = new Walker(Both) { Head = head };
        var (readsTogether, heldTogether) = (0, 0);
        for (var round = 0; round < 200 && !(pings.Done && others.Done && late.Done); round++)
        {
            await pings.StepAsync(tail);
            await others.StepAsync(tail);
            if (round == 9) (readsTogether, heldTogether) = (tail.Reads, tail.Held);
            if (round >= 10) await late.StepAsync(tail);
        }
        // Walking together, the two runners read once a round between them (the one in front reads, the other is served).
        // and hold at most the two pages the one behind has not yet asked past, though the capacity would allow 100.
        Assert.Equal(10, readsTogether);
        Assert.InRange(heldTogether, 1, 32);

        foreach (var walker in new[] { pings, others, late })
        {
            // Taking a few events of a full page of all types is not being at the head (a runner would sleep).
            Assert.Equal(0, walker.EarlyAtHead);
            var own = await ReadAllAsync(log, walker.Types);
            Assert.Equal(own, walker.Seen);
            Assert.Equal(head, walker.Cursor);
        }
        Assert.Equal(300, pings.Seen.Count + others.Seen.Count);
        Assert.True(tail.Reads < pings.Steps + others.Steps + late.Steps, $"{tail.Reads} reads for {pings.Steps + others.Steps + late.Steps} pages");
    }

    /// <summary>
    /// The log is read only below the oldest transaction still running anywhere in the cluster, and
    /// other tests share the cluster: wait until none of theirs hides one of our events, so the walk
    /// below sees the log as it stays (events below that horizon stay below it).
    /// </summary>
    private static async Task WaitUntilReadableAsync(ProjectionLog log, int appended)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while ((await ReadAllAsync(log, Both)).Count < appended)
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("A transaction elsewhere in the cluster kept the events unreadable for a minute.");
            await Task.Delay(20);
        }
    }

    private static async Task<List<Guid>> ReadAllAsync(ProjectionLog log, string[] types)
    {
        var seen = new List<Guid>();
        var cursor = GlobalCursor.Start;
        while (true)
        {
            var page = await log.ReadPageAsync(cursor, types, 1000, CancellationToken.None);
            seen.AddRange(page.Events.Select(e => e.EventId));
            if (page.Events.Count < 1000) return seen;
            cursor = page.Events[^1].Cursor;
        }
    }

    /// <summary>Moves a cursor as a projection runner does: to the last event of a full page, else to the page's head.</summary>
    private sealed class Walker(string[] types)
    {
        public GlobalCursor Head { get; set; }
        private const int Limit = 16;
        public string[] Types => types;
        public List<Guid> Seen { get; } = [];
        public GlobalCursor Cursor { get; private set; } = GlobalCursor.Start;
        public bool Done { get; private set; }
        public int Steps { get; private set; }
        /// <summary>Pages that said "at the head" while the walk was not over: a runner would have slept on them.</summary>
        public int EarlyAtHead { get; private set; }

        public async Task StepAsync(SharedTail tail)
        {
            if (Done) return;
            Steps++;
            var page = await tail.ReadPageAsync(Cursor, types, Limit, CancellationToken.None);
            Seen.AddRange(page.Events.Select(e => e.EventId));
            var full = page.Events.Count >= Limit;
            var to = full ? page.Events[^1].Cursor : page.Head;
            if (!full && page.Events.Count > 0 && page.Events[^1].Cursor > to) to = page.Events[^1].Cursor;
            Done = !full && to <= Cursor;
            if (to > Cursor) Cursor = to;
            if (page.AtHead && Cursor < Head) EarlyAtHead++;
        }
    }
}
