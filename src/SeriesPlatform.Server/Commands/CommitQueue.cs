using System.Threading.Channels;
using Npgsql;
using SeriesPlatform.EventStore;

namespace SeriesPlatform.Server.Commands;

/// <summary>One statement of a command's write; a checked one must touch exactly <see cref="ExpectedRows"/> rows.</summary>
/// <param name="Refused">Why the statement touched another number of rows (asked after the rollback, on the same connection).</param>
/// <param name="Translate">What a database error of this statement means to the command (e.g. a conflict), if anything.</param>
public sealed record WriteStatement(NpgsqlBatchCommand Command, int? ExpectedRows = null,
    Func<NpgsqlConnection, CancellationToken, Task<Exception>>? Refused = null, Func<PostgresException, Exception?>? Translate = null)
{
    /// <summary>The error a failed batch of these statements means, translated by the statement that failed.</summary>
    public static Exception Failure(IEnumerable<WriteStatement> statements, PostgresException ex) =>
        statements.FirstOrDefault(s => ReferenceEquals(s.Command, ex.BatchCommand))?.Translate?.Invoke(ex) ?? ex;
}

/// <summary>
/// Group commit. Commands that have decided (each on its own stream: <see cref="StreamGates"/>) hand
/// their statements here; a few writers each take whatever is waiting and commit it as one
/// transaction: one round trip for the statements, one for the commit, one WAL flush for the
/// whole group instead of one per command. Alone, a command goes at once; under load the groups
/// grow by themselves while the writers are busy, with no timer adding latency.
/// A statement that fails (a unique key taken) or touches the wrong number of rows (the stream
/// moved, a guard no longer holds) fails only its own command: the group is rolled back and the
/// others are committed without it.
/// </summary>
public sealed class CommitQueue : IAsyncDisposable
{
    private const int Writers = 4;
    private const int MaxGroup = 64;
    private readonly PostgresEventStore _store;
    private readonly Channel<PendingWrite> _queue = Channel.CreateUnbounded<PendingWrite>(new() { SingleWriter = false });
    private readonly Task[] _writers;

    public CommitQueue(PostgresEventStore store)
    {
        _store = store;
        _writers = Enumerable.Range(0, Writers).Select(_ => Task.Run(WriteLoopAsync)).ToArray();
    }

    /// <summary>
    /// Commits the statements <paramref name="build"/> makes, with other commands' or alone.
    /// <paramref name="build"/> may run more than once (a group is retried without a failed member).
    /// </summary>
    /// <param name="stream">The stream the write appends to: its lock is taken in the transaction (see <see cref="StreamLock"/>).</param>
    public Task CommitAsync(string? stream, Func<IReadOnlyList<WriteStatement>> build)
    {
        var write = new PendingWrite(stream, build);
        if (!_queue.Writer.TryWrite(write)) throw new InvalidOperationException("The server is stopping.");
        return write.Done.Task;
    }

    private async Task WriteLoopAsync()
    {
        var group = new List<PendingWrite>(MaxGroup);
        while (await _queue.Reader.WaitToReadAsync())
        {
            while (group.Count < MaxGroup && _queue.Reader.TryRead(out var write)) group.Add(write);
            if (group.Count == 0) continue;
            try { await CommitGroupAsync(group); }
            catch (Exception ex) { foreach (var w in group) w.Done.TrySetException(ex); }
            group.Clear();
        }
    }

    private async Task CommitGroupAsync(List<PendingWrite> group)
    {
        while (group.Count > 0)
        {
            var statements = group.Select(w => w.Build()).ToList();
            await using var connection = await _store.OpenAsync(CancellationToken.None);
            await using var tx = await connection.BeginTransactionAsync();
            await using var batch = new NpgsqlBatch(connection, tx);
            // In one order for every group and process, so two groups never wait for each other's locks.
            foreach (var stream in group.Select(w => w.Stream).OfType<string>().Distinct().Order(StringComparer.Ordinal))
                batch.BatchCommands.Add(StreamLock(stream));
            foreach (var s in statements.SelectMany(x => x)) batch.BatchCommands.Add(s.Command);
            try
            {
                await batch.ExecuteNonQueryAsync();
            }
            catch (PostgresException ex) when (statements.FindIndex(x => x.Any(s => ReferenceEquals(s.Command, ex.BatchCommand))) is var failed and >= 0)
            {
                await tx.RollbackAsync();
                group[failed].Done.TrySetException(WriteStatement.Failure(statements[failed], ex));
                group.RemoveAt(failed);
                continue;
            }
            catch (PostgresException) when (group.Count > 1)
            {
                // The failed statement is not named (a data source without IncludeFailedBatchedCommand): one by one.
                await tx.RollbackAsync();
                foreach (var write in group)
                {
                    try { await CommitGroupAsync([write]); }
                    catch (Exception ex) { write.Done.TrySetException(ex); }
                }
                return;
            }

            var refused = new List<(int Index, WriteStatement Statement)>();
            for (var i = 0; i < group.Count; i++)
                if (statements[i].FirstOrDefault(s => s.ExpectedRows is { } n && s.Command.RecordsAffected != n) is { } s) refused.Add((i, s));
            if (refused.Count > 0)
            {
                await tx.RollbackAsync();
                foreach (var (i, s) in refused)
                    group[i].Done.TrySetException(s.Refused is null
                        ? new InvalidOperationException($"A statement touched {s.Command.RecordsAffected} rows, not {s.ExpectedRows}.")
                        : await s.Refused(connection, CancellationToken.None));
                foreach (var (i, _) in refused.AsEnumerable().Reverse()) group.RemoveAt(i);
                continue;
            }

            await tx.CommitAsync();
            foreach (var w in group) w.Done.TrySetResult();
            return;
        }
    }

    /// <summary>
    /// The stream's transaction advisory lock. The workflow's slow path holds it while it reads the
    /// head and decides; a group commit takes it before appending, so a decision made under the
    /// lock is never overtaken by another process's group.
    /// </summary>
    public static NpgsqlBatchCommand StreamLock(string stream) =>
        new("select pg_advisory_xact_lock(hashtextextended($1, 7))") { Parameters = { new() { Value = stream } } };

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await Task.WhenAll(_writers);
    }

    private sealed class PendingWrite(string? stream, Func<IReadOnlyList<WriteStatement>> build)
    {
        public string? Stream { get; } = stream;
        public Func<IReadOnlyList<WriteStatement>> Build { get; } = build;
        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
