using SeriesPlatform.Server.Feed;

namespace SeriesPlatform.Server.Tests.Integrations.Contract;

// The public data shapes as typed records: the model the feed's JSON mapper is checked against
// (ContractTests). camelCase, nulls written, properties in this order.

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

public sealed record PublicLink(string Label, string Url);

/// <summary>Only the changed parts are set; null means unchanged.</summary>
public sealed record SeriesRevisedV1(string Series, string? Name, string? Description, IReadOnlyList<PublicLink>? Links, string? CodeOfConduct);

public sealed record SeriesOrganizerAddedV1(string Series, PublicPerson Organizer, string? Role);

public sealed record EditionOrganizerAddedV1(Guid EditionId, string Series, PublicPerson Organizer);

public sealed record AgendaChangeV1(string Change, Guid ItemId, string Kind, string? Title, DateTime? StartLocal, string? Room, string? PreviousTitle,
    DateTime? PreviousStartLocal, string? PreviousRoom);

public sealed record AgendaPublishedV1(Guid EditionId, string Series, int Version, string? Note, DateTimeOffset At, IReadOnlyList<AgendaChangeV1> Changes);

public sealed record PosterSubmittedV1(Guid EditionId, string Series, Guid PosterId, Guid? SessionId, string Title, IReadOnlyList<PublicPerson> Authors,
    string? Abstract, IReadOnlyList<PublicLink>? Links);

public sealed record PosterPrizeAwardedV1(Guid EditionId, string Series, Guid PosterId, string Prize);

public sealed record PeopleMergedV1(Guid SourcePersonId, Guid TargetPersonId);
