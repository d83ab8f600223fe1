using SeriesPlatform.Domain;
using SeriesPlatform.EventStore;
using SeriesPlatform.EventStore.Projections;
using static SeriesPlatform.Server.History.HistoryNames;

namespace SeriesPlatform.Server.History;

/// <summary>
/// Full-text search over talks (title, abstract, speakers), posters and breakout topics of every
/// edition. The tsvector is a generated column, weighted: titles and names A, topics B, abstracts C.
/// </summary>
public sealed class SearchProjection : IProjection
{
    public string Name => "history_search";

    public IReadOnlyCollection<string>? EventTypes { get; } =
    [
        Event<EditionPlanned>(), Event<EditionRescheduled>(), Event<TalkScheduled>(), Event<TalkRescheduled>(), Event<TalkDetailsRevised>(),
        Event<TalkCancelled>(), Event<PosterSubmitted>(), Event<BreakoutOpened>(),
    ];

    public IReadOnlyList<ProjectionTable> Tables { get; } =
    [
        new("hist_search_docs", """
            id uuid primary key, edition_id uuid not null, kind text not null, talk_kind text, title text, abstract text,
            speakers text, topics text, day date, cancelled boolean not null default false,
            tsv tsvector generated always as (
                setweight(to_tsvector('english', coalesce(title, '')), 'A') ||
                setweight(to_tsvector('english', coalesce(speakers, '')), 'A') ||
                setweight(to_tsvector('english', coalesce(topics, '')), 'B') ||
                setweight(to_tsvector('english', coalesce(abstract, '')), 'C')) stored
            """, "create index on {table} using gin (tsv)", "create index on {table} (edition_id)"),
        new("hist_search_editions", "id uuid primary key, series_slug text not null, title text not null, start_date date, year int"),
    ];

    public void Apply(RecordedEvent e, ProjectionBatch b)
    {
        switch (e.Data)
        {
            case EditionPlanned x:
                b.Execute("""
                    insert into {hist_search_editions} (id, series_slug, title, start_date, year) values ($1, $2, $3, $4::date, $5::int)
                    on conflict (id) do nothing
                    """, x.EditionId, x.SeriesSlug, x.Title, x.StartDate, x.Year);
                break;
            case EditionRescheduled x:
                b.Execute("update {hist_search_editions} set start_date = $2, year = $3 where id = $1", EditionOf(e.StreamId), x.StartDate, x.Year);
                break;
            case TalkScheduled x:
                Doc(b, x.TalkId, EditionOf(e.StreamId), "talk", Camel(x.Kind), x.Title, x.Abstract ?? x.Description, Speakers(x.Speakers), null, x.Day);
                break;
            case TalkRescheduled x:
                b.Execute("update {hist_search_docs} set day = $2 where id = $1", x.TalkId, x.Day);
                break;
            case TalkDetailsRevised x:
                b.Execute("""
                    update {hist_search_docs} set title = coalesce($2::text, title), abstract = coalesce($3::text, abstract),
                           speakers = coalesce($4::text, speakers) where id = $1
                    """, x.TalkId, x.Title, x.Abstract, x.Speakers is null ? null : Speakers(x.Speakers));
                break;
            case TalkCancelled x:
                b.Execute("update {hist_search_docs} set cancelled = true where id = $1", x.TalkId);
                break;
            case PosterSubmitted x:
                Doc(b, x.PosterId, EditionOf(e.StreamId), "poster", null, x.Title, x.Abstract, Speakers(x.Authors), null, null);
                break;
            case BreakoutOpened x:
                Doc(b, x.BreakoutId, EditionOf(e.StreamId), "breakout", null, x.Topic, x.Description,
                    x.Facilitator is { } f ? Speakers([f]) : null, string.Join("; ", x.Topics ?? []),
                    x.StartLocal is { } l ? DateOnly.FromDateTime(l) : null);
                break;
        }
    }

    private static string Speakers(IEnumerable<SpeakerRef> people) =>
        string.Join("; ", people.Select(p => p.Affiliation is { Length: > 0 } a ? $"{p.Name} ({a})" : p.Name));

    private static void Doc(ProjectionBatch b, Guid id, Guid edition, string kind, string? talkKind, string? title, string? text,
        string? speakers, string? topics, DateOnly? day) =>
        b.Row("""
            insert into {hist_search_docs} (id, edition_id, kind, talk_kind, title, abstract, speakers, topics, day)
            select id, edition_id, kind, talk_kind, title, abstract, speakers, topics, day
            from unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::date[])
                 with ordinality as r(id, edition_id, kind, talk_kind, title, abstract, speakers, topics, day, ord)
            order by ord
            on conflict (id) do nothing
            """, id, edition, kind, talkKind, title, text, speakers, topics, day);
}
