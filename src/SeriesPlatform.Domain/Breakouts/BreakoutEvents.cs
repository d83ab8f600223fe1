namespace SeriesPlatform.Domain;

public sealed record BreakoutOpened(
    Guid BreakoutId, string Topic, SpeakerRef? Facilitator, int? Capacity, IReadOnlyList<Link> Links,
    DateTime? StartLocal, int? DurationMinutes, DateTimeOffset? StartUtc, DateTimeOffset? EndUtc,
    IReadOnlyList<string>? Topics = null, string? Description = null, string? DateAsStated = null, string? Room = null);

/// <summary>The participant's name is personal data: keep it out of public read models.</summary>
public sealed record BreakoutJoined(Guid BreakoutId, string ParticipantName, Guid? RegistrationId, DateTimeOffset At);

public sealed record BreakoutClosed(Guid BreakoutId, DateTimeOffset At);
