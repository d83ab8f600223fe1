namespace SeriesPlatform.Domain;

/// <summary>Dates may be partial (year only, verbatim text) because the sources are.</summary>
public sealed record EditionPlanned(
    Guid EditionId, string SeriesSlug, string Title,
    DateOnly? StartDate, DateOnly? EndDate, int? Year, string? DatesAsStated, IReadOnlyList<DateClaim> AlternativeDates,
    string TimeZone, Venue? Venue, EditionFormat Format, int? Capacity, string? VirtualMeetingUrl,
    Guid? PlannedFrom = null,
    int? Number = null, string? Description = null, IReadOnlyList<Link>? Links = null, string? CodeOfConduct = null,
    IReadOnlyList<EditionPart>? Parts = null, TimeOnly? DailyStart = null, TimeOnly? DailyEnd = null,
    string? DatesWithoutYear = null, IReadOnlyList<string>? Notes = null,
    bool TitleStated = true, bool TimeZoneStated = true, bool FormatStated = true);

public sealed record EditionRescheduled(DateOnly StartDate, DateOnly EndDate, int Year);
public sealed record EditionAnnounced(DateTimeOffset At);
public sealed record EditionRegistrationOpened(DateTimeOffset At);
public sealed record EditionRegistrationClosed(DateTimeOffset At);
public sealed record EditionCancelled(string? Reason, DateTimeOffset At);
public sealed record EditionConcluded(DateTimeOffset At);
public sealed record EditionOrganizerAdded(string PersonName, string? Affiliation, string? Orcid);
