using System.Security.Cryptography;

namespace SeriesPlatform.Domain;

/// <summary>
/// Plans the next edition from this one: same zone, venue, format, capacity, description, links,
/// code of conduct, daily hours and parts (shifted); dates shifted to <see cref="NewStartDate"/>;
/// every active agenda item and every breakout copied at the same local wall-clock time on the
/// shifted day (UTC recomputed, so DST differences are absorbed). Talks become open slots: kind,
/// room and duration kept, title (details to come) and speakers cleared. Breakouts keep their
/// topics, links, capacity and room, not their facilitator or participants. People are not copied
/// (speakers, facilitators, organizers): who runs the next edition is added as it becomes known.
/// Decide runs on the PREVIOUS edition and returns the events of the NEW edition's stream.
/// </summary>
public sealed record PlanNextEdition(Guid NewEditionId, DateOnly NewStartDate, string? Title = null) : ICommand<EditionState>
{
    public IReadOnlyDictionary<string, string[]> Validate()
    {
        var v = new Validator();
        v.Id("newEditionId", NewEditionId);
        // Named as the request names it (startDate).
        v.Date("startDate", NewStartDate);
        if (Title is not null) v.Required("title", Title, Validator.MaxTitle);
        return v.Result;
    }

    public IReadOnlyList<object> Decide(EditionState previous, DateTimeOffset now)
    {
        previous.EnsureExists();
        if (previous.StartDate is not { } oldStart || previous.EndDate is not { } oldEnd)
            throw new RuleViolation("edition-without-dates", "The previous edition has no exact dates to shift from.");
        if (NewEditionId == previous.Id) throw new RuleViolation("already-exists", "The new edition needs a new id.", "newEditionId");
        var shift = NewStartDate.DayNumber - oldStart.DayNumber;
        if (oldEnd.DayNumber + shift > Validator.MaxDate.DayNumber)
            throw new RuleViolation("dates-out-of-range", $"The new edition would end after {Validator.MaxDate:yyyy-MM-dd}.", "startDate");

        var next = new EditionState();
        var events = new List<object>();
        void Emit(object e) { events.Add(e); next.Evolve(e); }

        Emit(new EditionPlanned(NewEditionId, previous.SeriesSlug, Title?.Trim() ?? NextTitle(previous.Title, oldStart.Year, NewStartDate.Year),
            NewStartDate, oldEnd.AddDays(shift), NewStartDate.Year, null, [], previous.TimeZone, previous.Venue,
            previous.Format, previous.Capacity, previous.VirtualMeetingUrl, previous.Id,
            Number: previous.Number + 1, Description: previous.Description, Links: [.. previous.Links], CodeOfConduct: previous.CodeOfConduct,
            Parts: [.. previous.Parts.Select(p => p with { StartDate = p.StartDate.AddDays(shift), EndDate = p.EndDate.AddDays(shift) })],
            DailyStart: previous.DailyStart, DailyEnd: previous.DailyEnd,
            TitleStated: Title is not null || previous.TitleStated, TimeZoneStated: previous.TimeZoneStated, FormatStated: previous.FormatStated));

        foreach (var item in previous.Items.Values.Where(i => !i.Cancelled).OrderBy(i => i.Order))
        {
            var id = DerivedId(NewEditionId, item.Id);
            // Same wall clock, shifted day; Slot.Place recomputes UTC in the zone and re-checks the rules.
            var slot = Slot.Place(next, id, item.Day?.AddDays(shift), item.StartLocal?.AddDays(shift), item.DurationMinutes, item.Room);
            Emit(item.Kind switch
            {
                AgendaItemKind.Talk => new TalkScheduled(id, item.TalkKind ?? TalkKind.Other, null, null, [],
                    slot.Day, slot.StartLocal, slot.DurationMinutes, slot.Room, slot.StartUtc, slot.EndUtc, next.NextOrder),
                AgendaItemKind.Break => new BreakScheduled(id, item.BreakKind ?? BreakKind.Other, item.Title,
                    slot.Day, slot.StartLocal, slot.DurationMinutes, slot.Room, slot.StartUtc, slot.EndUtc, next.NextOrder),
                _ => new PosterSessionScheduled(id, item.Title, null,
                    slot.Day, slot.StartLocal, slot.DurationMinutes, slot.Room, slot.StartUtc, slot.EndUtc, next.NextOrder),
            });
        }
        // Breakouts go through their own command's rules, as if opened anew in the new edition.
        foreach (var b in previous.Breakouts.Values.OrderBy(b => b.StartUtc ?? DateTimeOffset.MaxValue).ThenBy(b => b.Topic, StringComparer.Ordinal).ThenBy(b => b.Id))
            foreach (var e in new OpenBreakout(DerivedId(NewEditionId, b.Id), b.Topic, null, b.Capacity, b.Links, b.StartLocal?.AddDays(shift),
                b.DurationMinutes, b.Topics, b.Description, null, b.Room).Decide(next, now))
                Emit(e);
        return events;
    }

    /// <summary>"Deep Learning and Physics 2018" becomes "... 2019"; titles without the year stay as they are.</summary>
    private static string NextTitle(string title, int oldYear, int newYear) =>
        title.Replace(oldYear.ToString(), newYear.ToString(), StringComparison.Ordinal);

    /// <summary>Deterministic item ids (Decide stays pure and retries give the same ids).</summary>
    public static Guid DerivedId(Guid edition, Guid item)
    {
        Span<byte> input = stackalloc byte[32];
        edition.TryWriteBytes(input[..16]);
        item.TryWriteBytes(input[16..]);
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(input, hash);
        hash[7] = (byte)((hash[7] & 0x0F) | 0x50); // version 5-style (name-based)
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80); // RFC 4122 variant
        return new Guid(hash[..16]);
    }
}
