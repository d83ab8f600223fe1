using System.Text;
using Npgsql;

namespace SeriesPlatform.Server.History;

/// <summary>Read-model queries answer with their rows as JSON objects (snake_case columns become camelCase fields).</summary>
internal static class Rows
{
    public static async Task<List<Dictionary<string, object?>>> QueryAsync(NpgsqlDataSource db, string sql, CancellationToken ct, params object?[] args)
    {
        await using var cmd = db.CreateCommand(sql);
        foreach (var a in args) cmd.Parameters.Add(new NpgsqlParameter { Value = a ?? DBNull.Value });
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        var names = Enumerable.Range(0, reader.FieldCount).Select(i => Camel(reader.GetName(i))).ToArray();
        var rows = new List<Dictionary<string, object?>>();
        while (await reader.ReadAsync(ct))
        {
            var row = new Dictionary<string, object?>(names.Length);
            for (var i = 0; i < names.Length; i++)
                row[names[i]] = reader.IsDBNull(i) ? null : reader.GetFieldType(i) == typeof(DateTime) && reader.GetDataTypeName(i) == "date"
                    ? DateOnly.FromDateTime(reader.GetDateTime(i)) : reader.GetValue(i);
            rows.Add(row);
        }
        return rows;
    }

    private static string Camel(string snake)
    {
        var sb = new StringBuilder(snake.Length);
        var upper = false;
        foreach (var c in snake)
        {
            if (c == '_') { upper = true; continue; }
            sb.Append(upper ? char.ToUpperInvariant(c) : c);
            upper = false;
        }
        return sb.ToString();
    }
}
