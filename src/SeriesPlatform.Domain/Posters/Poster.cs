namespace SeriesPlatform.Domain;

public sealed class Poster
{
    public Guid Id { get; set; }
    /// <summary>The poster session it is shown in, when known.</summary>
    public Guid? SessionId { get; set; }
    public string Title { get; set; } = "";
    public List<SpeakerRef> Authors { get; set; } = [];
    public List<string> Prizes { get; set; } = [];
    public string? Abstract { get; set; }
    public List<Link> Links { get; set; } = [];
}

public sealed partial class EditionState
{
    private void Apply(PosterSubmitted e) =>
        Posters[e.PosterId] = new Poster { Id = e.PosterId, SessionId = e.SessionId, Title = e.Title, Authors = [.. e.Authors],
            Abstract = e.Abstract, Links = [.. e.Links ?? []] };

    private void Apply(PosterPrizeAwarded e) => Posters[e.PosterId].Prizes.Add(e.Prize);
}
