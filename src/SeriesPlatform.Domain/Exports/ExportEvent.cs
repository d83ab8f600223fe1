namespace SeriesPlatform.Domain.Exports;

/// <summary>One agenda item as every export shows it: cleaned text, local times, derived ids.</summary>
internal sealed record ExportEvent(
    Guid Id, int NumericId, string Type, string Title, string? Abstract, IReadOnlyList<SpeakerRef> Speakers,
    string? RoomAsGiven, string Room, DateOnly Day, DateTimeOffset Start, DateTimeOffset? End, int DurationMinutes,
    string? SignupUrl, int Order, int Revision)
{
    /// <summary>"Name (Affiliation)" per speaker, in the stated order.</summary>
    public IEnumerable<string> SpeakerLines => Speakers.Select(s => ExportText.Line(s.Affiliation) is { } a ? $"{s.Name} ({a})" : s.Name);

    /// <summary>
    /// The events of an edition that an export shows: active (not cancelled) items with a start
    /// time, in time order. Items without a start time cannot be placed on a calendar and are left
    /// out (the XML export names them in a comment); a cancelled edition exports no event at all.
    /// </summary>
    public static IReadOnlyList<ExportEvent> From(EditionState edition, out IReadOnlyList<Guid> untimed)
    {
        var active = edition.Items.Values.Where(i => !i.Cancelled).ToList();
        if (edition.Status == EditionStatus.Cancelled)
        {
            untimed = [];
            return [];
        }
        untimed = [.. active.Where(i => i.StartUtc is null).OrderBy(i => i.Order).ThenBy(i => i.Id).Select(i => i.Id)];
        var zone = WallClock.Zone(edition.TimeZone);
        var venue = ExportText.Line(edition.Venue?.Name);
        var used = new HashSet<int>();
        var events = new List<ExportEvent>();
        // Ids are derived in id order so that a rare collision is always resolved the same way.
        foreach (var i in active.Where(i => i.StartUtc is not null).OrderBy(i => i.Id))
        {
            var numeric = ExportText.NumericId(i.Id);
            while (!used.Add(numeric)) numeric = numeric == int.MaxValue ? 1 : numeric + 1;
            var start = TimeZoneInfo.ConvertTime(i.StartUtc!.Value, zone);
            var end = i.EndUtc is { } e ? TimeZoneInfo.ConvertTime(e, zone) : (DateTimeOffset?)null;
            var room = ExportText.Line(i.Room);
            events.Add(new ExportEvent(
                i.Id, numeric, TypeOf(i), TitleOf(i), NullIfEmpty(ExportText.Clean(i.Abstract).Trim()),
                [.. i.Speakers.Select(s => s with { Name = ExportText.Line(s.Name) ?? "?", Bio = NullIfEmpty(ExportText.Clean(s.Bio).Trim()) })],
                room, room ?? venue ?? "Main", i.Day ?? DateOnly.FromDateTime(start.DateTime), start, end,
                end is { } x ? (int)Math.Round((x - start).TotalMinutes) : 0,
                ExportText.Line(i.SignupUrl), i.Order, i.Revision));
        }
        return [.. events.OrderBy(e => e.Start).ThenBy(e => e.Order).ThenBy(e => e.Id)];
    }

    private static string? NullIfEmpty(string s) => s.Length == 0 ? null : s;

    private static string TypeOf(AgendaItem i) => i.Kind switch
    {
        AgendaItemKind.Break => "break",
        AgendaItemKind.PosterSession => "poster-session",
        _ => i.TalkKind is { } k ? k.ToString().ToLowerInvariant() : "talk",
    };

    private static string TitleOf(AgendaItem i)
    {
        if (ExportText.Line(i.Title) is { } t) return t;
        return i.Kind switch
        {
            AgendaItemKind.Talk => i.Speakers.Count == 0
                ? "Details to come"
                : "Details to come — " + string.Join(", ", i.Speakers.Select(s => ExportText.Line(s.Name) ?? "?")),
            AgendaItemKind.PosterSession => "Poster session",
            _ => i.BreakKind switch
            {
                BreakKind.Coffee => "Coffee break",
                BreakKind.Lunch => "Lunch",
                BreakKind.Breakfast => "Breakfast",
                BreakKind.Dinner => "Dinner",
                BreakKind.Reception => "Reception",
                _ => "Break",
            },
        };
    }
}
