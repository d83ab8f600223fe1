using SeriesPlatform.Domain;
using SeriesPlatform.EventStore;
using SeriesPlatform.EventStore.Projections;
using static SeriesPlatform.Server.History.HistoryNames;

namespace SeriesPlatform.Server.History;

/// <summary>
/// People across editions: one identity per person (<see cref="HistoryNames.PersonId"/>), merged
/// only by a curator's <see cref="PeopleMerged"/>, and every appearance as speaker, organizer,
/// facilitator or poster author with the affiliation stated for that appearance. Attendees are
/// not people here: registrations never reach this model.
/// </summary>
public sealed class PeopleProjection : IProjection
{
    public string Name => "history_people";

    public IReadOnlyCollection<string>? EventTypes { get; } =
    [
        Event<EditionPlanned>(), Event<EditionRescheduled>(), Event<EditionOrganizerAdded>(), Event<SeriesOrganizerAdded>(),
        Event<TalkScheduled>(), Event<TalkRescheduled>(), Event<TalkDetailsRevised>(), Event<TalkCancelled>(),
        Event<PosterSubmitted>(), Event<BreakoutOpened>(), Event<PeopleMerged>(),
    ];

    public IReadOnlyList<ProjectionTable> Tables { get; } =
    [
        new("hist_people", "id uuid primary key, name text not null, orcid text, merged_into uuid",
            "create index on {table} (merged_into) where merged_into is not null"), // almost every row has none
        new("hist_people_items", """
            id uuid primary key, edition_id uuid not null, kind text not null, title text, day date, start_utc timestamptz,
            cancelled boolean not null default false
            """),
        new("hist_appearances", """
            id bigint generated always as identity primary key, person_id uuid not null, role text not null,
            series_slug text, edition_id uuid, item_id uuid, affiliation text
            """, "create index on {table} (person_id)", "create index on {table} (item_id)"),
        new("hist_people_editions", "id uuid primary key, series_slug text not null, title text not null, start_date date, year int"),
    ];

    // The people (the first sighting wins the spelling) and their appearances, rows in order.
    private const string AppearanceSql = """
        with r as (
            select * from unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::uuid[], $7::uuid[], $8::text[])
                with ordinality as r(person_id, name, orcid, role, series_slug, edition_id, item_id, affiliation, ord)),
        p as (insert into {hist_people} (id, name, orcid) select person_id, name, orcid from r order by ord on conflict (id) do nothing)
        insert into {hist_appearances} (person_id, role, series_slug, edition_id, item_id, affiliation)
        select person_id, role, series_slug, edition_id, item_id, affiliation from r order by ord
        """;

    public void Apply(RecordedEvent e, ProjectionBatch b)
    {
        switch (e.Data)
        {
            case EditionPlanned x:
                b.Execute("""
                    insert into {hist_people_editions} (id, series_slug, title, start_date, year) values ($1, $2, $3, $4::date, $5::int)
                    on conflict (id) do nothing
                    """, x.EditionId, x.SeriesSlug, x.Title, x.StartDate, x.Year);
                break;
            case EditionRescheduled x:
                b.Execute("update {hist_people_editions} set start_date = $2, year = $3 where id = $1", EditionOf(e.StreamId), x.StartDate, x.Year);
                break;
            case EditionOrganizerAdded x:
                Appear(b, new SpeakerRef(x.PersonName, x.Affiliation, x.Orcid), "organizer", EditionOf(e.StreamId), null);
                break;
            case SeriesOrganizerAdded x:
            {
                var slug = SeriesOf(e.StreamId);
                b.Row(AppearanceSql, PersonId(x.PersonName, x.Orcid, SeriesScope(slug)), x.PersonName.Trim(), Orcid(x.Orcid), "organizer",
                    slug, null, null, x.Affiliation);
                break;
            }
            case TalkScheduled x:
                Item(b, x.TalkId, EditionOf(e.StreamId), "talk", x.Title, x.Day, x.StartUtc);
                foreach (var s in x.Speakers) Appear(b, s, "speaker", EditionOf(e.StreamId), x.TalkId);
                break;
            case TalkRescheduled x:
                b.Execute("update {hist_people_items} set day = $2, start_utc = $3 where id = $1", x.TalkId, x.Day, x.StartUtc);
                break;
            case TalkDetailsRevised x:
                if (x.Title is not null) b.Execute("update {hist_people_items} set title = $2 where id = $1", x.TalkId, x.Title);
                if (x.Speakers is not null)
                {
                    b.Execute("delete from {hist_appearances} where item_id = $1 and role = 'speaker'", x.TalkId);
                    foreach (var s in x.Speakers) Appear(b, s, "speaker", EditionOf(e.StreamId), x.TalkId);
                }
                break;
            case TalkCancelled x:
                b.Execute("update {hist_people_items} set cancelled = true where id = $1", x.TalkId);
                break;
            case PosterSubmitted x:
                Item(b, x.PosterId, EditionOf(e.StreamId), "poster", x.Title, null, null);
                foreach (var a in x.Authors) Appear(b, a, "poster-author", EditionOf(e.StreamId), x.PosterId);
                break;
            case BreakoutOpened x:
                Item(b, x.BreakoutId, EditionOf(e.StreamId), "breakout", x.Topic, x.StartLocal is { } l ? DateOnly.FromDateTime(l) : null, x.StartUtc);
                if (x.Facilitator is { } f) Appear(b, f, "facilitator", EditionOf(e.StreamId), x.BreakoutId);
                break;
            case PeopleMerged x:
                // Everything merged into the source follows it, so merges stay one level deep.
                b.Execute("""
                    with t as (select coalesce((select merged_into from {hist_people} where id = $2), $2) as id)
                    update {hist_people} p set merged_into = t.id from t where (p.id = $1 or p.merged_into = $1) and p.id <> t.id
                    """, x.SourcePersonId, x.TargetPersonId);
                break;
        }
    }

    private static void Item(ProjectionBatch b, Guid id, Guid edition, string kind, string? title, DateOnly? day, DateTimeOffset? startUtc) =>
        b.Row("""
            insert into {hist_people_items} (id, edition_id, kind, title, day, start_utc)
            select id, edition_id, kind, title, day, start_utc
            from unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::date[], $6::timestamptz[]) with ordinality as r(id, edition_id, kind, title, day, start_utc, ord)
            order by ord
            on conflict (id) do nothing
            """, id, edition, kind, title, day, startUtc);

    private static void Appear(ProjectionBatch b, SpeakerRef person, string role, Guid edition, Guid? item)
    {
        if (string.IsNullOrWhiteSpace(person.Name)) return;
        b.Row(AppearanceSql, PersonId(person.Name, person.Orcid, EditionScope(edition)), person.Name.Trim(), Orcid(person.Orcid), role,
            null, edition, item, person.Affiliation);
    }
}
