using SeriesPlatform.Domain;
using SeriesPlatform.Server.Commands;
using SeriesPlatform.Server.Infrastructure;
using static SeriesPlatform.Server.Pages.Html;

namespace SeriesPlatform.Server.Pages.Public;

/// <summary><c>/editions/{id}/talks/{talkId}</c>: one talk with its speakers (affiliations as they were), abstract and bios.</summary>
public static class TalkPage
{
    public static void MapTalkPage(this IEndpointRouteBuilder app) =>
        app.MapGet("/editions/{id:guid}/talks/{talkId:guid}", async (Guid id, Guid talkId, CommandHandler handler, CancellationToken ct) =>
        {
            var e = await handler.LoadAsync<EditionState>(Aggregates.EditionStream(id), ct);
            if (!e.Exists) throw new NotFound($"There is no edition {id}.");
            if (!e.Items.TryGetValue(talkId, out var item)) throw new NotFound($"Edition '{e.Title}' has no agenda item {talkId}.");
            var entry = AgendaEntry.From(item, e.TimeZone);
            var title = entry.DetailsToCome ? "Details to come" : entry.Title ?? item.Kind.ToString();
            var when = item.Day is { } day
                ? H($"{Format.Date(day, Format.DayLong(day))}, {AgendaMarkup.When(entry, item)} ({e.TimeZone})")
                : AgendaMarkup.When(entry, item);
            var bios = item.Speakers.Where(s => s.Bio is not null).Select(s => H($"<h3>{s.Name}</h3>{AgendaMarkup.Paragraphs(s.Bio!)}")).ToList();
            return new Page(title, H($"""
                <p class="meta"><a href="/editions/{e.Id}#item-{item.Id}">{e.Title}</a></p>
                <article>
                <h1>{(entry.DetailsToCome ? H($"""<span class="tbc">Details to come</span>""") : Text(title))}</h1>
                {(item.Cancelled ? H($"""<p class="notice">This item was cancelled{(item.CancellationReason is null ? "" : $": {item.CancellationReason}")}.</p>""") : Empty)}
                {AgendaMarkup.Speakers(item.Speakers)}
                <p class="meta">{when}{(item.Room is null ? "" : $" · {item.Room}")} · {Format.Place(e.Venue, e.Format, e.FormatStated)}</p>
                {(item.Abstract is null ? Empty : H($"<h2>Abstract</h2>{AgendaMarkup.Paragraphs(item.Abstract)}"))}
                {(item.Description is null ? Empty : AgendaMarkup.Paragraphs(item.Description))}
                {(bios.Count == 0 ? Empty : H($"<h2>About the speakers</h2>{bios}"))}
                {(item.Links.Count == 0 ? Empty : H($"""<ul class="exports">{item.Links.Select(l => H($"<li>{Format.Link(l)}</li>"))}</ul>"""))}
                </article>
                <p><a href="/editions/{e.Id}#item-{item.Id}">Back to the agenda</a></p>
                """));
        });
}
