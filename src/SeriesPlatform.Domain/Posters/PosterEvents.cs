namespace SeriesPlatform.Domain;

public sealed record PosterSubmitted(Guid PosterId, Guid? SessionId, string Title, IReadOnlyList<SpeakerRef> Authors,
    string? Abstract = null, IReadOnlyList<Link>? Links = null);
public sealed record PosterPrizeAwarded(Guid PosterId, string Prize);
