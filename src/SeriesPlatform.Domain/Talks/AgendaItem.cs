namespace SeriesPlatform.Domain;

/// <summary>
/// A talk, break or poster session. Time is optional at every level because the sources are:
/// some items only have an order within a day, some not even a day.
/// </summary>
public sealed class AgendaItem
{
    public Guid Id { get; set; }
    public AgendaItemKind Kind { get; set; }
    public TalkKind? TalkKind { get; set; }
    public BreakKind? BreakKind { get; set; }
    /// <summary>Talk or poster-session title, or a break's label. Null on a talk = details to come.</summary>
    public string? Title { get; set; }
    public string? Abstract { get; set; }
    public List<SpeakerRef> Speakers { get; set; } = [];
    public string? Room { get; set; }
    public string? SignupUrl { get; set; }
    public DateOnly? Day { get; set; }
    /// <summary>Wall clock in the edition's zone (Kind Unspecified).</summary>
    public DateTime? StartLocal { get; set; }
    public int? DurationMinutes { get; set; }
    public DateTimeOffset? StartUtc { get; set; }
    public DateTimeOffset? EndUtc { get; set; }
    /// <summary>Stated order: the only ordering some programmes give.</summary>
    public int Order { get; set; }
    public bool Cancelled { get; set; }
    public string? CancellationReason { get; set; }
    /// <summary>How often the item changed after it was scheduled (iCalendar SEQUENCE).</summary>
    public int Revision { get; set; }

    /// <summary>Serialized for readers; ignored when a snapshot is read back (no setter).</summary>
    public bool DetailsToCome => Kind == AgendaItemKind.Talk && Title is null;

    /// <summary>The source's own label, verbatim ("Invited Talk 1").</summary>
    public string? Label { get; set; }
    /// <summary>Other text about the item that is not an abstract (poster-session details ...).</summary>
    public string? Description { get; set; }
    public List<Link> Links { get; set; } = [];
    /// <summary>The source's words for a garbled or partial date, verbatim.</summary>
    public string? DateAsStated { get; set; }
    /// <summary>Local time of day when the day itself is unknown (then StartLocal is null).</summary>
    public TimeOnly? StartTimeOfDay { get; set; }
    public TimeOnly? EndTimeOfDay { get; set; }
    public string? SignupLabel { get; set; }
}
