using Npgsql;

namespace SeriesPlatform.EventStore.Projections;

/// <summary>
/// The writes a projection queues for a batch of events. SQL templates name tables in braces
/// (<c>insert into {people} ...</c>); the batch substitutes the physical tables of the generation
/// being written, so the same projection code writes the live tables or a rebuild's new ones.
/// Counters are summed in memory and written once per batch, because a busy edition would
/// otherwise update the same row thousands of times.
/// </summary>
public sealed class ProjectionBatch
{
    private readonly TableMap _tables;
    private readonly List<NpgsqlBatchCommand> _commands = [];
    private readonly Dictionary<(string Table, string Column), Dictionary<Guid, int>> _counters = [];
    // Increments since the last Mark, so a failing event's share can be taken back out.
    private readonly List<(string Table, string Column, Guid Id, int Delta)> _sinceMark = [];
    private int _markedCommands;

    internal ProjectionBatch(TableMap tables) => _tables = tables;

    public int Generation => _tables.Generation;

    /// <summary>The physical name of one of the projection's tables in this generation.</summary>
    public string Table(string name) => _tables.Physical(name);

    /// <summary>Queues a statement with positional parameters ($1, $2 ...); cast where a null could be ambiguous.</summary>
    public void Execute(string template, params object?[] args)
    {
        var command = new NpgsqlBatchCommand(_tables.Rewrite(template));
        foreach (var arg in args) command.Parameters.Add(new NpgsqlParameter { Value = arg ?? DBNull.Value });
        _commands.Add(command);
    }

    /// <summary>Adds <paramref name="delta"/> to <c>{table}.{column}</c> of the row whose uuid <c>id</c> is <paramref name="id"/>.</summary>
    public void Increment(string table, string column, Guid id, int delta = 1)
    {
        if (!_counters.TryGetValue((table, column), out var byId)) _counters[(table, column)] = byId = [];
        byId[id] = byId.GetValueOrDefault(id) + delta;
        _sinceMark.Add((table, column, id, delta));
    }

    /// <summary>Remembers where the next event's writes start.</summary>
    internal void Mark()
    {
        _markedCommands = _commands.Count;
        _sinceMark.Clear();
    }

    /// <summary>Drops what was queued since <see cref="Mark"/> (the event failed half-way).</summary>
    internal void UndoToMark()
    {
        _commands.RemoveRange(_markedCommands, _commands.Count - _markedCommands);
        foreach (var (table, column, id, delta) in _sinceMark) _counters[(table, column)][id] -= delta;
        _sinceMark.Clear();
    }

    internal bool IsEmpty => _commands.Count == 0 && _counters.Count == 0;

    internal async Task FlushAsync(NpgsqlConnection connection, NpgsqlTransaction tx, CancellationToken ct)
    {
        foreach (var ((table, column), byId) in _counters)
        {
            var command = new NpgsqlBatchCommand(
                $"update {_tables.Physical(table)} t set {column} = t.{column} + d.delta from unnest($1::uuid[], $2::int[]) as d(id, delta) where t.id = d.id");
            command.Parameters.Add(new NpgsqlParameter { Value = byId.Keys.ToArray() });
            command.Parameters.Add(new NpgsqlParameter { Value = byId.Values.ToArray() });
            _commands.Add(command);
        }
        _counters.Clear();
        if (_commands.Count == 0) return;
        await using var batch = new NpgsqlBatch(connection, tx);
        foreach (var c in _commands) batch.BatchCommands.Add(c);
        _commands.Clear();
        await batch.ExecuteNonQueryAsync(ct);
    }

}

/// <summary>Logical table names → physical names of one generation, and the rewritten SQL templates.</summary>
internal sealed class TableMap
{
    private readonly Dictionary<string, string> _physical;
    private readonly Dictionary<string, string> _rewritten = new(StringComparer.Ordinal);

    public TableMap(IProjection projection, int generation)
    {
        Generation = generation;
        _physical = projection.Tables.ToDictionary(t => t.Name, t => PhysicalName(t.Name, generation));
    }

    public int Generation { get; }

    public static string PhysicalName(string table, int generation) => $"{table}_g{generation}";

    public string Physical(string name) =>
        _physical.TryGetValue(name, out var p) ? p : throw new InvalidOperationException($"The projection has no table '{name}'.");

    public string Rewrite(string template)
    {
        lock (_rewritten)
        {
            if (_rewritten.TryGetValue(template, out var sql)) return sql;
            sql = template;
            foreach (var (name, physical) in _physical) sql = sql.Replace("{" + name + "}", physical, StringComparison.Ordinal);
            return _rewritten[template] = sql;
        }
    }
}
