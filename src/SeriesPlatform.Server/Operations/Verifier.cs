using System.Text.Json;
using System.Text.Json.Nodes;
using Npgsql;
using SeriesPlatform.Domain;
using SeriesPlatform.EventStore;
using SeriesPlatform.EventStore.Projections;
using SeriesPlatform.Server.Commands;

namespace SeriesPlatform.Server.Operations;

/// <summary>
/// Checks that what the platform derived still matches the log: every stream re-folded from its
/// first event equals its snapshot and its catalog row, versions have no gaps, the domain's
/// invariants hold, and every async projection equals a fresh rebuild.
/// </summary>
public sealed class Verifier(PostgresEventStore store, CommandHandler handler)
{
    public async Task<IReadOnlyList<string>> VerifyStreamsAsync(IProgress<(int Done, int Total)>? progress = null, CancellationToken ct = default)
    {
        var differences = new List<string>();
        var streams = new List<(string Id, string Type)>();
        await using (var cmd = store.DataSource.CreateCommand("select id, type from streams order by id"))
        await using (var reader = await cmd.ExecuteReaderAsync(ct))
            while (await reader.ReadAsync(ct)) streams.Add((reader.GetString(0), reader.GetString(1)));

        for (var i = 0; i < streams.Count; i++)
        {
            var (id, type) = streams[i];
            if (type == "edition") await CheckAsync<EditionState>(id, differences, ct);
            else if (type == "series") await CheckAsync<SeriesState>(id, differences, ct);
            progress?.Report((i + 1, streams.Count));
        }
        return differences;
    }

    private async Task CheckAsync<TState>(string streamId, List<string> differences, CancellationToken ct) where TState : class, new()
    {
        // From the first event, ignoring every snapshot.
        var folded = new TState();
        long expected = 0;
        await foreach (var e in store.ReadStreamAsync(streamId, ct: ct))
        {
            if (e.StreamVersion != ++expected) differences.Add($"{streamId}: version {e.StreamVersion} follows {expected - 1}");
            Aggregates.Evolve(folded, e.Data);
            Aggregates.SetVersion(folded, e.StreamVersion);
        }
        var (fromSnapshot, _) = await handler.LoadStoredAsync<TState>(streamId, ct);
        var json = store.Types.Json;
        if (!JsonNode.DeepEquals(JsonSerializer.SerializeToNode(folded, json), JsonSerializer.SerializeToNode(fromSnapshot, json)))
            differences.Add($"{streamId}: the snapshot differs from the events re-folded");
        if (folded is EditionState edition) Invariants(streamId, edition, differences);
        await CompareCatalogAsync(streamId, folded, differences, ct);
    }

    private static void Invariants(string streamId, EditionState e, List<string> differences)
    {
        if (e.Capacity is { } cap && e.SeatsTaken > cap) differences.Add($"{streamId}: {e.SeatsTaken} seats taken of {cap}");
        if (e.Capacity is { } c && e.SeatsTaken < c && e.Registrations.Any(r => r.Status == RegistrationStatus.Waitlisted))
            differences.Add($"{streamId}: someone waits while seats are free");
        // Timed agenda items, and breakouts that name their room, in each room.
        var timed = e.Items.Values.Where(i => !i.Cancelled && i.StartUtc is not null).Select(i => (i.Id, i.Room, Start: i.StartUtc!.Value, i.EndUtc))
            .Concat(e.Breakouts.Values.Where(b => b.StartUtc is not null && EditionState.NormalizeRoom(b.Room) is not null)
                .Select(b => (b.Id, b.Room, Start: b.StartUtc!.Value, b.EndUtc)))
            .GroupBy(i => (EditionState.NormalizeRoom(i.Room) ?? "").ToLowerInvariant());
        foreach (var room in timed)
        {
            // Against the item that ends last so far, so one long item overlapping several is found.
            (Guid Id, DateTimeOffset End)? latest = null;
            foreach (var item in room.OrderBy(i => i.Start))
            {
                if (latest is { } l && item.Start < l.End) differences.Add($"{streamId}: items {l.Id} and {item.Id} overlap in room '{room.Key}'");
                var end = item.EndUtc ?? item.Start.AddMinutes(1);
                if (latest is not { } before || end > before.End) latest = (item.Id, end);
            }
        }
    }

    private async Task CompareCatalogAsync<TState>(string streamId, TState state, List<string> differences, CancellationToken ct)
    {
        if (Aggregates.CatalogRow(state, fieldsChanged: true, store.Types.Json) is not { } row) return;
        // Write the row the state implies into a rolled-back transaction and compare it with the stored one.
        var table = state is EditionState ? "edition_catalog" : "series_catalog";
        var key = state is EditionState e ? "id = '" + e.Id + "'" : "slug = '" + ((SeriesState)(object)state!).Slug.Replace("'", "''") + "'";
        await using var connection = await store.OpenAsync(ct);
        var stored = await RowAsync(connection, null, table, key, ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        await using (var batch = new NpgsqlBatch(connection, tx) { BatchCommands = { row } }) await batch.ExecuteNonQueryAsync(ct);
        var expected = await RowAsync(connection, tx, table, key, ct);
        await tx.RollbackAsync(ct);
        if (stored != expected) differences.Add($"{streamId}: {table} row differs from the events ({stored ?? "missing"} vs {expected})");
    }

    private static async Task<string?> RowAsync(NpgsqlConnection connection, NpgsqlTransaction? tx, string table, string key, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand($"select to_jsonb(t)::text from {table} t where {key}", connection, tx);
        return await cmd.ExecuteScalarAsync(ct) as string;
    }

    /// <summary>
    /// Rebuilds each projection from the start and compares the rebuilt rows with the rows it had.
    /// The rebuilt generation stays live (a verification repairs what it finds).
    /// </summary>
    public async Task<IReadOnlyList<string>> VerifyProjectionsAsync(ProjectionDaemon daemon, TimeSpan timeout, CancellationToken ct = default)
    {
        var differences = new List<string>();
        await daemon.WaitForCatchUpAsync(timeout, ct: ct);
        var head = await store.ReadHeadAsync(ct);
        var before = new Dictionary<string, string[]>();
        foreach (var p in daemon.Projections)
            foreach (var t in p.Tables) before[t.Name] = await RowsAsync(t, ct);
        foreach (var p in daemon.Projections) await daemon.RebuildAsync(p.Name, ct);
        await daemon.WaitForCatchUpAsync(timeout, rebuilds: true, ct);
        if (await store.ReadHeadAsync(ct) != head)
        {
            differences.Add("the log moved while verifying projections; run verify again on a quiet system");
            return differences;
        }
        foreach (var p in daemon.Projections)
            foreach (var t in p.Tables)
            {
                var after = await RowsAsync(t, ct);
                var missing = after.Except(before[t.Name]).Count();
                var extra = before[t.Name].Except(after).Count();
                if (missing + extra > 0)
                    differences.Add($"projection {p.Name}, table {t.Name}: {extra} row(s) the rebuild does not have, {missing} row(s) only the rebuild has");
            }
        return differences;
    }

    /// <summary>
    /// The rows of a projection table, without its identity columns: a surrogate number drawn from a
    /// sequence differs after any rolled-back batch (a crash, a lost leadership) and says nothing
    /// about whether the projection is right.
    /// </summary>
    private async Task<string[]> RowsAsync(ProjectionTable table, CancellationToken ct)
    {
        var identities = System.Text.RegularExpressions.Regex.Matches(table.Columns,
                @"(?:^|,)\s*(\w+)\s+\w+\s+generated\s+(?:always|by\s+default)\s+as\s+identity", System.Text.RegularExpressions.RegexOptions.IgnoreCase)
            .Select(m => " - '" + m.Groups[1].Value + "'");
        await using var cmd = store.DataSource.CreateCommand($"select (to_jsonb(t){string.Concat(identities)})::text from \"{table.Name}\" t");
        var rows = new List<string>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) rows.Add(reader.GetString(0));
        rows.Sort(StringComparer.Ordinal);
        return [.. rows];
    }
}
