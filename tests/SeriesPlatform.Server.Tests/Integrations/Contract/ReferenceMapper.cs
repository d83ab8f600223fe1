using SeriesPlatform.Domain;
using SeriesPlatform.EventStore;
using SeriesPlatform.Server.Feed;

namespace SeriesPlatform.Server.Tests.Integrations.Contract;

/// <summary>What an edition stream's later events need from its first one: the series and the time zone.</summary>
public sealed record EditionInfo(string Series, string TimeZone);

/// <summary>An internal event as integrations see it: type, series, edition, subject and typed data.</summary>
public sealed record PublicEvent(string Type, string Series, Guid? EditionId, string Subject, object Data, string? Source = null);

/// <summary>
/// The public contract as it was first written: from deserialized internal events to typed public
/// records, field by field. The server's PublicEventMapper now writes the same JSON straight from
/// the stored events (for speed); ContractTests holds it to this model, output for output.
/// </summary>
public static class ReferenceMapper
{
    public static PublicEvent? Map(RecordedEvent e, EditionInfo? edition)
    {
        if (e.StreamId == "people")
            return e.Data is PeopleMerged m
                ? new PublicEvent(PublicTypes.PeopleMerged, "", null, $"people/{m.TargetPersonId}", new PeopleMergedV1(m.SourcePersonId, m.TargetPersonId), "/api/people")
                : null;
        if (e.StreamId.StartsWith("series-", StringComparison.Ordinal))
        {
            var slug = e.StreamId["series-".Length..];
            PublicEvent InSeries(string type, object data) => new(type, slug, null, $"series/{slug}", data);
            return e.Data switch
            {
                SeriesCreated s => InSeries(PublicTypes.SeriesCreated, new SeriesCreatedV1(s.Slug, s.Name, s.Description)),
                SeriesRevised r => InSeries(PublicTypes.SeriesRevised, new SeriesRevisedV1(slug, r.Name, r.Description, Links(r.Links), r.CodeOfConduct)),
                SeriesOrganizerAdded o => InSeries(PublicTypes.SeriesOrganizerAdded,
                    new SeriesOrganizerAddedV1(slug, new PublicPerson(o.PersonName, o.Affiliation, o.Orcid), o.Role)),
                _ => null,
            };
        }
        if (EditionIdOf(e.StreamId) is not { } id) return null;
        if (e.Data is EditionPlanned planned) edition = new EditionInfo(planned.SeriesSlug, planned.TimeZone);
        if (edition is null) return null;
        var series = edition.Series;
        var zone = edition.TimeZone;
        var subject = $"editions/{id}";

        PublicEvent Edition(string type, object data) => new(type, series, id, subject, data);
        PublicEvent Item(string type, string kind, Guid itemId, object data) => new(type, series, id, $"{subject}/{kind}/{itemId}", data);

        return e.Data switch
        {
            EditionPlanned p => Edition(PublicTypes.EditionPlanned, new EditionPlannedV1(id, series, p.Title, p.StartDate, p.EndDate, p.Year,
                p.TimeZone, Format(p.Format), p.Venue is { } v ? new PublicVenue(v.Name, v.City, v.Country) : null, p.Capacity, p.PlannedFrom)),
            EditionRescheduled r => Edition(PublicTypes.EditionRescheduled, new EditionRescheduledV1(id, series, r.StartDate, r.EndDate)),
            EditionAnnounced a => Edition(PublicTypes.EditionAnnounced, new EditionChangedV1(id, series, a.At)),
            EditionRegistrationOpened o => Edition(PublicTypes.RegistrationOpened, new EditionChangedV1(id, series, o.At)),
            EditionRegistrationClosed c => Edition(PublicTypes.RegistrationClosed, new EditionChangedV1(id, series, c.At)),
            EditionCancelled c => Edition(PublicTypes.EditionCancelled, new EditionCancelledV1(id, series, c.Reason, c.At)),
            EditionConcluded c => Edition(PublicTypes.EditionConcluded, new EditionChangedV1(id, series, c.At)),

            EditionOrganizerAdded o => Edition(PublicTypes.EditionOrganizerAdded,
                new EditionOrganizerAddedV1(id, series, new PublicPerson(o.PersonName, o.Affiliation, o.Orcid))),
            AgendaPublished a => Edition(PublicTypes.AgendaPublished, new AgendaPublishedV1(id, series, a.Version, a.Note, a.At,
                a.Changes.Select(c => new AgendaChangeV1(Camel(c.Change.ToString()), c.ItemId, Camel(c.Kind.ToString()), c.Title, c.StartLocal, c.Room,
                    c.PreviousTitle, c.PreviousStartLocal, c.PreviousRoom)).ToList())),
            PosterSubmitted p => Item(PublicTypes.PosterSubmitted, "posters", p.PosterId, new PosterSubmittedV1(id, series, p.PosterId, p.SessionId,
                p.Title, People(p.Authors), p.Abstract, Links(p.Links))),
            PosterPrizeAwarded p => Item(PublicTypes.PosterPrizeAwarded, "posters", p.PosterId, new PosterPrizeAwardedV1(id, series, p.PosterId, p.Prize)),

            TalkScheduled t => Item(PublicTypes.TalkScheduled, "talks", t.TalkId, new TalkScheduledV1(id, series, t.TalkId, TalkKindName(t.Kind),
                t.Title, t.Title is null, t.Abstract, People(t.Speakers), t.Day, t.StartLocal, t.StartUtc, t.EndUtc, t.DurationMinutes, t.Room, zone)),
            TalkRescheduled r => Item(PublicTypes.TalkRescheduled, "talks", r.TalkId, new TalkRescheduledV1(id, series, r.TalkId, r.Day, r.StartLocal,
                r.StartUtc, r.EndUtc, r.DurationMinutes, r.Room, zone)),
            TalkDetailsRevised r => Item(PublicTypes.TalkRevised, "talks", r.TalkId,
                new TalkRevisedV1(id, series, r.TalkId, r.Title, r.Abstract, r.Speakers is null ? null : People(r.Speakers))),
            TalkCancelled c => Item(PublicTypes.TalkCancelled, "talks", c.TalkId, new TalkCancelledV1(id, series, c.TalkId, c.Reason)),
            BreakScheduled b => Item(PublicTypes.BreakScheduled, "items", b.ItemId, new BreakScheduledV1(id, series, b.ItemId, BreakKindName(b.Kind),
                b.Label, b.Day, b.StartLocal, b.StartUtc, b.EndUtc, b.DurationMinutes, b.Room, zone)),
            PosterSessionScheduled p => Item(PublicTypes.PosterSessionScheduled, "items", p.ItemId, new PosterSessionScheduledV1(id, series, p.ItemId,
                p.Title, p.SignupUrl, p.Day, p.StartLocal, p.StartUtc, p.EndUtc, p.DurationMinutes, p.Room, zone)),

            BreakoutOpened b => Item(PublicTypes.BreakoutOpened, "breakouts", b.BreakoutId, new BreakoutOpenedV1(id, series, b.BreakoutId, b.Topic,
                b.Facilitator is { } f ? Person(f) : null, b.Capacity, b.StartUtc, b.EndUtc, b.Room)),
            BreakoutClosed b => Item(PublicTypes.BreakoutClosed, "breakouts", b.BreakoutId, new BreakoutClosedV1(id, series, b.BreakoutId, b.At)),

            AttendeeRegistered r => Attendee(PublicTypes.AttendeeRegistered, r.RegistrationId, "registered", r.At),
            AttendeeWaitlisted w => Attendee(PublicTypes.AttendeeWaitlisted, w.RegistrationId, "waitlisted", w.At),
            WaitlistedAttendeePromoted p => Attendee(PublicTypes.AttendeePromoted, p.RegistrationId, "registered", p.At),
            AttendeeCheckedIn c => Attendee(PublicTypes.AttendeeCheckedIn, c.RegistrationId, "checkedIn", c.At),
            RegistrationCancelled c => Item(PublicTypes.RegistrationCancelled, "registrations", c.RegistrationId,
                new RegistrationCancelledV1(id, series, c.RegistrationId, "cancelled", c.HeldSeat, c.At)),
            _ => null,
        };

        PublicEvent Attendee(string type, Guid registrationId, string status, DateTimeOffset at) =>
            Item(type, "registrations", registrationId, new AttendeeStatusV1(id, series, registrationId, status, at));
    }

    /// <summary>Edition streams are named <c>edition-{id:N}</c> (see Commands/Aggregates).</summary>
    public static Guid? EditionIdOf(string streamId) =>
        streamId.StartsWith("edition-", StringComparison.Ordinal) && Guid.TryParseExact(streamId.AsSpan("edition-".Length), "N", out var id) ? id : null;

    private static IReadOnlyList<PublicLink>? Links(IReadOnlyList<Link>? links) => links?.Select(l => new PublicLink(l.Label, l.Url)).ToList();
    private static string Camel(string name) => char.ToLowerInvariant(name[0]) + name[1..];

    private static IReadOnlyList<PublicPerson> People(IReadOnlyList<SpeakerRef> people) => people.Select(Person).ToList();
    private static PublicPerson Person(SpeakerRef p) => new(p.Name, p.Affiliation, p.Orcid);

    // Public enum spellings are fixed here, not derived from internal enum names.
    private static string Format(EditionFormat f) => f switch
    {
        EditionFormat.InPerson => "inPerson",
        EditionFormat.Virtual => "virtual",
        EditionFormat.Hybrid => "hybrid",
        _ => "other",
    };

    private static string TalkKindName(TalkKind k) => k switch
    {
        TalkKind.Invited => "invited",
        TalkKind.Contributed => "contributed",
        TalkKind.Keynote => "keynote",
        TalkKind.Remarks => "remarks",
        TalkKind.Panel => "panel",
        TalkKind.Discussion => "discussion",
        TalkKind.Hackathon => "hackathon",
        TalkKind.Lightning => "lightning",
        _ => "other",
    };

    private static string BreakKindName(BreakKind k) => k switch
    {
        BreakKind.Coffee => "coffee",
        BreakKind.Lunch => "lunch",
        BreakKind.Breakfast => "breakfast",
        BreakKind.Dinner => "dinner",
        BreakKind.Reception => "reception",
        _ => "other",
    };
}

/// <summary>The CloudEvent envelope as it was first written, around a <see cref="ReferenceMapper"/> event.</summary>
public static class ReferenceCloudEvent
{
    public static string Write(RecordedEvent e, PublicEvent mapped)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(1024);
        using (var writer = new System.Text.Json.Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("specversion", "1.0");
            writer.WriteString("id", e.EventId);
            writer.WriteString("source", mapped.Source ?? $"/api/series/{mapped.Series}");
            writer.WriteString("type", mapped.Type);
            writer.WriteString("subject", mapped.Subject);
            writer.WriteString("time", e.RecordedAt.ToUniversalTime());
            writer.WriteString("datacontenttype", "application/json");
            writer.WriteString("cursor", e.Cursor.ToString());
            writer.WritePropertyName("data");
            System.Text.Json.JsonSerializer.Serialize(writer, mapped.Data, mapped.Data.GetType(), PublicJson.Default.Options);
            writer.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
