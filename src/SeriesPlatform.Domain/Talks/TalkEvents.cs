namespace SeriesPlatform.Domain;

public sealed record TalkScheduled(
    Guid TalkId, TalkKind Kind, string? Title, string? Abstract, IReadOnlyList<SpeakerRef> Speakers,
    DateOnly? Day, DateTime? StartLocal, int? DurationMinutes, string? Room,
    DateTimeOffset? StartUtc, DateTimeOffset? EndUtc, int Order,
    string? Label = null, string? Description = null, IReadOnlyList<Link>? Links = null, string? DateAsStated = null,
    TimeOnly? StartTimeOfDay = null, TimeOnly? EndTimeOfDay = null);

public sealed record BreakScheduled(
    Guid ItemId, BreakKind Kind, string? Label,
    DateOnly? Day, DateTime? StartLocal, int? DurationMinutes, string? Room,
    DateTimeOffset? StartUtc, DateTimeOffset? EndUtc, int Order);

public sealed record PosterSessionScheduled(
    Guid ItemId, string? Title, string? SignupUrl,
    DateOnly? Day, DateTime? StartLocal, int? DurationMinutes, string? Room,
    DateTimeOffset? StartUtc, DateTimeOffset? EndUtc, int Order,
    string? Description = null, string? SignupLabel = null);

/// <summary>Moves any agenda item (the name is historical: the server relies on it).</summary>
public sealed record TalkRescheduled(
    Guid TalkId, DateOnly Day, DateTime StartLocal, int? DurationMinutes, string? Room,
    DateTimeOffset StartUtc, DateTimeOffset? EndUtc);

/// <summary>Only the changed parts are set; null = unchanged.</summary>
public sealed record TalkDetailsRevised(Guid TalkId, string? Title, string? Abstract, IReadOnlyList<SpeakerRef>? Speakers);

public sealed record TalkCancelled(Guid TalkId, string? Reason);
