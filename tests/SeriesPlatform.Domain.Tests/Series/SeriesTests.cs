using SeriesPlatform.Domain;
using static SeriesPlatform.Domain.Tests.Kit;

namespace SeriesPlatform.Domain.Tests.Series;

public class SeriesTests
{
    private static readonly SeriesCreated Created = new("deep-learning-and-physics", "Deep Learning and Physics", null);

    [Fact]
    public void Creates_a_series_once()
    {
        var g = Given.Series();
        Assert.Equal(Created, g.Single<SeriesCreated>(new CreateSeries("deep-learning-and-physics", " Deep Learning and Physics ")));
        g.Rejects(new CreateSeries("deep-learning-and-physics", "Again"), "already-exists");
        Assert.Equal(0, g.State.Version); // the store tracks versions, not Evolve
    }

    [Theory]
    [InlineData("Deep-Learning")]
    [InlineData("deep--learning")]
    [InlineData("-deep")]
    [InlineData("deep_learning")]
    [InlineData("")]
    public void Rejects_bad_slugs(string slug) => Assert.Contains("slug", new CreateSeries(slug, "Name").Validate().Keys);

    [Fact]
    public void Rejects_long_slugs_and_names()
    {
        Assert.Equal(["name", "slug"], new CreateSeries(new string('a', 65), new string('n', 201)).Validate().Keys.Order());
        Assert.Empty(new CreateSeries(new string('a', 64), "n").Validate());
    }

    [Fact]
    public void Revise_emits_only_changed_fields_and_nothing_when_nothing_changed()
    {
        var g = Given.Series(Created);
        var links = new List<Link> { new("Indico", "http://indico.ictp.it/event/8784/overview") };
        var e = g.Single<SeriesRevised>(new ReviseSeries("Deep Learning and Physics", "Joint symposium", links));
        Assert.Equal((null, "Joint symposium", (string?)null), (e.Name, e.Description, e.CodeOfConduct));
        Assert.Empty(g.When(new ReviseSeries("Deep Learning and Physics", "Joint symposium", [new("Indico", "http://indico.ictp.it/event/8784/overview")])));
        Assert.Contains("links[0].url", new ReviseSeries(Links: [new Link("x", "javascript:alert(1)")]).Validate().Keys);
        Assert.Throws<EntityNotFound>(() => new ReviseSeries("x").Decide(new SeriesState(), Now));
    }

    [Fact]
    public void Series_organizers_are_added_once_per_name_and_affiliation()
    {
        var g = Given.Series(Created);
        g.Single<SeriesOrganizerAdded>(new AddOrganizer("Koji Hashimoto", "Osaka U", Role: "founder"));
        Assert.Empty(g.When(new AddOrganizer("Koji Hashimoto", "osaka u")));
        Assert.Equal("founder", Assert.Single(g.State.Organizers).Role);
    }
}
