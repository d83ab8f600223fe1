using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using SeriesPlatform.EventStore;
using SeriesPlatform.Server.Commands;
using SeriesPlatform.Server.Infrastructure;

namespace SeriesPlatform.Server.Tests;

/// <summary>
/// Runs after the parallel tests, on its own: the deadlock test keeps transactions open for about a
/// second, and every gap-safe reader in the cluster (other tests' feeds and projections) waits for them.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class HoldsTransactionsOpen
{
    public const string Name = "holds transactions open";
}

/// <summary>Group commit: a member that fails or finds its guard broken fails alone; the rest of its group commits.</summary>
[Collection(HoldsTransactionsOpen.Name)]
public sealed class CommitQueueTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task A_failing_member_fails_alone_and_every_other_write_of_the_burst_commits()
    {
        var store = server.Factory.Services.GetRequiredService<PostgresEventStore>();
        var table = "commit_queue_" + Guid.NewGuid().ToString("N")[..8];
        await using (var create = store.DataSource.CreateCommand($"create table {table} (id int primary key)")) await create.ExecuteNonQueryAsync();
        await using var queue = new CommitQueue(store);

        for (var round = 0; round < 5; round++)
        {
            var offset = round * 100;
            // 40 writers at once, so the writers take them in groups; two of them must fail.
            var writes = Enumerable.Range(0, 40).Select(i => Task.Run(() => queue.CommitAsync($"stream-{i}", () => i switch
            {
                7 => [Insert(table, offset)], // the same key as writer 0: a unique violation
                13 => [Insert(table, offset + 13), BrokenGuard()],
                _ => [Insert(table, offset + i)],
            }))).ToList();
            var outcomes = await Task.WhenAll(writes.Select(async w => { try { await w; return null; } catch (Exception ex) { return ex; } }));

            Assert.Equal(38, outcomes.Count(o => o is null));
            var failures = outcomes.Select((o, i) => (o, i)).Where(x => x.o is not null).ToList();
            Assert.Equal(2, failures.Count);
            // Writer 0 and 7 raced for one key: exactly one of them got it.
            Assert.Contains(failures, f => f.o is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } && f.i is 0 or 7);
            Assert.Contains(failures, f => f.o is GuardFailed && f.i == 13);
            await using var count = store.DataSource.CreateCommand($"select count(*) from {table} where id between {offset} and {offset + 99}");
            Assert.Equal(38L, await count.ExecuteScalarAsync()); // 13's insert was rolled back with its guard
        }
    }

    /// <summary>
    /// A writer keeps its connection between groups; when PostgreSQL ends it (a restart, an admin's
    /// pg_terminate_backend), the group on it fails and the writer opens a new one for the next.
    /// </summary>
    [Fact]
    public async Task A_writer_whose_connection_was_ended_fails_one_group_and_recovers()
    {
        var shared = server.Factory.Services.GetRequiredService<PostgresEventStore>();
        var table = "commit_queue_" + Guid.NewGuid().ToString("N")[..8];
        await using (var create = shared.DataSource.CreateCommand($"create table {table} (id int primary key)")) await create.ExecuteNonQueryAsync();
        // One writer on connections of its own (named after the table), so the test ends exactly its connection.
        var connectionString = new NpgsqlConnectionStringBuilder(shared.DataSource.ConnectionString) { ApplicationName = table }.ConnectionString;
        await using var dataSource = Setup.DataSource(connectionString);
        await using var notifications = new EventNotifications(dataSource);
        await using var queue = new CommitQueue(new PostgresEventStore(dataSource, Setup.EventTypes(), notifications), writers: 1);
        await queue.CommitAsync("s0", () => [Insert(table, 0)]);

        await using (var kill = shared.DataSource.CreateCommand(
            $"select count(pg_terminate_backend(pid)) from pg_stat_activity where application_name = '{table}'"))
            Assert.Equal(1L, await kill.ExecuteScalarAsync());
        await Task.Delay(200); // the backend is gone

        await Assert.ThrowsAnyAsync<Exception>(() => queue.CommitAsync("s1", () => [Insert(table, 1)]));
        for (var i = 2; i < 20; i++) await queue.CommitAsync($"s{i}", () => [Insert(table, i)]);
        await using var count = shared.DataSource.CreateCommand($"select count(*) from {table}");
        Assert.Equal(19L, await count.ExecuteScalarAsync()); // all but the write on the ended connection
    }

    /// <summary>
    /// Two groups (here: two processes' queues) lock the same two rows in opposite orders; PostgreSQL
    /// aborts one as the deadlock's victim. Neither command is at fault, so the victim's group is sent
    /// again and both commit.
    /// </summary>
    [Fact]
    public async Task A_group_chosen_as_a_deadlock_victim_is_sent_again_and_commits()
    {
        var store = server.Factory.Services.GetRequiredService<PostgresEventStore>();
        var table = "commit_queue_" + Guid.NewGuid().ToString("N")[..8];
        await using (var create = store.DataSource.CreateCommand($"create table {table} (id int primary key, n int not null); insert into {table} values (1, 0), (2, 0)"))
            await create.ExecuteNonQueryAsync();
        // These transactions stay open until PostgreSQL's deadlock check (1 s): other tests' gap-safe
        // readers wait that long, which they are written to do.
        await using var here = new CommitQueue(store, writers: 1);
        await using var elsewhere = new CommitQueue(store, writers: 1);
        WriteStatement Bump(int id) => new(new NpgsqlBatchCommand($"update {table} set n = n + 1 where id = {id}"));
        var pause = new WriteStatement(new NpgsqlBatchCommand("select pg_sleep(0.1)"));

        await Task.WhenAll(
            here.CommitAsync(null, () => [Bump(1), pause, Bump(2)]),
            elsewhere.CommitAsync(null, () => [Bump(2), pause, Bump(1)]));

        await using var sum = store.DataSource.CreateCommand($"select sum(n) from {table}");
        Assert.Equal(4L, await sum.ExecuteScalarAsync());
    }

    /// <summary>A guard whose condition no longer holds: it raises, as the key guard does.</summary>
    private static WriteStatement BrokenGuard() => new(new NpgsqlBatchCommand($"select raise_refusal('{GuardFailed.SqlState}', 'broken')"),
        ex => ex.SqlState == GuardFailed.SqlState ? new GuardFailed() : null);

    private static WriteStatement Insert(string table, int id) =>
        new(new NpgsqlBatchCommand($"insert into {table} (id) values ($1)") { Parameters = { new() { Value = id } } });
}
