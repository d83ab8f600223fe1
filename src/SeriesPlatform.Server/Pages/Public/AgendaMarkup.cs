using SeriesPlatform.Domain;
using static SeriesPlatform.Server.Pages.Html;

namespace SeriesPlatform.Server.Pages.Public;

/// <summary>
/// The agenda of an edition as people read a programme: days in order, times in the edition's
/// zone, speakers with the affiliation they had then, "Details to come" when that is the truth.
/// Built from <see cref="AgendaView"/> so the page and the API agree on order and times.
/// </summary>
public static class AgendaMarkup
{
    public static Html Days(EditionState e, AgendaView agenda)
    {
        if (agenda.Days.Count == 0 && agenda.Unscheduled.Count == 0) return H($"<p>No agenda items yet.</p>");
        var nav = agenda.Days.Count < 2 ? Empty : H($"""
            <nav class="days" aria-label="Days"><ul>{agenda.Days.Select(d => H($"""<li><a href="#day-{d.Date:yyyy-MM-dd}">{Format.DayLong(d.Date)}</a></li>"""))}</ul></nav>
            """);
        var days = agenda.Days.Select(d => H($"""
            <section aria-labelledby="day-{d.Date:yyyy-MM-dd}">
            <h2 id="day-{d.Date:yyyy-MM-dd}">{Format.Date(d.Date, Format.DayLong(d.Date))}</h2>
            <ol class="agenda">{d.Items.Select(i => Item(e, i))}</ol>
            </section>
            """));
        var unscheduled = agenda.Unscheduled.Count == 0 ? Empty : H($"""
            <section aria-labelledby="unscheduled">
            <h2 id="unscheduled">Day not yet known</h2>
            <ol class="agenda">{agenda.Unscheduled.Select(i => Item(e, i))}</ol>
            </section>
            """);
        return nav + Join(days) + unscheduled;
    }

    public static Html Item(EditionState e, AgendaEntry i)
    {
        var source = e.Items.TryGetValue(i.Id, out var it) ? it : null;
        var kindClass = i.Kind switch { AgendaItemKind.Break => "break", AgendaItemKind.PosterSession => "posters", _ => "talk" };
        return H($"""
            <li id="item-{i.Id}" class="{kindClass}">
            <p class="when">{When(i, source)}</p>
            <div class="what">{What(e, i, source)}</div>
            </li>
            """);
    }

    public static Html When(AgendaEntry i, AgendaItem? source)
    {
        if (i.StartLocal is { } start)
            return i.EndLocal is { } end ? H($"{Format.Time(start, i.StartUtc)}–{Format.Time(end, i.EndUtc)}") : Format.Time(start, i.StartUtc);
        if (source?.StartTimeOfDay is { } t)
            return Text(source.EndTimeOfDay is { } et ? $"{t:HH\\:mm}–{et:HH\\:mm}" : $"{t:HH\\:mm}");
        return H($"""<span class="tbc">Time to be announced</span>""");
    }

    private static Html What(EditionState e, AgendaEntry i, AgendaItem? source) => i.Kind switch
    {
        AgendaItemKind.Break => H($"<p>{i.Title ?? i.BreakKind?.ToString() ?? "Break"}{Room(i)}</p>"),
        AgendaItemKind.PosterSession => PosterSession(e, i, source),
        _ => Talk(e, i, source),
    };

    private static Html Talk(EditionState e, AgendaEntry i, AgendaItem? source)
    {
        var label = source?.Label ?? Format.Kind(i.TalkKind);
        var title = i.DetailsToCome
            ? H($"""<a href="/editions/{e.Id}/talks/{i.Id}" class="tbc">Details to come</a>""")
            : H($"""<a href="/editions/{e.Id}/talks/{i.Id}">{i.Title}</a>""");
        return H($"""
            {(string.IsNullOrEmpty(label) ? Empty : H($"""<p class="meta">{label}</p>"""))}
            {Speakers(i.Speakers)}
            <h3>{title}</h3>
            {(Room(i) is var r && r.ToString().Length > 0 ? H($"""<p class="meta">{r}</p>""") : Empty)}
            {Details(i.Abstract, source?.Description, i.Speakers)}
            {Links(source)}
            """);
    }

    private static Html PosterSession(EditionState e, AgendaEntry i, AgendaItem? source)
    {
        var posters = e.Posters.Values.Where(p => p.SessionId == i.Id).OrderBy(p => p.Title, StringComparer.Ordinal).ToList();
        var signup = i.SignupUrl is null ? Empty
            : H($"""<p><a href="{Format.SafeUrl(i.SignupUrl)}" rel="noopener">{source?.SignupLabel ?? "Sign up to present a poster"}</a></p>""");
        return H($"""
            <h3>{i.Title ?? "Poster session"}</h3>
            {(Room(i) is var r && r.ToString().Length > 0 ? H($"""<p class="meta">{r}</p>""") : Empty)}
            {(source?.Description is { } d ? H($"<p>{d}</p>") : Empty)}
            {signup}
            {(posters.Count == 0 ? Empty : H($"""<details><summary>{Format.Count(posters.Count, "poster", "posters")}</summary><ul>{posters.Select(Poster)}</ul></details>"""))}
            {Links(source)}
            """);
    }

    public static Html Poster(Poster p) => H($"""
        <li>{p.Title}{(p.Authors.Count == 0 ? Empty : H($" — {string.Join("; ", p.Authors.Select(SpeakerText))}"))}{(p.Prizes.Count == 0 ? Empty : H($""" <span class="badge">{string.Join(", ", p.Prizes)}</span>"""))}</li>
        """);

    public static Html Speakers(IReadOnlyList<SpeakerRef> speakers) => speakers.Count == 0 ? Empty : H($"""
        <p class="speakers">{Join(speakers.Select((s, n) => H($"""{(n > 0 ? "; " : "")}<strong>{s.Name}</strong>{(s.Affiliation is null ? Empty : H($""", <span class="affiliation">{s.Affiliation}</span>"""))}""")))}</p>
        """);

    /// <summary>Abstract and bios folded (a programme stays scannable), unfolded on paper.</summary>
    public static Html Details(string? @abstract, string? description, IReadOnlyList<SpeakerRef> speakers) => H($"""
        {(@abstract is null ? Empty : H($"<details><summary>Abstract</summary>{Paragraphs(@abstract)}</details>"))}
        {(description is null ? Empty : H($"<p>{description}</p>"))}
        {speakers.Where(s => s.Bio is not null).Select(s => H($"<details><summary>About {s.Name}</summary>{Paragraphs(s.Bio!)}</details>"))}
        """);

    public static Html Paragraphs(string text) =>
        Join(text.Split(["\r\n\r\n", "\n\n"], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(p => H($"<p>{p}</p>")));

    private static Html Links(AgendaItem? source) => source is null || source.Links.Count == 0 ? Empty
        : H($"""<ul class="exports">{source.Links.Select(l => H($"<li>{Format.Link(l)}</li>"))}</ul>""");

    private static Html Room(AgendaEntry i) => i.Room is null ? Empty : H($" · {i.Room}");

    public static string SpeakerText(SpeakerRef s) => s.Affiliation is null ? s.Name : $"{s.Name} ({s.Affiliation})";

    public static Html Breakouts(EditionState e)
    {
        if (e.Breakouts.Count == 0) return Empty;
        var list = e.Breakouts.Values.OrderBy(b => b.StartUtc).ThenBy(b => b.Topic, StringComparer.Ordinal).Select(b => H($"""
            <li id="breakout-{b.Id}">
            <h3>{b.Topic}{(b.Closed ? H($""" <span class="badge">closed</span>""") : Empty)}</h3>
            <p class="meta">{(b.StartLocal is { } s ? H($"{Format.DayShort(DateOnly.FromDateTime(s))}, {Format.Time(s, b.StartUtc)}") : Text(b.DateAsStated ?? "Time to be announced"))}{(b.Room is null ? "" : $" · {b.Room}")}{(b.Capacity is { } c ? $" · {b.Participants.Count} of {c} places taken" : "")}</p>
            {(b.Facilitator is { } f ? H($"<p>Facilitated by {SpeakerText(f)}</p>") : Empty)}
            {(b.Description is null ? Empty : H($"<p>{b.Description}</p>"))}
            {(b.Topics.Count == 0 ? Empty : H($"<ul>{b.Topics.Select(t => H($"<li>{t}</li>"))}</ul>"))}
            {(b.Links.Count == 0 ? Empty : H($"""<ul class="exports">{b.Links.Select(l => H($"<li>{Format.Link(l)}</li>"))}</ul>"""))}
            </li>
            """));
        return H($"""<section aria-labelledby="breakouts"><h2 id="breakouts">Breakouts</h2><ul class="cards">{list}</ul></section>""");
    }
}
