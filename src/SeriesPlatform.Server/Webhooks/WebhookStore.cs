using Npgsql;
using NpgsqlTypes;
using SeriesPlatform.EventStore;
using SeriesPlatform.Server.Feed;

namespace SeriesPlatform.Server.Webhooks;

public sealed record Subscription(Guid Id, string Owner, string Url, string[] Types, string[] Series, string Secret, string Status,
    string? StatusReason, GlobalCursor Checkpoint, int Attempts, DateTimeOffset? NextAttemptAt, DateTimeOffset CreatedAt);

public sealed record DeliveryRecord(Guid Id, Guid EventId, string EventType, string Cursor, int Attempt, string Outcome, int? HttpStatus,
    string? Error, int DurationMs, DateTimeOffset AttemptedAt);

public sealed record DeadLetter(Guid Id, Guid EventId, string EventType, string Cursor, int Attempts, int? LastStatus, string? LastError,
    DateTimeOffset CreatedAt, DateTimeOffset? ReplayedAt, string Payload);

/// <summary>
/// The webhook tables. Every write that follows a delivery attempt is one transaction holding both
/// the delivery record and the subscription's new checkpoint/retry state, guarded by the lease, so
/// the two can never disagree and a process that lost its lease cannot move a checkpoint.
/// </summary>
public sealed class WebhookStore(NpgsqlDataSource db)
{
    private const string Columns = "id, owner, url, types, series, secret, status, status_reason, checkpoint_tx, checkpoint_pos, attempts, next_attempt_at, created_at";

    public async Task CreateAsync(Subscription s, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("""
            insert into webhook_subscriptions (id, owner, url, types, series, secret, checkpoint_tx, checkpoint_pos)
            values ($1, $2, $3, $4, $5, $6, $7, $8)
            """);
        cmd.Parameters.AddWithValue(s.Id);
        cmd.Parameters.AddWithValue(s.Owner);
        cmd.Parameters.AddWithValue(s.Url);
        cmd.Parameters.AddWithValue(s.Types);
        cmd.Parameters.AddWithValue(s.Series);
        cmd.Parameters.AddWithValue(s.Secret);
        AddCursor(cmd.Parameters, s.Checkpoint);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    public async Task<Subscription?> GetAsync(Guid id, CancellationToken ct) =>
        (await QueryAsync($"select {Columns} from webhook_subscriptions where id = $1", ct, id)).FirstOrDefault();

    /// <summary>All subscriptions, or those of one owner.</summary>
    public Task<List<Subscription>> ListAsync(string? owner, CancellationToken ct) =>
        QueryAsync($"select {Columns} from webhook_subscriptions where $1::text is null or owner = $1 order by created_at", ct, (object?)owner ?? DBNull.Value);

    public async Task<bool> SetStatusAsync(Guid id, string status, string? reason, CancellationToken ct)
    {
        // Resuming retries the held-back event at once; the attempt count carries on.
        await using var cmd = db.CreateCommand("""
            update webhook_subscriptions set status = $2, status_reason = $3, updated_at = now(),
                next_attempt_at = case when $2 = 'active' then null else next_attempt_at end
            where id = $1
            """);
        cmd.Parameters.AddWithValue(id);
        cmd.Parameters.AddWithValue(status);
        cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)reason ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        return await cmd.ExecuteNonQueryAsync(ct) == 1;
    }

    public async Task<bool> DeleteAsync(Guid id, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("delete from webhook_subscriptions where id = $1");
        cmd.Parameters.AddWithValue(id);
        return await cmd.ExecuteNonQueryAsync(ct) == 1;
    }

    /// <summary>
    /// Takes up to <paramref name="max"/> due active subscriptions for this process for
    /// <paramref name="lease"/>. Another process skips them until the lease ends (or is released).
    /// </summary>
    public async Task<List<Subscription>> ClaimDueAsync(string owner, TimeSpan lease, Guid[] busy, int max, CancellationToken ct) =>
        await QueryAsync($"""
            update webhook_subscriptions set lease_owner = $1, lease_until = now() + $2
            where id in (
                select id from webhook_subscriptions
                where status = 'active' and (next_attempt_at is null or next_attempt_at <= now())
                  and (lease_until is null or lease_until < now() or lease_owner = $1) and not (id = any($3))
                order by next_attempt_at nulls first, id
                limit $4
                for update skip locked)
            returning {Columns}
            """, ct, owner, lease, busy, max);

    public async Task ReleaseAsync(Guid id, string owner, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("update webhook_subscriptions set lease_owner = null, lease_until = null where id = $1 and lease_owner = $2");
        cmd.Parameters.AddWithValue(id);
        cmd.Parameters.AddWithValue(owner);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Still ours to deliver: active (not paused, disabled or deleted) and the lease still held.</summary>
    public async Task<bool> MayDeliverAsync(Guid id, string owner, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("select exists (select 1 from webhook_subscriptions where id = $1 and lease_owner = $2 and status = 'active')");
        cmd.Parameters.AddWithValue(id);
        cmd.Parameters.AddWithValue(owner);
        return (bool)(await cmd.ExecuteScalarAsync(ct))!;
    }

    /// <summary>Moves the checkpoint past events this subscription does not want.</summary>
    public async Task<bool> AdvanceAsync(Guid id, string owner, GlobalCursor to, TimeSpan lease, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return await UpdateSubscriptionAsync(connection, null, id, owner, "checkpoint_tx = $3, checkpoint_pos = $4, lease_until = now() + $5",
            [to.TxId, to.Position, lease], ct);
    }

    /// <summary>
    /// The delivery record and the subscription's next state, in one transaction. False when the
    /// lease was lost or the subscription was paused or deleted meanwhile: then nothing is recorded
    /// and the event is sent again when the subscription runs next (at-least-once).
    /// </summary>
    public async Task<bool> RecordAsync(Guid subscriptionId, string owner, FeedEntry entry, int attempt, string outcome, SendOutcome result,
        SubscriptionChange change, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var (set, args) = change switch
        {
            SubscriptionChange.Passed p => ("checkpoint_tx = $3, checkpoint_pos = $4, attempts = 0, next_attempt_at = null, lease_until = now() + $5",
                new object[] { entry.Cursor.TxId, entry.Cursor.Position, p.Lease }),
            SubscriptionChange.RetryLater r => ("attempts = $3, next_attempt_at = now() + $4, lease_owner = null, lease_until = null",
                new object[] { attempt, r.Delay }),
            SubscriptionChange.Disable d => ("status = 'disabled', status_reason = $3, updated_at = now(), lease_owner = null, lease_until = null",
                new object[] { d.Reason }),
            _ => throw new ArgumentOutOfRangeException(nameof(change)),
        };
        if (!await UpdateSubscriptionAsync(connection, tx, subscriptionId, owner, set, args, ct)) return false;

        var batch = new NpgsqlBatch(connection, tx);
        batch.BatchCommands.Add(new NpgsqlBatchCommand("""
            insert into webhook_deliveries (id, subscription_id, event_id, event_type, cursor, attempt, outcome, http_status, error, duration_ms)
            values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
            """)
        {
            Parameters = { P(Guid.CreateVersion7()), P(subscriptionId), P(entry.Id), P(entry.Type), P(entry.Cursor.ToString()), P(attempt),
                P(outcome), P(result.Status), P(result.Error), P((int)result.Duration.TotalMilliseconds) },
        });
        if (outcome == "dead-lettered")
            batch.BatchCommands.Add(new NpgsqlBatchCommand("""
                insert into webhook_dead_letters (id, subscription_id, event_id, event_type, cursor, payload, attempts, last_status, last_error)
                values ($1, $2, $3, $4, $5, $6, $7, $8, $9)
                """)
            {
                Parameters = { P(Guid.CreateVersion7()), P(subscriptionId), P(entry.Id), P(entry.Type), P(entry.Cursor.ToString()),
                    P(System.Text.Encoding.UTF8.GetString(entry.Json.Span)), P(attempt), P(result.Status), P(result.Error) },
            });
        await using (batch) await batch.ExecuteNonQueryAsync(ct);
        await tx.CommitAsync(ct);
        return true;
    }

    private static async Task<bool> UpdateSubscriptionAsync(NpgsqlConnection connection, NpgsqlTransaction? tx, Guid id, string owner, string set,
        object[] args, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand($"update webhook_subscriptions set {set} where id = $1 and lease_owner = $2 and status = 'active'", connection, tx);
        cmd.Parameters.AddWithValue(id);
        cmd.Parameters.AddWithValue(owner);
        foreach (var a in args)
            cmd.Parameters.Add(a is ulong xid ? new NpgsqlParameter { Value = xid, NpgsqlDbType = NpgsqlDbType.Xid8 } : new NpgsqlParameter { Value = a });
        return await cmd.ExecuteNonQueryAsync(ct) == 1;
    }

    public async Task<List<DeliveryRecord>> DeliveriesAsync(Guid id, int limit, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("""
            select id, event_id, event_type, cursor, attempt, outcome, http_status, error, duration_ms, attempted_at
            from webhook_deliveries where subscription_id = $1 order by attempted_at desc, id desc limit $2
            """);
        cmd.Parameters.AddWithValue(id);
        cmd.Parameters.AddWithValue(limit);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        var list = new List<DeliveryRecord>();
        while (await r.ReadAsync(ct))
            list.Add(new DeliveryRecord(r.GetGuid(0), r.GetGuid(1), r.GetString(2), r.GetString(3), r.GetInt32(4), r.GetString(5),
                r.IsDBNull(6) ? null : r.GetInt32(6), r.IsDBNull(7) ? null : r.GetString(7), r.GetInt32(8), r.GetFieldValue<DateTimeOffset>(9)));
        return list;
    }

    public async Task<List<DeadLetter>> DeadLettersAsync(Guid subscriptionId, Guid? id, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("""
            select id, event_id, event_type, cursor, attempts, last_status, last_error, created_at, replayed_at, payload
            from webhook_dead_letters where subscription_id = $1 and ($2::uuid is null or id = $2) order by created_at, id
            """);
        cmd.Parameters.AddWithValue(subscriptionId);
        cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)id ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Uuid });
        await using var r = await cmd.ExecuteReaderAsync(ct);
        var list = new List<DeadLetter>();
        while (await r.ReadAsync(ct))
            list.Add(new DeadLetter(r.GetGuid(0), r.GetGuid(1), r.GetString(2), r.GetString(3), r.GetInt32(4), r.IsDBNull(5) ? null : r.GetInt32(5),
                r.IsDBNull(6) ? null : r.GetString(6), r.GetFieldValue<DateTimeOffset>(7), r.IsDBNull(8) ? null : r.GetFieldValue<DateTimeOffset>(8), r.GetString(9)));
        return list;
    }

    /// <summary>Records a replay attempt of a dead letter (and marks it replayed when it got through).</summary>
    public async Task RecordReplayAsync(Guid subscriptionId, DeadLetter letter, SendOutcome result, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var batch = new NpgsqlBatch(connection);
        batch.BatchCommands.Add(new NpgsqlBatchCommand("""
            insert into webhook_deliveries (id, subscription_id, event_id, event_type, cursor, attempt, outcome, http_status, error, duration_ms)
            values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
            """)
        {
            Parameters = { P(Guid.CreateVersion7()), P(subscriptionId), P(letter.EventId), P(letter.EventType), P(letter.Cursor), P(letter.Attempts + 1),
                P(result.Delivered ? "replayed" : "replay-failed"), P(result.Status), P(result.Error), P((int)result.Duration.TotalMilliseconds) },
        });
        if (result.Delivered)
            batch.BatchCommands.Add(new NpgsqlBatchCommand("update webhook_dead_letters set replayed_at = now() where id = $1") { Parameters = { P(letter.Id) } });
        await batch.ExecuteNonQueryAsync(ct);
    }

    private async Task<List<Subscription>> QueryAsync(string sql, CancellationToken ct, params object[] args)
    {
        await using var cmd = db.CreateCommand(sql);
        foreach (var a in args) cmd.Parameters.Add(new NpgsqlParameter { Value = a });
        await using var r = await cmd.ExecuteReaderAsync(ct);
        var list = new List<Subscription>();
        while (await r.ReadAsync(ct))
            list.Add(new Subscription(r.GetGuid(0), r.GetString(1), r.GetString(2), r.GetFieldValue<string[]>(3), r.GetFieldValue<string[]>(4),
                r.GetString(5), r.GetString(6), r.IsDBNull(7) ? null : r.GetString(7), new GlobalCursor(r.GetFieldValue<ulong>(8), r.GetInt64(9)),
                r.GetInt32(10), r.IsDBNull(11) ? null : r.GetFieldValue<DateTimeOffset>(11), r.GetFieldValue<DateTimeOffset>(12)));
        return list;
    }

    private static void AddCursor(NpgsqlParameterCollection parameters, GlobalCursor cursor)
    {
        parameters.Add(new NpgsqlParameter { Value = cursor.TxId, NpgsqlDbType = NpgsqlDbType.Xid8 });
        parameters.AddWithValue(cursor.Position);
    }

    private static NpgsqlParameter P(object? value) => new() { Value = value ?? DBNull.Value };
}

/// <summary>What a delivery attempt does to its subscription.</summary>
public abstract record SubscriptionChange
{
    /// <summary>Delivered or dead-lettered: the checkpoint moves past the event.</summary>
    public sealed record Passed(TimeSpan Lease) : SubscriptionChange;
    /// <summary>Failed: hold the checkpoint, try the same event again after the delay.</summary>
    public sealed record RetryLater(TimeSpan Delay) : SubscriptionChange;
    /// <summary>The receiver said 410 Gone.</summary>
    public sealed record Disable(string Reason) : SubscriptionChange;
}
