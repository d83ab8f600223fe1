using System.Text.Json;
using Npgsql;
using SeriesPlatform.Server.Auth;
using SeriesPlatform.Server.Commands;
using SeriesPlatform.Server.Infrastructure;

namespace SeriesPlatform.Server.History;

/// <summary>
/// Every change to an edition: what, who (actor), when, from which command, with its provenance.
/// Read straight from the edition's stream — the log is the audit trail, indexed by stream, and
/// exact up to the last commit. Attendees' personal data is cut out of the event bodies here.
/// </summary>
public static class AuditEndpoints
{
    private static readonly string[] PersonalTypes = ["attendee.registered", "attendee.waitlisted", "breakout.joined"];

    public static void MapAudit(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/editions/{id:guid}/history", async (Guid id, long? after, int? limit, NpgsqlDataSource db, CancellationToken ct) =>
        {
            var take = limit ?? 200;
            if (take is < 1 or > 1000) throw ValidationFailed.One("limit", "limit is between 1 and 1000.");
            if (after is < 0) throw ValidationFailed.One("after", "after is a stream version (0 or more).");
            var stream = Aggregates.EditionStream(id);
            await using var cmd = db.CreateCommand("""
                select stream_version, position, type,
                       (case when type = any($4) then data - 'name' - 'email' - 'participantName' - 'affiliation' else data end)::text,
                       metadata::text, recorded_at
                from events where stream_id = $1 and stream_version > $2 order by stream_version limit $3
                """);
            cmd.Parameters.AddWithValue(stream);
            cmd.Parameters.AddWithValue(after ?? 0);
            cmd.Parameters.AddWithValue(take);
            cmd.Parameters.AddWithValue(PersonalTypes);
            var changes = new List<object>();
            await using (var reader = await cmd.ExecuteReaderAsync(ct))
                while (await reader.ReadAsync(ct))
                {
                    using var meta = JsonDocument.Parse(reader.GetString(4));
                    string? M(string name) => meta.RootElement.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
                    changes.Add(new
                    {
                        version = reader.GetInt64(0), position = reader.GetInt64(1), type = reader.GetString(2),
                        at = reader.GetFieldValue<DateTimeOffset>(5), actor = M("actor"), command = M("command"), commandId = M("commandId"),
                        correlationId = M("correlationId"), source = M("source"),
                        data = JsonDocument.Parse(reader.GetString(3)).RootElement,
                    });
                }
            if (changes.Count == 0 && (after ?? 0) == 0) throw new NotFound($"Edition {id} does not exist.");
            return Results.Ok(new { editionId = id, changes, next = changes.Count == take ? (after ?? 0) + take : (long?)null });
        }).WithTags("History").RequireAuthorization(Policies.Historian);
    }
}
