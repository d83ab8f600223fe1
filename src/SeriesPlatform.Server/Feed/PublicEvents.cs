namespace SeriesPlatform.Server.Feed;

// The public integration contract: what the feed, the live stream and webhooks carry as CloudEvent
// `data`. These records are deliberately separate from the internal events (SeriesPlatform.Domain)
// and filled field by field in PublicEventMapper, so renaming or extending an internal event never
// changes what integrations read. A breaking change gets a new type name (`.v2`) next to the old
// one; a v1 record only ever gains optional fields.
//
// No personal data: attendee events carry ids and a status, never a name, email or affiliation;
// the edition's virtual meeting URL (a secret for attendees) never appears.

public static class PublicTypes
{
    public const string Prefix = "org.seriesplatform.";
    public const string SeriesCreated = Prefix + "series.created.v1";
    public const string EditionPlanned = Prefix + "edition.planned.v1";
    public const string EditionRescheduled = Prefix + "edition.rescheduled.v1";
    public const string EditionAnnounced = Prefix + "edition.announced.v1";
    public const string RegistrationOpened = Prefix + "edition.registration-opened.v1";
    public const string RegistrationClosed = Prefix + "edition.registration-closed.v1";
    public const string EditionCancelled = Prefix + "edition.cancelled.v1";
    public const string EditionConcluded = Prefix + "edition.concluded.v1";
    public const string TalkScheduled = Prefix + "talk.scheduled.v1";
    public const string TalkRescheduled = Prefix + "talk.rescheduled.v1";
    public const string TalkRevised = Prefix + "talk.revised.v1";
    public const string TalkCancelled = Prefix + "talk.cancelled.v1";
    public const string BreakScheduled = Prefix + "break.scheduled.v1";
    public const string PosterSessionScheduled = Prefix + "poster-session.scheduled.v1";
    public const string BreakoutOpened = Prefix + "breakout.opened.v1";
    public const string BreakoutClosed = Prefix + "breakout.closed.v1";
    public const string AttendeeRegistered = Prefix + "attendee.registered.v1";
    public const string AttendeeWaitlisted = Prefix + "attendee.waitlisted.v1";
    public const string AttendeePromoted = Prefix + "attendee.promoted.v1";
    public const string AttendeeCheckedIn = Prefix + "attendee.checked-in.v1";
    public const string RegistrationCancelled = Prefix + "registration.cancelled.v1";

    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal)
    {
        SeriesCreated, EditionPlanned, EditionRescheduled, EditionAnnounced, RegistrationOpened, RegistrationClosed,
        EditionCancelled, EditionConcluded, TalkScheduled, TalkRescheduled, TalkRevised, TalkCancelled, BreakScheduled,
        PosterSessionScheduled, BreakoutOpened, BreakoutClosed, AttendeeRegistered, AttendeeWaitlisted, AttendeePromoted,
        AttendeeCheckedIn, RegistrationCancelled,
    };
}

public sealed record PublicPerson(string Name, string? Affiliation, string? Orcid);
public sealed record PublicVenue(string Name, string? City, string? Country);

public sealed record SeriesCreatedV1(string Series, string Name, string? Description);

public sealed record EditionPlannedV1(Guid EditionId, string Series, string Title, DateOnly? StartDate, DateOnly? EndDate, int? Year,
    string TimeZone, string Format, PublicVenue? Venue, int? Capacity, Guid? PlannedFrom);

public sealed record EditionRescheduledV1(Guid EditionId, string Series, DateOnly StartDate, DateOnly EndDate);

/// <summary>announced, registration-opened, registration-closed, concluded: the edition and when.</summary>
public sealed record EditionChangedV1(Guid EditionId, string Series, DateTimeOffset At);

public sealed record EditionCancelledV1(Guid EditionId, string Series, string? Reason, DateTimeOffset At);

/// <summary>A null title means "details to come" (also flagged by <paramref name="DetailsToCome"/>).</summary>
public sealed record TalkScheduledV1(Guid EditionId, string Series, Guid TalkId, string Kind, string? Title, bool DetailsToCome, string? Abstract,
    IReadOnlyList<PublicPerson> Speakers, DateOnly? Day, DateTime? StartLocal, DateTimeOffset? StartUtc, DateTimeOffset? EndUtc,
    int? DurationMinutes, string? Room, string? TimeZone);

/// <summary>Moves an agenda item: a talk, and (as in the internal model) also a break or poster session.</summary>
public sealed record TalkRescheduledV1(Guid EditionId, string Series, Guid TalkId, DateOnly Day, DateTime StartLocal, DateTimeOffset StartUtc,
    DateTimeOffset? EndUtc, int? DurationMinutes, string? Room, string? TimeZone);

/// <summary>Only the changed parts are set; null means unchanged.</summary>
public sealed record TalkRevisedV1(Guid EditionId, string Series, Guid TalkId, string? Title, string? Abstract, IReadOnlyList<PublicPerson>? Speakers);

public sealed record TalkCancelledV1(Guid EditionId, string Series, Guid TalkId, string? Reason);

public sealed record BreakScheduledV1(Guid EditionId, string Series, Guid ItemId, string Kind, string? Label, DateOnly? Day, DateTime? StartLocal,
    DateTimeOffset? StartUtc, DateTimeOffset? EndUtc, int? DurationMinutes, string? Room, string? TimeZone);

public sealed record PosterSessionScheduledV1(Guid EditionId, string Series, Guid ItemId, string? Title, string? SignupUrl, DateOnly? Day,
    DateTime? StartLocal, DateTimeOffset? StartUtc, DateTimeOffset? EndUtc, int? DurationMinutes, string? Room, string? TimeZone);

public sealed record BreakoutOpenedV1(Guid EditionId, string Series, Guid BreakoutId, string Topic, PublicPerson? Facilitator, int? Capacity,
    DateTimeOffset? StartUtc, DateTimeOffset? EndUtc, string? Room);

public sealed record BreakoutClosedV1(Guid EditionId, string Series, Guid BreakoutId, DateTimeOffset At);

/// <summary>Registered, waitlisted, promoted, checked in: ids and status only, never who.</summary>
public sealed record AttendeeStatusV1(Guid EditionId, string Series, Guid RegistrationId, string Status, DateTimeOffset At);

public sealed record RegistrationCancelledV1(Guid EditionId, string Series, Guid RegistrationId, string Status, bool SeatFreed, DateTimeOffset At);
