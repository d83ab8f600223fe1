using System.Xml.Linq;
using SeriesPlatform.Domain.Exports;
using static SeriesPlatform.Domain.Tests.Exports.ExportFixture;

namespace SeriesPlatform.Domain.Tests.Exports;

public class ScheduleXmlExportTests
{
    private static readonly string Xml = ScheduleXmlExport.Render(Tufts(), Context);

    private static XElement Event(Guid id) =>
        XDocument.Parse(Xml).Descendants("event").Single(e => (string?)e.Attribute("guid") == id.ToString("D"));

    [Fact]
    public void Validates_against_the_voc_schedule_XSD()
    {
        var (valid, output) = ValidateXml(Xml);
        Assert.True(valid, "xmllint rejected schedule.xml:\n" + output + "\n" + Xml);
    }

    [Fact]
    public void The_XSD_check_is_not_vacuous()
    {
        var broken = Xml.Replace("<version>live</version>", "");
        var (valid, output) = ValidateXml(broken);
        Assert.False(valid, "xmllint accepted a schedule without <version>: " + output);
    }

    [Fact]
    public void Days_are_indexed_from_one_with_local_offsets()
    {
        var days = XDocument.Parse(Xml).Root!.Elements("day").ToList();
        Assert.Equal(["1", "2"], days.Select(d => (string)d.Attribute("index")!));
        Assert.Equal("2022-08-08", (string)days[0].Attribute("date")!);
        Assert.Equal("2022-08-08T09:00:00-04:00", (string)days[0].Attribute("start")!);
        Assert.Equal("2022-08-08T15:30:00-04:00", (string)days[0].Attribute("end")!);
    }

    [Fact]
    public void A_talk_carries_its_local_time_duration_kind_and_speakers()
    {
        var e = Event(Equivariant);
        Assert.Equal("2022-08-08T09:15:00-04:00", (string)e.Element("date")!);
        Assert.Equal("09:15", (string)e.Element("start")!);
        Assert.Equal("00:45", (string)e.Element("duration")!);
        Assert.Equal("invited", (string)e.Element("type")!);
        Assert.Equal("Auditorium", (string)e.Element("room")!);
        Assert.Equal(AccentedSpeaker, (string)e.Element("persons")!.Element("person")!);
        Assert.Contains("Universidad Autónoma de Madrid; CERN, Geneva", (string)e.Element("description")!);
        Assert.StartsWith("iaifi_summer_workshop_2022-", (string)e.Element("slug")!);
        Assert.Equal("https://series.example.org/editions/11111111-1111-1111-1111-111111111111#item-" + Equivariant, (string)e.Element("url")!);
        Assert.Equal("Auditorium", (string)e.Parent!.Attribute("name")!);
    }

    [Fact]
    public void Breaks_posters_and_details_to_come_are_exported_with_their_types()
    {
        var coffee = Event(Coffee);
        Assert.Equal("break", (string)coffee.Element("type")!);
        Assert.Equal("Coffee break", (string)coffee.Element("title")!);
        Assert.Equal("Joyce Cummings Center", (string)coffee.Element("room")!); // no room: the venue
        Assert.Equal("Lunch on the terrace", (string)Event(Lunch).Element("title")!);
        var posters = Event(PosterSession);
        Assert.Equal("poster-session", (string)posters.Element("type")!);
        Assert.Equal("01:30", (string)posters.Element("duration")!);
        Assert.Equal("https://series.example.org/posters/signup?edition=2022&lang=en",
            (string)posters.Element("links")!.Element("link")!.Attribute("href")!);
        Assert.Equal("Details to come — Phiala Shanahan", (string)Event(DetailsToCome).Element("title")!);
    }

    [Fact]
    public void Cancelled_and_untimed_items_are_left_out_and_untimed_ones_are_named_in_a_comment()
    {
        var doc = XDocument.Parse(Xml);
        var guids = doc.Descendants("event").Select(e => (string)e.Attribute("guid")!).ToList();
        Assert.Equal(9, guids.Count);
        Assert.DoesNotContain(Cancelled.ToString("D"), guids);
        Assert.DoesNotContain(Untimed.ToString("D"), guids);
        var comment = Assert.Single(doc.Root!.Nodes().OfType<XComment>(), c => c.Value.Contains("without a start time"));
        Assert.Contains(Untimed.ToString("D"), comment.Value);
        Assert.DoesNotContain("called off", Xml);
    }

    [Fact]
    public void The_rescheduled_keynote_is_at_its_new_time()
    {
        var e = Event(Keynote);
        Assert.Equal("2022-08-09T09:30:00-04:00", (string)e.Element("date")!);
        Assert.Equal("2", (string)e.Parent!.Parent!.Attribute("index")!);
    }

    [Fact]
    public void Hostile_text_stays_text()
    {
        Assert.DoesNotContain("<script>", Xml);
        Assert.DoesNotContain("<img", Xml);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; \"quotes\" ]]&gt; -- done", Xml);
        var e = Event(Hostile);
        Assert.Equal(HostileTitle, (string)e.Element("title")!);
        Assert.StartsWith("<b>bold</b> & <img", (string)e.Element("abstract")!);
        Assert.Equal("Mallory O'Hara", (string)e.Element("persons")!.Element("person")!);
    }

    [Fact]
    public void Conference_header_names_acronym_version_zone_and_urls()
    {
        var c = XDocument.Parse(Xml).Root!.Element("conference")!;
        Assert.Equal("iaifi_summer_workshop_2022", (string)c.Element("acronym")!);
        Assert.Equal("IAIFI Summer Workshop 2022", (string)c.Element("title")!);
        Assert.Equal("America/New_York", (string)c.Element("time_zone_name")!);
        Assert.Equal("2", (string)c.Element("days")!);
        Assert.Equal("2022-08-08", (string)c.Element("start")!);
        Assert.Equal("2022-08-09", (string)c.Element("end")!);
        Assert.Equal("https://series.example.org/", (string)c.Element("base_url")!);
        Assert.Equal("live", (string)XDocument.Parse(Xml).Root!.Element("version")!);
        var released = XDocument.Parse(ScheduleXmlExport.Render(Tufts(), Context with { Version = "3" }));
        Assert.Equal("3", (string)released.Root!.Element("version")!);
    }

    [Fact]
    public void Output_is_deterministic_even_after_a_snapshot_round_trip()
    {
        Assert.Equal(Xml, ScheduleXmlExport.Render(Tufts(), Context));
        Assert.Equal(Xml, ScheduleXmlExport.Render(Json.RoundTrip(Tufts()), Context));
    }

    [Fact]
    public void An_edition_without_timed_items_or_dates_still_validates()
    {
        var g = Given.Edition(Kit.Planned("Europe/Rome", null, null, year: 2019));
        g.When(Kit.Talk(Guid.Parse("b0000000-0000-4000-8000-000000000001"), null, title: "Somewhere in the week"));
        var xml = ScheduleXmlExport.Render(g.State, Context);
        var (valid, output) = ValidateXml(xml);
        Assert.True(valid, output + "\n" + xml);
        Assert.Empty(XDocument.Parse(xml).Descendants("event"));
    }

    [Fact]
    public void A_cancelled_edition_exports_no_events_but_still_validates()
    {
        var state = Tufts();
        state.Evolve(new EditionCancelled("venue unavailable", Kit.Now));
        var xml = ScheduleXmlExport.Render(state, Context);
        var (valid, output) = ValidateXml(xml);
        Assert.True(valid, output + "\n" + xml);
        Assert.Empty(XDocument.Parse(xml).Descendants("event"));
        Assert.Contains("This edition is cancelled", xml);
        Assert.DoesNotContain("BEGIN:VEVENT", ICalendarExport.Render([(state, Context)]));
    }
}
