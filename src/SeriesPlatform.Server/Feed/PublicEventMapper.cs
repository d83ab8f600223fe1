using System.Collections.Frozen;
using System.Text.Json;
using SeriesPlatform.EventStore;
using N = SeriesPlatform.Server.Feed.PublicNames;

namespace SeriesPlatform.Server.Feed;

/// <summary>Where a public event belongs: its series (and the edition's time zone) and its edition (null for series and people events).</summary>
public readonly record struct EventScope(EditionInfo Info, Guid? EditionId);

/// <summary>
/// The explicit internal → public translation, field by field, from the stored JSON of an internal
/// event to the <c>data</c> of its public CloudEvent. Only the fields named here are copied, so
/// nothing internal leaks by accident (attendee names and emails, the virtual meeting URL, speaker
/// bios, organizer details). Internal events without a rule have no public form and are skipped.
/// The shapes are those documented in docs/integrations.md (ContractTests checks each one).
/// </summary>
public static class PublicEventMapper
{
    /// <summary>The streams public events come from: <c>series-{slug}</c>, <c>edition-{id:N}</c> and the curators' <c>people</c>.</summary>
    public enum StreamKind { Series, Edition, People }

    public delegate void DataWriter(Utf8JsonWriter writer, StoredFields data, in EventScope scope);

    /// <summary>
    /// How one internal event type becomes public: its public type, the stream it lives in, the part
    /// of the edition it is about (<paramref name="ItemKind"/>, with the id field naming the item)
    /// and the writer of its data.
    /// </summary>
    public sealed record Rule(string PublicType, StreamKind Stream, string? ItemKind, byte[]? ItemIdField, DataWriter WriteData)
    {
        public JsonEncodedText TypeText { get; } = JsonEncodedText.Encode(PublicType);
    }

    /// <summary>The rule for an internal event type name (as stored in the log), or null: not public.</summary>
    public static Rule? RuleFor(string internalType) => Rules.GetValueOrDefault(internalType);

    /// <summary>Edition streams are named <c>edition-{id:N}</c> (see Commands/Aggregates).</summary>
    public static Guid? EditionIdOf(string streamId) =>
        streamId.StartsWith("edition-", StringComparison.Ordinal) && Guid.TryParseExact(streamId.AsSpan("edition-".Length), "N", out var id) ? id : null;

    /// <summary>The stream of curators' decisions about people (History/PeopleEndpoints.MergeStream).</summary>
    public const string PeopleStream = "people";

    /// <summary>Series streams are named <c>series-{slug}</c>.</summary>
    public static string? SeriesSlugOf(string streamId) => streamId.StartsWith("series-", StringComparison.Ordinal) ? streamId["series-".Length..] : null;

    private static Rule Series(string type, DataWriter write) => new(type, StreamKind.Series, null, null, write);
    private static Rule Edition(string type, DataWriter write) => new(type, StreamKind.Edition, null, null, write);
    private static Rule Item(string type, string kind, ReadOnlySpan<byte> idField, DataWriter write) => new(type, StreamKind.Edition, kind, idField.ToArray(), write);
    private static Rule People(string type, ReadOnlySpan<byte> idField, DataWriter write) => new(type, StreamKind.People, "people", idField.ToArray(), write);

    private static readonly FrozenDictionary<string, Rule> Rules = new Dictionary<string, Rule>
    {
        ["series.created"] = Series(PublicTypes.SeriesCreated, (w, f, in s) =>
        {
            f.WriteString(w, N.Series, "slug"u8);
            f.WriteString(w, N.Name, "name"u8);
            f.WriteString(w, N.Description, "description"u8);
        }),
        // Only the changed parts are set (null = unchanged), as in the internal event.
        ["series.revised"] = Series(PublicTypes.SeriesRevised, (w, f, in s) =>
        {
            w.WriteString(N.Series, s.Info.SeriesText);
            f.WriteString(w, N.Name, "name"u8);
            f.WriteString(w, N.Description, "description"u8);
            f.WriteLinks(w, N.Links, "links"u8);
            f.WriteString(w, N.CodeOfConduct, "codeOfConduct"u8);
        }),
        // Organizers are public, as on the series page.
        ["series.organizer-added"] = Series(PublicTypes.SeriesOrganizerAdded, (w, f, in s) =>
        {
            w.WriteString(N.Series, s.Info.SeriesText);
            Organizer(w, f);
            f.WriteString(w, N.Role, "role"u8);
        }),

        ["edition.planned"] = Edition(PublicTypes.EditionPlanned, (w, f, in s) =>
        {
            EditionHeader(w, s);
            f.WriteString(w, N.Title, "title"u8);
            f.WriteDate(w, N.StartDate, "startDate"u8);
            f.WriteDate(w, N.EndDate, "endDate"u8);
            f.WriteInt(w, N.Year, "year"u8);
            f.WriteString(w, N.TimeZone, "timeZone"u8);
            f.WriteEnum(w, N.Format, "format"u8, N.EditionFormats);
            f.WriteVenue(w, N.Venue, "venue"u8);
            f.WriteInt(w, N.Capacity, "capacity"u8);
            f.WriteNullableGuid(w, N.PlannedFrom, "plannedFrom"u8);
        }),
        ["edition.rescheduled"] = Edition(PublicTypes.EditionRescheduled, (w, f, in s) =>
        {
            EditionHeader(w, s);
            f.WriteDate(w, N.StartDate, "startDate"u8, required: true);
            f.WriteDate(w, N.EndDate, "endDate"u8, required: true);
        }),
        ["edition.announced"] = Edition(PublicTypes.EditionAnnounced, EditionChanged),
        ["edition.registration-opened"] = Edition(PublicTypes.RegistrationOpened, EditionChanged),
        ["edition.registration-closed"] = Edition(PublicTypes.RegistrationClosed, EditionChanged),
        ["edition.concluded"] = Edition(PublicTypes.EditionConcluded, EditionChanged),
        ["edition.cancelled"] = Edition(PublicTypes.EditionCancelled, (w, f, in s) =>
        {
            EditionHeader(w, s);
            f.WriteString(w, N.Reason, "reason"u8);
            f.WriteInstant(w, N.At, "at"u8, required: true);
        }),

        ["edition.organizer-added"] = Edition(PublicTypes.EditionOrganizerAdded, (w, f, in s) =>
        {
            EditionHeader(w, s);
            Organizer(w, f);
        }),
        // A release of the agenda and its changelog (public, as GET /api/editions/{id}/releases).
        ["agenda.published"] = Edition(PublicTypes.AgendaPublished, (w, f, in s) =>
        {
            EditionHeader(w, s);
            f.WriteInt(w, N.Version, "version"u8);
            f.WriteString(w, N.Note, "note"u8);
            f.WriteInstant(w, N.At, "at"u8, required: true);
            f.WriteObjects(w, N.Changes, "changes"u8, static (w, c) =>
            {
                c.WriteEnum(w, N.Change, "change"u8, N.AgendaChanges);
                c.WriteGuid(w, N.ItemId, "itemId"u8);
                c.WriteEnum(w, N.Kind, "kind"u8, N.AgendaItemKinds);
                c.WriteString(w, N.Title, "title"u8);
                c.WriteLocal(w, N.StartLocal, "startLocal"u8);
                c.WriteString(w, N.Room, "room"u8);
                c.WriteString(w, N.PreviousTitle, "previousTitle"u8);
                c.WriteLocal(w, N.PreviousStartLocal, "previousStartLocal"u8);
                c.WriteString(w, N.PreviousRoom, "previousRoom"u8);
            });
        }),

        ["talk.scheduled"] = Item(PublicTypes.TalkScheduled, "talks", "talkId"u8, (w, f, in s) =>
        {
            EditionHeader(w, s);
            f.WriteGuid(w, N.TalkId, "talkId"u8);
            f.WriteEnum(w, N.Kind, "kind"u8, N.TalkKinds);
            f.WriteString(w, N.Title, "title"u8);
            w.WriteBoolean(N.DetailsToCome, f.IsNull("title"u8)); // no title yet: "details to come"
            f.WriteString(w, N.Abstract, "abstract"u8);
            f.WritePeople(w, N.Speakers, "speakers"u8, nullWhenMissing: false);
            Slot(w, f, s, required: false);
        }),
        ["talk.rescheduled"] = Item(PublicTypes.TalkRescheduled, "talks", "talkId"u8, (w, f, in s) =>
        {
            EditionHeader(w, s);
            f.WriteGuid(w, N.TalkId, "talkId"u8);
            Slot(w, f, s, required: true);
        }),
        ["talk.details-revised"] = Item(PublicTypes.TalkRevised, "talks", "talkId"u8, (w, f, in s) =>
        {
            EditionHeader(w, s);
            f.WriteGuid(w, N.TalkId, "talkId"u8);
            f.WriteString(w, N.Title, "title"u8);
            f.WriteString(w, N.Abstract, "abstract"u8);
            f.WritePeople(w, N.Speakers, "speakers"u8, nullWhenMissing: true);
        }),
        ["talk.cancelled"] = Item(PublicTypes.TalkCancelled, "talks", "talkId"u8, (w, f, in s) =>
        {
            EditionHeader(w, s);
            f.WriteGuid(w, N.TalkId, "talkId"u8);
            f.WriteString(w, N.Reason, "reason"u8);
        }),
        ["break.scheduled"] = Item(PublicTypes.BreakScheduled, "items", "itemId"u8, (w, f, in s) =>
        {
            EditionHeader(w, s);
            f.WriteGuid(w, N.ItemId, "itemId"u8);
            f.WriteEnum(w, N.Kind, "kind"u8, N.BreakKinds);
            f.WriteString(w, N.Label, "label"u8);
            Slot(w, f, s, required: false);
        }),
        ["poster-session.scheduled"] = Item(PublicTypes.PosterSessionScheduled, "items", "itemId"u8, (w, f, in s) =>
        {
            EditionHeader(w, s);
            f.WriteGuid(w, N.ItemId, "itemId"u8);
            f.WriteString(w, N.Title, "title"u8);
            f.WriteString(w, N.SignupUrl, "signupUrl"u8);
            Slot(w, f, s, required: false);
        }),

        ["poster.submitted"] = Item(PublicTypes.PosterSubmitted, "posters", "posterId"u8, (w, f, in s) =>
        {
            EditionHeader(w, s);
            f.WriteGuid(w, N.PosterId, "posterId"u8);
            f.WriteNullableGuid(w, N.SessionId, "sessionId"u8);
            f.WriteString(w, N.Title, "title"u8);
            f.WritePeople(w, N.Authors, "authors"u8, nullWhenMissing: false);
            f.WriteString(w, N.Abstract, "abstract"u8);
            f.WriteLinks(w, N.Links, "links"u8);
        }),
        ["poster.prize-awarded"] = Item(PublicTypes.PosterPrizeAwarded, "posters", "posterId"u8, (w, f, in s) =>
        {
            EditionHeader(w, s);
            f.WriteGuid(w, N.PosterId, "posterId"u8);
            f.WriteString(w, N.Prize, "prize"u8);
        }),

        ["breakout.opened"] = Item(PublicTypes.BreakoutOpened, "breakouts", "breakoutId"u8, (w, f, in s) =>
        {
            EditionHeader(w, s);
            f.WriteGuid(w, N.BreakoutId, "breakoutId"u8);
            f.WriteString(w, N.Topic, "topic"u8);
            f.WritePerson(w, N.Facilitator, "facilitator"u8);
            f.WriteInt(w, N.Capacity, "capacity"u8);
            f.WriteInstant(w, N.StartUtc, "startUtc"u8);
            f.WriteInstant(w, N.EndUtc, "endUtc"u8);
            f.WriteString(w, N.Room, "room"u8);
        }),
        ["breakout.closed"] = Item(PublicTypes.BreakoutClosed, "breakouts", "breakoutId"u8, (w, f, in s) =>
        {
            EditionHeader(w, s);
            f.WriteGuid(w, N.BreakoutId, "breakoutId"u8);
            f.WriteInstant(w, N.At, "at"u8, required: true);
        }),

        // Registrations: ids and a status, never who (the stored name, email and affiliation are not read).
        ["attendee.registered"] = Item(PublicTypes.AttendeeRegistered, "registrations", "registrationId"u8, (w, f, in s) => Attendee(w, f, s, N.Registered)),
        ["attendee.waitlisted"] = Item(PublicTypes.AttendeeWaitlisted, "registrations", "registrationId"u8, (w, f, in s) => Attendee(w, f, s, N.Waitlisted)),
        ["attendee.promoted"] = Item(PublicTypes.AttendeePromoted, "registrations", "registrationId"u8, (w, f, in s) => Attendee(w, f, s, N.Registered)),
        ["attendee.checked-in"] = Item(PublicTypes.AttendeeCheckedIn, "registrations", "registrationId"u8, (w, f, in s) => Attendee(w, f, s, N.CheckedIn)),
        ["registration.cancelled"] = Item(PublicTypes.RegistrationCancelled, "registrations", "registrationId"u8, (w, f, in s) =>
        {
            EditionHeader(w, s);
            f.WriteGuid(w, N.RegistrationId, "registrationId"u8);
            w.WriteString(N.Status, N.Cancelled);
            f.WriteBool(w, N.SeatFreed, "heldSeat"u8);
            f.WriteInstant(w, N.At, "at"u8, required: true);
        }),

        // Two person identities of the historian read models are one person. The curator's reason is
        // free text and stays internal.
        ["people.merged"] = People(PublicTypes.PeopleMerged, "targetPersonId"u8, (w, f, in s) =>
        {
            f.WriteGuid(w, N.SourcePersonId, "sourcePersonId"u8);
            f.WriteGuid(w, N.TargetPersonId, "targetPersonId"u8);
        }),
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>An organizer as the public pages show them: name, affiliation, ORCID.</summary>
    private static void Organizer(Utf8JsonWriter w, StoredFields f)
    {
        w.WriteStartObject(N.Organizer);
        f.WriteString(w, N.Name, "personName"u8);
        f.WriteString(w, N.Affiliation, "affiliation"u8);
        f.WriteString(w, N.Orcid, "orcid"u8);
        w.WriteEndObject();
    }

    private static void EditionHeader(Utf8JsonWriter w, in EventScope s)
    {
        w.WriteString(N.EditionId, s.EditionId.GetValueOrDefault());
        w.WriteString(N.Series, s.Info.SeriesText);
    }

    private static void EditionChanged(Utf8JsonWriter w, StoredFields f, in EventScope s)
    {
        EditionHeader(w, s);
        f.WriteInstant(w, N.At, "at"u8, required: true);
    }

    private static void Attendee(Utf8JsonWriter w, StoredFields f, in EventScope s, JsonEncodedText status)
    {
        EditionHeader(w, s);
        f.WriteGuid(w, N.RegistrationId, "registrationId"u8);
        w.WriteString(N.Status, status);
        f.WriteInstant(w, N.At, "at"u8, required: true);
    }

    /// <summary>An agenda slot: day, local start in the edition's zone, the UTC instants, duration, room and the zone.</summary>
    private static void Slot(Utf8JsonWriter w, StoredFields f, in EventScope s, bool required)
    {
        f.WriteDate(w, N.Day, "day"u8, required);
        f.WriteLocal(w, N.StartLocal, "startLocal"u8, required);
        f.WriteInstant(w, N.StartUtc, "startUtc"u8, required);
        f.WriteInstant(w, N.EndUtc, "endUtc"u8);
        f.WriteInt(w, N.DurationMinutes, "durationMinutes"u8);
        f.WriteString(w, N.Room, "room"u8);
        if (s.Info.TimeZoneText is { } zone) w.WriteString(N.TimeZone, zone);
        else w.WriteNull(N.TimeZone);
    }
}
