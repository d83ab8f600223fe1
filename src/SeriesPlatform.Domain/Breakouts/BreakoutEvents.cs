namespace SeriesPlatform.Domain;

public sealed record BreakoutOpened(
    Guid BreakoutId, string Topic, SpeakerRef? Facilitator, int? Capacity, IReadOnlyList<Link> Links,
    DateTime? StartLocal, int? DurationMinutes, DateTimeOffset? StartUtc, DateTimeOffset? EndUtc,
    IReadOnlyList<string>? Topics = null, string? Description = null, string? DateAsStated = null, string? Room = null);

/// <summary>The participant's name is personal data: keep it out of public read models.</summary>
/// <remarks>The name is personal data: sealed by the server with SubjectId's key; ParticipantKey is its keyed fingerprint.</remarks>
public sealed record BreakoutJoined(Guid BreakoutId, string ParticipantName, Guid? RegistrationId, DateTimeOffset At,
    Guid? SubjectId = null, string? ParticipantKey = null);

public sealed record BreakoutClosed(Guid BreakoutId, DateTimeOffset At);
