using SeriesPlatform.Domain;
using static SeriesPlatform.Domain.Tests.Kit;

namespace SeriesPlatform.Domain.Tests.Posters;

public class PosterTests
{
    private static readonly Guid Session = Guid.NewGuid(), TalkId = Guid.NewGuid(), P = Guid.NewGuid();
    private static readonly SpeakerRef[] Authors = [new("Young Researcher", "Universitat de València")];

    private static Given<EditionState> Valencia()
    {
        var g = Given.Edition(Planned("Europe/Madrid", new DateOnly(2024, 9, 23), new DateOnly(2024, 9, 25)));
        g.When(new SchedulePosterSession(Session, "Poster session", null, Local(2024, 9, 24, 16, 0), 90, "Hall"));
        g.When(Talk(TalkId, Local(2024, 9, 23, 9, 0)));
        return g;
    }

    [Fact]
    public void Submits_a_poster_to_a_poster_session_and_awards_a_prize_once()
    {
        var g = Valencia();
        Assert.Equal(Session, g.Single<PosterSubmitted>(new SubmitPoster(P, Session, "Differentiable detector design", Authors)).SessionId);
        g.Single<PosterPrizeAwarded>(new AwardPosterPrize(P, "Best poster"));
        Assert.Empty(g.When(new AwardPosterPrize(P, "best poster")));
        Assert.Equal(["Best poster"], g.State.Posters[P].Prizes);
    }

    [Fact]
    public void The_session_must_be_a_poster_session_of_this_edition()
    {
        var g = Valencia();
        g.Rejects(new SubmitPoster(P, TalkId, "T", Authors), "not-a-poster-session");
        Assert.Throws<EntityNotFound>(() => new SubmitPoster(P, Guid.NewGuid(), "T", Authors).Decide(g.State, Now));
        g.Single<PosterSubmitted>(new SubmitPoster(P, null, "T", Authors));
        g.Rejects(new SubmitPoster(P, null, "T", Authors), "duplicate-id");
        Assert.Throws<EntityNotFound>(() => new AwardPosterPrize(Guid.NewGuid(), "Best").Decide(g.State, Now));
    }

    [Fact]
    public void Prizes_can_be_awarded_after_the_edition_concluded()
    {
        var g = Valencia();
        g.When(new SubmitPoster(P, Session, "T", Authors));
        g.When(new ConcludeEdition(), new DateTimeOffset(2024, 9, 25, 18, 0, 0, TimeSpan.Zero));
        g.Single<PosterPrizeAwarded>(new AwardPosterPrize(P, "Best poster"));
        g.Rejects(new SubmitPoster(Guid.NewGuid(), Session, "Late", Authors), "edition-closed");
    }
}
