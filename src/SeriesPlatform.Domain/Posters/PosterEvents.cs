namespace SeriesPlatform.Domain;

public sealed record PosterSubmitted(Guid PosterId, Guid? SessionId, string Title, IReadOnlyList<SpeakerRef> Authors);
public sealed record PosterPrizeAwarded(Guid PosterId, string Prize);
