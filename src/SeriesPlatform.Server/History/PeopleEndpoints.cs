using Npgsql;
using SeriesPlatform.Domain;
using SeriesPlatform.EventStore;
using SeriesPlatform.Server.Auth;
using SeriesPlatform.Server.Infrastructure;

namespace SeriesPlatform.Server.History;

/// <summary>People across editions (historian), and the curator's merge of two identities (admin).</summary>
public static class PeopleEndpoints
{
    public const string MergeStream = "people";
    public sealed record MergeBody(Guid? SourceId, Guid? TargetId, string? Reason);

    public static void MapPeople(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/people").WithTags("History");

        group.MapGet("/", async (string? name, NpgsqlDataSource db, CancellationToken ct) =>
        {
            if (string.IsNullOrWhiteSpace(name) || name.Trim().Length < 2 || name.Length > 200)
                throw ValidationFailed.One("name", "name is required: 2 to 200 characters of the person's name.");
            // Matches any identity merged into the person too; answers with the person it was merged into.
            var people = await Rows.QueryAsync(db, """
                select c.id, c.name, c.orcid,
                       (select count(*)::int from hist_appearances a join hist_people m on m.id = a.person_id
                        where m.id = c.id or m.merged_into = c.id) as appearances
                from hist_people c
                where c.merged_into is null and exists (
                    select 1 from hist_people m where (m.id = c.id or m.merged_into = c.id)
                      and lower(m.name) like '%' || replace(replace(replace(lower($1), '\', '\\'), '%', '\%'), '_', '\_') || '%')
                order by c.name, c.id limit 100
                """, ct, name.Trim());
            return Results.Ok(people);
        }).RequireAuthorization(Policies.Historian);

        group.MapGet("/{id:guid}", async (Guid id, NpgsqlDataSource db, CancellationToken ct) =>
        {
            var person = await HistoryQueries.PersonAsync(db, id, ct) ?? throw new NotFound($"Person {id} is not in the historian read model.");
            var canonical = (Guid)person["id"]!;
            var identities = await Rows.QueryAsync(db, "select id, name, orcid from hist_people where id = $1 or merged_into = $1 order by id = $1 desc, name", ct, canonical);
            var appearances = await HistoryQueries.AppearancesAsync(db, canonical, ct);
            return Results.Ok(new { person, requestedId = id, identities, appearances });
        }).RequireAuthorization(Policies.Historian);

        group.MapPost("/merges", async (MergeBody body, HttpContext http, NpgsqlDataSource db, PostgresEventStore store, CancellationToken ct) =>
        {
            var errors = new Dictionary<string, string[]>();
            if (body.SourceId is null || body.SourceId == Guid.Empty) errors["sourceId"] = ["sourceId is required."];
            if (body.TargetId is null || body.TargetId == Guid.Empty) errors["targetId"] = ["targetId is required."];
            if (body.Reason is { Length: > 2000 }) errors["reason"] = ["reason is at most 2000 characters."];
            LocalTimes.ThrowIfAny(errors);
            var found = await Rows.QueryAsync(db, "select id, coalesce(merged_into, id) as canonical from hist_people where id = any($1)", ct,
                new[] { body.SourceId!.Value, body.TargetId!.Value });
            foreach (var (field, wanted) in new[] { ("sourceId", body.SourceId.Value), ("targetId", body.TargetId.Value) })
                if (!found.Any(r => (Guid)r["id"]! == wanted)) throw new NotFound($"Person {wanted} ({field}) is not in the historian read model.");
            var canonical = found.ToDictionary(r => (Guid)r["id"]!, r => (Guid)r["canonical"]!);
            if (canonical[body.SourceId.Value] == canonical[body.TargetId.Value])
                throw new RuleViolation("already-same-person", "These identities are one person already.", "targetId");
            var metadata = new EventMetadata(CorrelationId: http.TraceIdentifier, Actor: Http.Actor(http.User), CommandId: Guid.CreateVersion7().ToString(),
                Command: "MergePeople");
            var merged = new PeopleMerged(canonical[body.SourceId.Value], canonical[body.TargetId.Value], body.Reason);
            var result = await store.AppendAsync(MergeStream, "people", ExpectedVersion.Any, [EventData.New(merged, metadata)], ct);
            // Accepted: the read model takes the merge in asynchronously, like every historian model.
            return Results.Json(new { sourceId = merged.SourcePersonId, targetId = merged.TargetPersonId, position = result.LastPosition },
                statusCode: 202);
        }).RequireAuthorization(Policies.PlatformAdmin); // identities span every series
    }
}
