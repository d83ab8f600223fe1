using SeriesPlatform.Domain;
using SeriesPlatform.EventStore;
using SeriesPlatform.EventStore.Projections;
using static SeriesPlatform.Server.History.HistoryNames;

namespace SeriesPlatform.Server.History;

/// <summary>
/// Series catalog and timeline: every edition with dates, place, zone and counts of talks,
/// posters, breakouts and attendees. Attendees are only counted: no name or email enters it.
/// </summary>
public sealed class CatalogProjection : IProjection
{
    public string Name => "history_catalog";

    public IReadOnlyCollection<string>? EventTypes { get; } =
    [
        Event<SeriesCreated>(), Event<SeriesRevised>(), Event<EditionPlanned>(), Event<EditionRescheduled>(), Event<EditionAnnounced>(),
        Event<EditionCancelled>(), Event<EditionConcluded>(), Event<TalkScheduled>(), Event<TalkCancelled>(), Event<PosterSubmitted>(),
        Event<BreakoutOpened>(), Event<AttendeeRegistered>(), Event<RegistrationCancelled>(), Event<WaitlistedAttendeePromoted>(),
    ];

    public IReadOnlyList<ProjectionTable> Tables { get; } =
    [
        new("hist_series", "slug text primary key, name text not null, description text"),
        new("hist_editions", """
            id uuid primary key, series_slug text not null, title text not null, start_date date, end_date date, year int,
            dates_as_stated text, time_zone text not null, venue text, city text, country text, format text not null,
            status text not null, planned_from uuid,
            talks int not null default 0, posters int not null default 0, breakouts int not null default 0, attendees int not null default 0
            """, "create index on {table} (series_slug, start_date)"),
        // Which agenda items are talks, so that cancelling a break does not decrement the talk count.
        new("hist_catalog_talks", "id uuid primary key, edition_id uuid not null, cancelled boolean not null default false"),
    ];

    public void Apply(RecordedEvent e, ProjectionBatch b)
    {
        switch (e.Data)
        {
            case SeriesCreated x:
                b.Execute("""
                    insert into {hist_series} (slug, name, description) values ($1, $2, $3::text)
                    on conflict (slug) do update set name = excluded.name, description = excluded.description
                    """, x.Slug, x.Name, x.Description);
                break;
            case SeriesRevised x:
                b.Execute("update {hist_series} set name = coalesce($2::text, name), description = coalesce($3::text, description) where slug = $1",
                    SeriesOf(e.StreamId), x.Name, x.Description);
                break;
            case EditionPlanned x:
                b.Execute("""
                    insert into {hist_editions} (id, series_slug, title, start_date, end_date, year, dates_as_stated, time_zone, venue, city, country,
                                                 format, status, planned_from)
                    values ($1, $2, $3, $4::date, $5::date, $6::int, $7::text, $8, $9::text, $10::text, $11::text, $12, 'planned', $13::uuid)
                    on conflict (id) do nothing
                    """, x.EditionId, x.SeriesSlug, x.Title, x.StartDate, x.EndDate, x.Year, x.DatesAsStated, x.TimeZone,
                    x.Venue?.Name, x.Venue?.City, x.Venue?.Country, x.FormatStated ? Camel(x.Format) : "unknown", x.PlannedFrom);
                break;
            case EditionRescheduled x:
                b.Execute("update {hist_editions} set start_date = $2, end_date = $3, year = $4 where id = $1",
                    EditionOf(e.StreamId), x.StartDate, x.EndDate, x.Year);
                break;
            case EditionAnnounced: Status(b, e, "announced"); break;
            case EditionCancelled: Status(b, e, "cancelled"); break;
            case EditionConcluded: Status(b, e, "concluded"); break;
            case TalkScheduled x:
                b.Row("""
                    insert into {hist_catalog_talks} (id, edition_id) select * from unnest($1::uuid[], $2::uuid[]) on conflict (id) do nothing
                    """, x.TalkId, EditionOf(e.StreamId));
                b.Increment("hist_editions", "talks", EditionOf(e.StreamId));
                break;
            case TalkCancelled x:
                b.Execute("""
                    with c as (update {hist_catalog_talks} set cancelled = true where id = $1 and not cancelled returning edition_id)
                    update {hist_editions} e set talks = e.talks - 1 from c where e.id = c.edition_id
                    """, x.TalkId);
                break;
            case PosterSubmitted: b.Increment("hist_editions", "posters", EditionOf(e.StreamId)); break;
            case BreakoutOpened: b.Increment("hist_editions", "breakouts", EditionOf(e.StreamId)); break;
            case AttendeeRegistered or WaitlistedAttendeePromoted: b.Increment("hist_editions", "attendees", EditionOf(e.StreamId)); break;
            case RegistrationCancelled { HeldSeat: true }: b.Increment("hist_editions", "attendees", EditionOf(e.StreamId), -1); break;
        }
    }

    private static void Status(ProjectionBatch b, RecordedEvent e, string status) =>
        b.Execute("update {hist_editions} set status = $2 where id = $1", EditionOf(e.StreamId), status);
}
