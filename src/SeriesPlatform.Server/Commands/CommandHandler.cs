using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Npgsql;
using SeriesPlatform.Domain;
using SeriesPlatform.EventStore;
using SeriesPlatform.Server.Auth;
using SeriesPlatform.Server.Infrastructure;

namespace SeriesPlatform.Server.Commands;

/// <summary>How a caller asked for a command to run.</summary>
/// <param name="IdempotencyKey">A retried request with the same key gets the first answer and appends nothing.</param>
/// <param name="IfMatch">The stream version the caller read; a different current version is a 409 instead of a retry.</param>
/// <param name="Fingerprint">What the request said (its body and route), to refuse reusing a key for another request.</param>
/// <param name="OnlySeries">An admin key limited to one series may only change that series and its editions.</param>
public sealed record CommandRequest(string Actor, string? IdempotencyKey = null, long? IfMatch = null, string? Fingerprint = null,
    string? CorrelationId = null, string? Source = null, string? IdempotencyScope = null, string? OnlySeries = null);

/// <summary>The answer to a command: stored with the events when an idempotency key was given.</summary>
public sealed record CommandResponse(int Status, JsonElement? Body, string? Location, long Version, bool Replayed = false);

/// <summary>
/// The aggregate workflow: validate, load the latest snapshot (plus any newer events), decide
/// (pure), append with the version read, and write the new snapshot, the catalog row and the
/// idempotency record in the same transaction. Writers of one stream take turns on a transaction
/// advisory lock, so a burst of commands on one edition queues instead of failing; if a conflict
/// still happens (a writer outside this workflow), the decision is re-run on fresh state a bounded
/// number of times, unless the caller sent If-Match, which turns staleness into a 409.
/// </summary>
public sealed class CommandHandler(PostgresEventStore store, TimeProvider clock)
{
    private const int MaxAttempts = 5;
    /// <summary>
    /// A snapshot is written every this many events, not on every command: rewriting a large
    /// edition (hundreds of registrations) on each command would make commands slower as it grows.
    /// </summary>
    public const int SnapshotEvery = 25;
    private readonly StateCache _cache = new();
    private JsonSerializerOptions Json => store.Types.Json;

    public async Task<CommandResponse> HandleAsync<TState>(string streamId, ICommand<TState> command, CommandRequest request,
        Func<TState, object?> respond, bool creates = false, int successStatus = 200, Func<TState, string?>? location = null,
        CancellationToken ct = default) where TState : class, new()
    {
        var errors = command.Validate();
        if (errors.Count > 0) throw new ValidationFailed(errors);
        return await HandleAsync(streamId, command.GetType().Name, command.Decide, request, respond, creates, successStatus, location, ct);
    }

    /// <summary>The same workflow for a decision that is not the stream's own command (e.g. planning the next edition from the previous one).</summary>
    public async Task<CommandResponse> HandleAsync<TState>(string streamId, string commandName, Func<TState, DateTimeOffset, IReadOnlyList<object>> decide,
        CommandRequest request, Func<TState, object?> respond, bool creates = false, int successStatus = 200, Func<TState, string?>? location = null,
        CancellationToken ct = default) where TState : class, new()
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await AttemptAsync(streamId, commandName, decide, request, respond, creates, successStatus, location, ct);
            }
            catch (Exception ex) when (attempt < MaxAttempts && IsRetryable(ex, request))
            {
                await Task.Delay(Random.Shared.Next(1, 10 * attempt), ct);
            }
        }
    }

    private static bool IsRetryable(Exception ex, CommandRequest request) => ex switch
    {
        ConcurrencyConflictException => request.IfMatch is null,
        // Two retries with the same idempotency key raced: the loser now finds the winner's answer.
        PostgresException { SqlState: PostgresErrorCodes.UniqueViolation, ConstraintName: "idempotency_keys_pkey" } => true,
        _ => false,
    };

    private async Task<CommandResponse> AttemptAsync<TState>(string streamId, string commandName, Func<TState, DateTimeOffset, IReadOnlyList<object>> decide, CommandRequest request,
        Func<TState, object?> respond, bool creates, int successStatus, Func<TState, string?>? location, CancellationToken ct)
        where TState : class, new()
    {
        await using var connection = await store.OpenAsync(ct);
        var scope = request.IdempotencyScope ?? $"{request.Actor}:{streamId}";
        // Looked up before the transaction: a concurrent twin of this request is caught by the key's
        // primary key at commit, and its retry finds the winner's answer here.
        if (request.IdempotencyKey is { } key && await FindIdempotentAsync(connection, null, scope, key, request.Fingerprint, ct) is { } earlier)
            return earlier;

        await using var tx = await connection.BeginTransactionAsync(ct);
        var head = await LockAndReadHeadAsync(connection, tx, streamId, ct);
        // The state this process folded last time is reused when the stream has not moved since.
        var cached = _cache.Take(streamId);
        var (state, snapshotVersion) = cached is { State: TState c } && cached.Version == head
            ? (c, cached.SnapshotVersion)
            : await LoadWithSnapshotAsync<TState>(connection, tx, streamId, ct);
        if (!creates && !Aggregates.Exists(state)) throw new NotFound($"'{streamId}' does not exist.");
        if (Aggregates.Exists(state)) Access.EnsureSeries(request.OnlySeries, Aggregates.SeriesOf(state));
        var version = Aggregates.Version(state);
        if (request.IfMatch is { } expected && expected != version)
            throw new VersionMismatch(version, $"The resource is at version {version}; the request expected {expected}.");

        IReadOnlyList<object> events;
        try { events = decide(state, clock.GetUtcNow()); }
        catch
        {
            // A refused decision leaves the state as it was (Decide is pure): keep it for the next command.
            _cache.Put(streamId, new CachedState(version, snapshotVersion, state));
            throw;
        }
        foreach (var e in events) Aggregates.Evolve(state, e);
        Access.EnsureSeries(request.OnlySeries, Aggregates.SeriesOf(state)); // a create names its series only in its events
        var newVersion = version + events.Count;
        Aggregates.SetVersion(state, newVersion);
        if (events.Count > 0 && (newVersion - snapshotVersion >= SnapshotEvery || snapshotVersion == 0)) snapshotVersion = newVersion;

        var body = respond(state) is { } b ? JsonSerializer.SerializeToElement(b, b.GetType(), Json) : (JsonElement?)null;
        var response = new CommandResponse(events.Count > 0 ? successStatus : 200, body, location?.Invoke(state), newVersion);

        // One round trip for everything the command writes: events, snapshot, catalog row, idempotency record.
        await using (var batch = new NpgsqlBatch(connection, tx))
        {
            NpgsqlBatchCommand? append = null;
            if (events.Count > 0)
            {
                var metadata = new EventMetadata(
                    CorrelationId: request.CorrelationId, Actor: request.Actor, CommandId: Guid.CreateVersion7().ToString(),
                    Command: commandName, Source: request.Source);
                append = store.AppendCommand(streamId, Aggregates.StreamType<TState>(), ExpectedVersion.Exactly(version),
                    events.Select(e => EventData.New(e, metadata)).ToList());
                batch.BatchCommands.Add(append);
                if (snapshotVersion == newVersion) batch.BatchCommands.Add(SnapshotRow(streamId, state));
                if (Aggregates.CatalogRow(state, Json) is { } catalog) batch.BatchCommands.Add(catalog);
            }
            if (request.IdempotencyKey is { } newKey) batch.BatchCommands.Add(IdempotencyRow(scope, newKey, request.Fingerprint, response));
            if (batch.BatchCommands.Count > 0) await batch.ExecuteNonQueryAsync(ct);
            if (append is not null && append.RecordsAffected != events.Count)
            {
                await tx.RollbackAsync(ct);
                throw await store.ExplainRefusedAppendAsync(connection, streamId, ExpectedVersion.Exactly(version), ct);
            }
        }
        await tx.CommitAsync(ct);
        // Only a committed state goes back to the cache; a failed attempt leaves it out (taken above).
        _cache.Put(streamId, new CachedState(newVersion, snapshotVersion, state));
        if (events.Count > 0) store.NotifyAppended();
        return response;
    }

    /// <summary>
    /// Writers of one stream take turns on a transaction advisory lock. The head is read by a second
    /// statement of the same round trip, so its snapshot is taken after the lock was granted.
    /// </summary>
    private static async Task<long> LockAndReadHeadAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string streamId, CancellationToken ct)
    {
        await using var batch = new NpgsqlBatch(connection, tx)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand("select pg_advisory_xact_lock(hashtextextended($1, 7))") { Parameters = { new() { Value = streamId } } },
                new NpgsqlBatchCommand("select max(stream_version) from events where stream_id = $1") { Parameters = { new() { Value = streamId } } },
            },
        };
        await using var reader = await batch.ExecuteReaderAsync(ct);
        await reader.NextResultAsync(ct);
        await reader.ReadAsync(ct);
        return reader.IsDBNull(0) ? 0 : reader.GetInt64(0);
    }

    /// <summary>The latest snapshot plus the events appended after it (fewer than <see cref="SnapshotEvery"/>).</summary>
    public async Task<TState> LoadAsync<TState>(NpgsqlConnection connection, NpgsqlTransaction? tx, string streamId, CancellationToken ct)
        where TState : class, new() => (await LoadWithSnapshotAsync<TState>(connection, tx, streamId, ct)).State;

    private async Task<(TState State, long SnapshotVersion)> LoadWithSnapshotAsync<TState>(NpgsqlConnection connection, NpgsqlTransaction? tx,
        string streamId, CancellationToken ct) where TState : class, new()
    {
        TState state = new();
        long snapshotVersion = 0;
        await using (var cmd = new NpgsqlCommand("select version, state::text from snapshots where stream_id = $1", connection, tx))
        {
            cmd.Parameters.AddWithValue(streamId);
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            if (await reader.ReadAsync(ct))
            {
                snapshotVersion = reader.GetInt64(0);
                state = JsonSerializer.Deserialize<TState>(reader.GetString(1), Json)!;
            }
        }
        Aggregates.SetVersion(state, snapshotVersion);
        await foreach (var e in store.ReadStreamAsync(connection, tx, streamId, fromVersion: snapshotVersion + 1, ct: ct))
        {
            Aggregates.Evolve(state, e.Data);
            Aggregates.SetVersion(state, e.StreamVersion);
        }
        return (state, snapshotVersion);
    }

    /// <summary>Folds a stream from the start up to an instant: the aggregate as it stood then.</summary>
    public async Task<TState> LoadAsOfAsync<TState>(string streamId, DateTimeOffset asOf, CancellationToken ct) where TState : class, new()
    {
        TState state = new();
        await foreach (var e in store.ReadStreamAsync(streamId, upTo: asOf, ct: ct))
        {
            Aggregates.Evolve(state, e.Data);
            Aggregates.SetVersion(state, e.StreamVersion);
        }
        return state;
    }

    public async Task<TState> LoadAsync<TState>(string streamId, CancellationToken ct) where TState : class, new()
    {
        await using var connection = await store.OpenAsync(ct);
        return await LoadAsync<TState>(connection, null, streamId, ct);
    }

    private NpgsqlBatchCommand SnapshotRow<TState>(string streamId, TState state) => new("""
        insert into snapshots (stream_id, stream_type, version, state) values ($1, $2, $3, $4::jsonb)
        on conflict (stream_id) do update set version = excluded.version, state = excluded.state, updated_at = now()
        """)
    {
        Parameters = { new() { Value = streamId }, new() { Value = Aggregates.StreamType<TState>() }, new() { Value = Aggregates.Version(state) },
                       new() { Value = JsonSerializer.Serialize(state, Json) } },
    };

    private static async Task<CommandResponse?> FindIdempotentAsync(NpgsqlConnection connection, NpgsqlTransaction? tx, string scope, string key,
        string? fingerprint, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("select request_hash, status, body::text, location, etag from idempotency_keys where scope = $1 and key = $2", connection, tx);
        cmd.Parameters.AddWithValue(scope);
        cmd.Parameters.AddWithValue(key);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct)) return null;
        if (reader.GetString(0) != Hash(fingerprint))
            throw new RuleViolation("idempotency-key-reused", "This Idempotency-Key was used for a different request.");
        var body = reader.IsDBNull(2) ? (JsonElement?)null : JsonDocument.Parse(reader.GetString(2)).RootElement.Clone();
        return new CommandResponse(reader.GetInt32(1), body, reader.IsDBNull(3) ? null : reader.GetString(3), long.Parse(reader.GetString(4)), Replayed: true);
    }

    private static NpgsqlBatchCommand IdempotencyRow(string scope, string key, string? fingerprint, CommandResponse response) => new("""
        insert into idempotency_keys (scope, key, request_hash, status, body, location, etag) values ($1, $2, $3, $4, $5::jsonb, $6, $7)
        """)
    {
        Parameters =
        {
            new() { Value = scope }, new() { Value = key }, new() { Value = Hash(fingerprint) }, new() { Value = response.Status },
            new() { Value = response.Body?.GetRawText() ?? (object)DBNull.Value }, new() { Value = response.Location ?? (object)DBNull.Value },
            new() { Value = response.Version.ToString() },
        },
    };

    private static string Hash(string? text) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text ?? "")));
}
