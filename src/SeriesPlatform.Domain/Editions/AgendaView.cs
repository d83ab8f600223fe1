namespace SeriesPlatform.Domain;

/// <summary>
/// The agenda as people read it: days in date order, each with its items by start time then
/// stated order (untimed items of a day after the timed ones), and items without a day apart.
/// Cancelled items are left out. Pure and JSON-friendly.
/// </summary>
public sealed record AgendaView(Guid EditionId, string Title, string TimeZone, IReadOnlyList<AgendaDay> Days, IReadOnlyList<AgendaEntry> Unscheduled)
{
    public static AgendaView Build(EditionState s)
    {
        var active = s.Items.Values.Where(i => !i.Cancelled).ToList();
        var days = active.Where(i => i.Day is not null)
            .GroupBy(i => i.Day!.Value)
            .OrderBy(g => g.Key)
            .Select(g => new AgendaDay(g.Key, g
                .OrderBy(i => i.StartLocal is null)
                .ThenBy(i => i.StartLocal)
                .ThenBy(i => i.Order)
                .Select(i => AgendaEntry.From(i, s.TimeZone)).ToList()))
            .ToList();
        var unscheduled = active.Where(i => i.Day is null).OrderBy(i => i.Order).Select(i => AgendaEntry.From(i, s.TimeZone)).ToList();
        return new AgendaView(s.Id, s.Title, s.TimeZone, days, unscheduled);
    }
}

public sealed record AgendaDay(DateOnly Date, IReadOnlyList<AgendaEntry> Items);

public sealed record AgendaEntry(
    Guid Id, AgendaItemKind Kind, TalkKind? TalkKind, BreakKind? BreakKind, string? Title, bool DetailsToCome,
    string? Abstract, IReadOnlyList<SpeakerRef> Speakers, string? Room, string? SignupUrl,
    DateTime? StartLocal, DateTime? EndLocal, DateTimeOffset? StartUtc, DateTimeOffset? EndUtc, int Order, int Revision, bool Cancelled = false)
{
    public static AgendaEntry From(AgendaItem i, string zone) => new(
        i.Id, i.Kind, i.TalkKind, i.BreakKind, i.Title, i.DetailsToCome, i.Abstract, [.. i.Speakers], i.Room, i.SignupUrl,
        i.StartLocal, i.EndUtc is { } end ? WallClock.ToLocal(end, zone) : null, i.StartUtc, i.EndUtc, i.Order, i.Revision, i.Cancelled);
}
