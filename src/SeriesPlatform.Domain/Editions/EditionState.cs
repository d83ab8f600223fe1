using System.Text.Json.Serialization;

namespace SeriesPlatform.Domain;

/// <summary>
/// The edition aggregate (stream <c>edition-{guid}</c>). Public get/set everywhere so the folded
/// state round-trips through System.Text.Json as a snapshot. Version is tracked by the store.
/// </summary>
public sealed partial class EditionState
{
    public bool Exists { get; set; }
    public long Version { get; set; }
    public Guid Id { get; set; }
    public string SeriesSlug { get; set; } = "";
    public string Title { get; set; } = "";
    public DateOnly? StartDate { get; set; }
    public DateOnly? EndDate { get; set; }
    public int? Year { get; set; }
    public string? DatesAsStated { get; set; }
    public List<DateClaim> AlternativeDates { get; set; } = [];
    public string TimeZone { get; set; } = "UTC";
    public Venue? Venue { get; set; }
    public EditionFormat Format { get; set; }
    public int? Capacity { get; set; }
    /// <summary>A secret (meeting links carry passwords): never expose it in public read models.</summary>
    public string? VirtualMeetingUrl { get; set; }
    public EditionStatus Status { get; set; }
    public string? CancellationReason { get; set; }
    public bool RegistrationOpen { get; set; }
    public List<Organizer> Organizers { get; set; } = [];
    public Dictionary<Guid, AgendaItem> Items { get; set; } = [];
    public Dictionary<Guid, Poster> Posters { get; set; } = [];
    public Dictionary<Guid, Breakout> Breakouts { get; set; } = [];
    /// <summary>In registration order: the waitlist is promoted in this order.</summary>
    public List<Registration> Registrations { get; set; } = [];
    public Guid? PlannedFrom { get; set; }
    /// <summary>The ordinal the source states ("the fourth workshop").</summary>
    public int? Number { get; set; }
    public string? Description { get; set; }
    public List<Link> Links { get; set; } = [];
    public string? CodeOfConduct { get; set; }
    public List<EditionPart> Parts { get; set; } = [];
    /// <summary>Stated daily time window, local to <see cref="TimeZone"/>.</summary>
    public TimeOnly? DailyStart { get; set; }
    public TimeOnly? DailyEnd { get; set; }
    /// <summary>Month and day when the year is unknown, ISO form: "--09-23 .. --09-25".</summary>
    public string? DatesWithoutYear { get; set; }
    /// <summary>Curators' transcription remarks (not part of the described event).</summary>
    public List<string> Notes { get; set; } = [];
    /// <summary>False when the source gives no title and <see cref="Title"/> is derived from the series name.</summary>
    public bool TitleStated { get; set; } = true;
    /// <summary>False when the source implies no zone (<see cref="TimeZone"/> is then a placeholder and no times exist).</summary>
    public bool TimeZoneStated { get; set; } = true;
    /// <summary>False when the source does not state the format (<see cref="Format"/> is then meaningless).</summary>
    public bool FormatStated { get; set; } = true;

    public void Evolve(object e)
    {
        switch (e)
        {
            case EditionPlanned x: Apply(x); break;
            case EditionRescheduled x: Apply(x); break;
            case EditionAnnounced: Status = EditionStatus.Announced; break;
            case EditionRegistrationOpened: RegistrationOpen = true; break;
            case EditionRegistrationClosed: RegistrationOpen = false; break;
            case EditionCancelled x: Apply(x); break;
            case EditionConcluded: Status = EditionStatus.Concluded; RegistrationOpen = false; break;
            case EditionOrganizerAdded x: Organizers.Add(new Organizer(x.PersonName, x.Affiliation, x.Orcid)); break;
            case AgendaPublished x: Apply(x); break;
            case TalkScheduled x: Apply(x); break;
            case BreakScheduled x: Apply(x); break;
            case PosterSessionScheduled x: Apply(x); break;
            case TalkRescheduled x: Apply(x); break;
            case TalkDetailsRevised x: Apply(x); break;
            case TalkCancelled x: Apply(x); break;
            case PosterSubmitted x: Apply(x); break;
            case PosterPrizeAwarded x: Apply(x); break;
            case BreakoutOpened x: Apply(x); break;
            case BreakoutJoined x: Apply(x); break;
            case BreakoutClosed x: Apply(x); break;
            case AttendeeRegistered x: Apply(x); break;
            case AttendeeWaitlisted x: Apply(x); break;
            case RegistrationCancelled x: Apply(x); break;
            case WaitlistedAttendeePromoted x: Apply(x); break;
            case AttendeeCheckedIn x: Apply(x); break;
            // Unknown events are ignored so that old snapshots survive new event types.
        }
        _index = _index?.After(e, this);
    }

    private EditionIndex? _index;
    /// <summary>Derived lookups (never serialized: a private field), rebuilt when an event could not keep them current.</summary>
    private EditionIndex Index => _index ??= new EditionIndex(this);
    [JsonIgnore] public int ActiveTalkCount => Index.ActiveTalks;
    [JsonIgnore] public int WaitlistedCount => Index.Waitlisted;
    public Registration? FindRegistration(Guid id) => Index.FindRegistration(id);
    public bool HasActiveRegistration(string duplicateKey) => Index.HasActiveRegistration(duplicateKey);

    private void Apply(EditionPlanned e)
    {
        Exists = true;
        Id = e.EditionId;
        SeriesSlug = e.SeriesSlug;
        Title = e.Title;
        StartDate = e.StartDate;
        EndDate = e.EndDate;
        Year = e.Year;
        DatesAsStated = e.DatesAsStated;
        AlternativeDates = [.. e.AlternativeDates];
        TimeZone = e.TimeZone;
        Venue = e.Venue;
        Format = e.Format;
        Capacity = e.Capacity;
        VirtualMeetingUrl = e.VirtualMeetingUrl;
        PlannedFrom = e.PlannedFrom;
        Number = e.Number;
        Description = e.Description;
        Links = [.. e.Links ?? []];
        CodeOfConduct = e.CodeOfConduct;
        Parts = [.. e.Parts ?? []];
        (DailyStart, DailyEnd) = (e.DailyStart, e.DailyEnd);
        DatesWithoutYear = e.DatesWithoutYear;
        Notes = [.. e.Notes ?? []];
        (TitleStated, TimeZoneStated, FormatStated) = (e.TitleStated, e.TimeZoneStated, e.FormatStated);
        Status = EditionStatus.Planned;
    }

    private void Apply(EditionRescheduled e)
    {
        StartDate = e.StartDate;
        EndDate = e.EndDate;
        Year = e.Year;
    }

    private void Apply(EditionCancelled e)
    {
        Status = EditionStatus.Cancelled;
        CancellationReason = e.Reason;
        RegistrationOpen = false;
    }

    public static EditionState From(IEnumerable<object> events)
    {
        var s = new EditionState();
        foreach (var e in events) s.Evolve(e);
        return s;
    }
}
