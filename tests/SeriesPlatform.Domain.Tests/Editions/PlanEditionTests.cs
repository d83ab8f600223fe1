using SeriesPlatform.Domain;
using static SeriesPlatform.Domain.Tests.Kit;

namespace SeriesPlatform.Domain.Tests.Editions;

public class PlanEditionTests
{
    private static PlanEdition Plan(DateOnly? start, DateOnly? end, int? year = null, string? asStated = null,
        string zone = "Asia/Tokyo", IReadOnlyList<DateClaim>? alternatives = null) =>
        new(EditionId, "deep-learning-and-physics", "Deep Learning and Physics 2019", start, end, year, asStated, alternatives,
            zone, new Venue("Panasonic Auditorium, Yukawa Hall", "Kyoto", "Japan"), EditionFormat.InPerson, 120);

    [Fact]
    public void Plans_an_edition_with_exact_dates_and_fills_in_the_year()
    {
        var e = Given.Edition().Single<EditionPlanned>(Plan(new DateOnly(2019, 10, 31), new DateOnly(2019, 11, 2), asStated: "31 Oct - 2 Nov 2019"));
        Assert.Equal(2019, e.Year);
        Assert.Equal("31 Oct - 2 Nov 2019", e.DatesAsStated);
        Assert.Null(e.PlannedFrom);
    }

    [Fact]
    public void Keeps_a_year_only_edition_and_a_dates_as_stated_only_edition()
    {
        // string_data 2017: "2017, Northeastern, Boston"; MODE: "September 23 to 25", no year.
        var y = Given.Edition().Single<EditionPlanned>(Plan(null, null, year: 2017, zone: "America/New_York"));
        Assert.Equal((2017, (DateOnly?)null), (y.Year!.Value, y.StartDate));
        var m = Given.Edition().Single<EditionPlanned>(Plan(null, null, asStated: "September 23 to 25", zone: "Europe/Madrid"));
        Assert.Null(m.Year);
        Assert.Equal("September 23 to 25", m.DatesAsStated);
    }

    [Fact]
    public void Keeps_disagreeing_sources_side_by_side()
    {
        // Sanya 2018: the header says 10-15 June, the text 11-15 June.
        var claim = new DateClaim(new DateOnly(2018, 6, 10), new DateOnly(2018, 6, 15), "page header", "10-15 June 2018");
        var g = Given.Edition();
        g.When(Plan(new DateOnly(2018, 6, 11), new DateOnly(2018, 6, 15), asStated: "11-15 June 2018", zone: "Asia/Shanghai", alternatives: [claim]));
        Assert.Equal(claim, Assert.Single(g.State.AlternativeDates));
        Assert.Equal(new DateOnly(2018, 6, 11), g.State.StartDate);
    }

    [Fact]
    public void Planning_an_existing_edition_is_rejected()
    {
        Given.Edition(Tufts()).Rejects(Plan(new DateOnly(2019, 10, 31), new DateOnly(2019, 11, 2)), "already-exists");
    }

    [Theory]
    [InlineData("2019-10-31", null, null, null, "Asia/Tokyo", "endDate")]          // one date only
    [InlineData(null, "2019-10-31", null, null, "Asia/Tokyo", "startDate")]
    [InlineData("2019-11-02", "2019-10-31", null, null, "Asia/Tokyo", "endDate")]  // end before start
    [InlineData("2019-10-31", "2019-11-02", 2018, null, "Asia/Tokyo", "year")]     // year disagrees
    [InlineData(null, null, null, null, "Asia/Tokyo", "startDate")]                // nothing at all
    [InlineData(null, null, 2017, null, "Mars/Olympus_Mons", "timeZone")]
    [InlineData(null, null, 2017, null, "", "timeZone")]
    public void Rejects_malformed_dates_and_zones(string? start, string? end, int? year, string? asStated, string zone, string field)
    {
        var errors = Plan(start is null ? null : DateOnly.Parse(start), end is null ? null : DateOnly.Parse(end), year, asStated, zone).Validate();
        Assert.Contains(field, errors.Keys);
    }

    [Fact]
    public void Validates_slug_title_capacity_url_and_alternative_dates()
    {
        var bad = Plan(new DateOnly(2019, 10, 31), new DateOnly(2019, 11, 2)) with
        {
            SeriesSlug = "Deep Learning", Title = new string('x', 301), Capacity = -1, VirtualMeetingUrl = "zoom",
            AlternativeDates = [new DateClaim(new DateOnly(2019, 11, 2), new DateOnly(2019, 10, 31))],
        };
        var errors = bad.Validate();
        Assert.Equal(["alternativeDates[0].endDate", "capacity", "seriesSlug", "title", "virtualMeetingUrl"], errors.Keys.Order());
    }
}
