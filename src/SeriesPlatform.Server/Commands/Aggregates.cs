using System.Text.Json;
using Npgsql;
using SeriesPlatform.Domain;

namespace SeriesPlatform.Server.Commands;

/// <summary>
/// What the command workflow needs to know about each aggregate: its stream names, how it folds,
/// and the inline read-model rows it keeps current in the same transaction as its events.
/// </summary>
public static class Aggregates
{
    public static string SeriesStream(string slug) => $"series-{slug}";
    public static string EditionStream(Guid id) => $"edition-{id:N}";

    public static string StreamType<TState>() => typeof(TState) == typeof(EditionState) ? "edition" : "series";

    public static void Evolve<TState>(TState state, object e)
    {
        switch (state)
        {
            case EditionState edition: edition.Evolve(e); break;
            case SeriesState series: series.Evolve(e); break;
            default: throw new InvalidOperationException($"{typeof(TState).Name} is not an aggregate.");
        }
    }

    public static bool Exists<TState>(TState state) => state switch
    {
        EditionState e => e.Exists,
        SeriesState s => s.Exists,
        _ => false,
    };

    public static string? SeriesOf<TState>(TState state) => state switch
    {
        EditionState e => e.SeriesSlug,
        SeriesState s => s.Slug,
        _ => null,
    };

    public static long Version<TState>(TState state) => state switch
    {
        EditionState e => e.Version,
        SeriesState s => s.Version,
        _ => 0,
    };

    public static void SetVersion<TState>(TState state, long version)
    {
        if (state is EditionState e) e.Version = version;
        else if (state is SeriesState s) s.Version = version;
    }

    /// <summary>
    /// The catalog columns a command rarely changes (an existing aggregate's row has them already):
    /// compared before and after a decision, so most commands write only the counts and the version.
    /// </summary>
    public static object? CatalogFields<TState>(TState state) => state switch
    {
        EditionState { Exists: true } e => (e.SeriesSlug, e.Title, e.StartDate, e.EndDate, e.Year, e.DatesAsStated, e.TimeZone, e.Venue, e.Format, e.Status),
        SeriesState { Exists: true } s => (s.Name, s.Description),
        _ => null,
    };

    /// <summary>
    /// Keeps the catalog rows in step with the aggregate, inside the command's transaction: the whole
    /// row when <paramref name="fieldsChanged"/> (or the aggregate is new), else its counts and version.
    /// </summary>
    public static NpgsqlBatchCommand? CatalogRow<TState>(TState state, bool fieldsChanged, JsonSerializerOptions json) => (state, fieldsChanged) switch
    {
        (SeriesState s, false) => new NpgsqlBatchCommand("update series_catalog set version = $2 where slug = $1") { Parameters = { P(s.Slug), P(s.Version) } },
        (EditionState e, false) => new NpgsqlBatchCommand("""
            update edition_catalog set talks = $2, posters = $3, breakouts = $4, attendees = $5, version = $6 where id = $1
            """)
        {
            Parameters = { P(e.Id), P(e.ActiveTalkCount), P(e.Posters.Count), P(e.Breakouts.Count), P(e.SeatsTaken), P(e.Version) },
        },
        _ => CatalogRow(state, json),
    };

    private static NpgsqlBatchCommand? CatalogRow<TState>(TState state, JsonSerializerOptions json) => state switch
    {
        SeriesState s => new NpgsqlBatchCommand("""
            insert into series_catalog (slug, name, description, version) values ($1, $2, $3, $4)
            on conflict (slug) do update set name = excluded.name, description = excluded.description, version = excluded.version
            """) { Parameters = { P(s.Slug), P(s.Name), P(s.Description), P(s.Version) } },
        EditionState e => new NpgsqlBatchCommand("""
            insert into edition_catalog (id, series_slug, title, start_date, end_date, year, dates_as_stated, time_zone, format, status,
                                         venue, talks, posters, breakouts, attendees, version)
            values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11::jsonb, $12, $13, $14, $15, $16)
            on conflict (id) do update set title = excluded.title, start_date = excluded.start_date, end_date = excluded.end_date,
                year = excluded.year, dates_as_stated = excluded.dates_as_stated, time_zone = excluded.time_zone, format = excluded.format,
                status = excluded.status, venue = excluded.venue, talks = excluded.talks, posters = excluded.posters,
                breakouts = excluded.breakouts, attendees = excluded.attendees, version = excluded.version
            """)
        {
            Parameters =
            {
                P(e.Id), P(e.SeriesSlug), P(e.Title), P(e.StartDate), P(e.EndDate), P(e.Year), P(e.DatesAsStated), P(e.TimeZone),
                P(JsonNamingPolicy.CamelCase.ConvertName(e.Format.ToString())), P(JsonNamingPolicy.CamelCase.ConvertName(e.Status.ToString())),
                P(e.Venue is null ? null : JsonSerializer.Serialize(e.Venue, json)),
                P(e.ActiveTalkCount), P(e.Posters.Count), P(e.Breakouts.Count),
                P(e.SeatsTaken), P(e.Version),
            },
        },
        _ => null,
    };

    private static NpgsqlParameter P(object? value) => new() { Value = value ?? DBNull.Value };
}
