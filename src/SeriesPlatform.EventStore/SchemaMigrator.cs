using System.Reflection;
using Npgsql;

namespace SeriesPlatform.EventStore;

/// <summary>
/// Applies the SQL files embedded under <c>Migrations/</c> of the given assemblies, in order, each
/// once. Several processes may start together: a transaction-level advisory lock makes them take
/// turns, and <c>schema_migrations</c> records what is done, so a second run changes nothing.
/// </summary>
public static class SchemaMigrator
{
    private const long LockKey = 0x5345_5249_4553; // "SERIES"

    public static async Task<IReadOnlyList<string>> MigrateAsync(NpgsqlDataSource dataSource, IEnumerable<Assembly> assemblies, CancellationToken ct = default)
    {
        var migrations = assemblies.SelectMany(Discover).ToList();
        var applied = new List<string>();
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        await Execute(connection, tx, $"select pg_advisory_xact_lock({LockKey})", ct);
        await Execute(connection, tx, """
            create table if not exists schema_migrations (
                id text primary key,
                applied_at timestamptz not null default now())
            """, ct);
        var done = new HashSet<string>();
        await using (var cmd = new NpgsqlCommand("select id from schema_migrations", connection, tx))
        await using (var reader = await cmd.ExecuteReaderAsync(ct))
            while (await reader.ReadAsync(ct)) done.Add(reader.GetString(0));

        foreach (var (id, sql) in migrations)
        {
            if (done.Contains(id)) continue;
            await Execute(connection, tx, sql, ct);
            await using var record = new NpgsqlCommand("insert into schema_migrations (id) values ($1)", connection, tx);
            record.Parameters.AddWithValue(id);
            await record.ExecuteNonQueryAsync(ct);
            applied.Add(id);
        }
        await tx.CommitAsync(ct);
        return applied;
    }

    private static IEnumerable<(string Id, string Sql)> Discover(Assembly assembly)
    {
        var prefix = assembly.GetName().Name + ".Migrations.";
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(prefix, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var reader = new StreamReader(stream);
            yield return (assembly.GetName().Name + "/" + name[prefix.Length..], reader.ReadToEnd());
        }
    }

    private static async Task Execute(NpgsqlConnection connection, NpgsqlTransaction tx, string sql, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(sql, connection, tx);
        await cmd.ExecuteNonQueryAsync(ct);
    }
}
