using Npgsql;
using SeriesPlatform.Server.Infrastructure;

namespace SeriesPlatform.Server.Auth;

public static class KeyEndpoints
{
    public sealed record CreateKey(string? Name, string? Role, string? Series);
    public sealed record CreatedKey(Guid Id, string Name, string Role, string? Series, string Key);
    /// <param name="LastUsedAt">When the key was last used, to the minute (a use is recorded at most once a minute).</param>
    public sealed record KeyInfo(Guid Id, string Name, string Role, string? Series, DateTimeOffset CreatedAt, DateTimeOffset? LastUsedAt, DateTimeOffset? RevokedAt);

    public static void MapKeys(this IEndpointRouteBuilder app)
    {
        var keys = app.MapGroup("/api/keys").WithTags("Keys").RequireAuthorization(Policies.PlatformAdmin);
        keys.MapPost("/", async (CreateKey body, NpgsqlDataSource db, CancellationToken ct) =>
        {
            var created = await CreateAsync(db, body, ct);
            return TypedResults.Created($"/api/keys/{created.Id}", created);
        });
        keys.MapGet("/", async (NpgsqlDataSource db, CancellationToken ct) =>
        {
            await using var cmd = db.CreateCommand("select id, name, role, series_slug, created_at, last_used_at, revoked_at from api_keys order by created_at");
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            var list = new List<KeyInfo>();
            while (await reader.ReadAsync(ct))
                list.Add(new KeyInfo(reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3),
                    reader.GetFieldValue<DateTimeOffset>(4), reader.IsDBNull(5) ? null : reader.GetFieldValue<DateTimeOffset>(5),
                    reader.IsDBNull(6) ? null : reader.GetFieldValue<DateTimeOffset>(6)));
            return TypedResults.Ok(list);
        });
        keys.MapDelete("/{id:guid}", async (Guid id, NpgsqlDataSource db, CancellationToken ct) =>
        {
            await using var cmd = db.CreateCommand("update api_keys set revoked_at = coalesce(revoked_at, now()) where id = $1");
            cmd.Parameters.AddWithValue(id);
            return await cmd.ExecuteNonQueryAsync(ct) == 1 ? Results.NoContent() : throw new NotFound($"API key {id} does not exist.");
        });
    }

    private static async Task<bool> SeriesExistsAsync(NpgsqlDataSource db, string slug, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("select exists (select 1 from series_catalog where slug = $1)");
        cmd.Parameters.AddWithValue(slug);
        return (bool)(await cmd.ExecuteScalarAsync(ct))!;
    }

    /// <summary>Creates a key; the plain key is returned once and only its hash is kept.</summary>
    public static async Task<CreatedKey> CreateAsync(NpgsqlDataSource db, CreateKey body, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(body.Name) || body.Name.Length > 100 || body.Name.Any(char.IsControl))
            errors["name"] = ["A name of 1 to 100 characters, without control characters, is required."];
        if (body.Role is null || !Roles.All.Contains(body.Role)) errors["role"] = [$"Role must be one of: {string.Join(", ", Roles.All)}."];
        if (body.Series is not null && body.Role != Roles.Admin) errors["series"] = ["Only admin keys can be limited to a series."];
        else if (body.Series is not null && !await SeriesExistsAsync(db, body.Series, ct))
            errors["series"] = [$"There is no series '{body.Series}' (slugs are exact, lower case)."];
        LocalTimes.ThrowIfAny(errors);
        var key = ApiKeyAuthentication.NewKey();
        var id = Guid.CreateVersion7();
        await using var cmd = db.CreateCommand("insert into api_keys (id, name, role, series_slug, key_hash) values ($1, $2, $3, $4, $5)");
        cmd.Parameters.AddWithValue(id);
        cmd.Parameters.AddWithValue(body.Name!.Trim());
        cmd.Parameters.AddWithValue(body.Role!);
        cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)body.Series ?? DBNull.Value });
        cmd.Parameters.AddWithValue(ApiKeyAuthentication.Hash(key));
        await cmd.ExecuteNonQueryAsync(ct);
        return new CreatedKey(id, body.Name.Trim(), body.Role!, body.Series, key);
    }
}
