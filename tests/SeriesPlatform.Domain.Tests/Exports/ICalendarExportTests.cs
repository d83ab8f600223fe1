using System.Text;
using SeriesPlatform.Domain.Exports;
using static SeriesPlatform.Domain.Tests.Exports.ExportFixture;

namespace SeriesPlatform.Domain.Tests.Exports;

public class ICalendarExportTests
{
    private static readonly string Ics = ICalendarExport.Render([(Tufts(), Context)]);

    /// <summary>Content lines after unfolding (RFC 5545 §3.1).</summary>
    private static List<string> Unfolded(string ics) => [.. ics.Replace("\r\n ", "").Split("\r\n", StringSplitOptions.RemoveEmptyEntries)];

    /// <summary>The unfolded lines of the VEVENT whose UID starts with the id.</summary>
    private static List<string> VEvent(string ics, Guid id)
    {
        var lines = Unfolded(ics);
        var uid = lines.IndexOf($"UID:{id:D}@series.example.org");
        Assert.True(uid > 0, $"no VEVENT for {id}");
        var begin = lines.LastIndexOf("BEGIN:VEVENT", uid);
        var end = lines.IndexOf("END:VEVENT", uid);
        return lines[begin..(end + 1)];
    }

    [Fact]
    public void Lines_end_in_CRLF_and_are_folded_at_75_octets_without_splitting_characters()
    {
        Assert.EndsWith("END:VCALENDAR\r\n", Ics);
        Assert.DoesNotContain("\n", Ics.Replace("\r\n", ""));
        Assert.DoesNotContain("\r", Ics.Replace("\r\n", ""));
        var bytes = Encoding.UTF8.GetBytes(Ics);
        var lines = Ics.Split("\r\n");
        Assert.All(lines, l => Assert.True(Encoding.UTF8.GetByteCount(l) <= 75, $"{Encoding.UTF8.GetByteCount(l)} octets: {l}"));
        Assert.Contains(lines, l => l.StartsWith(' ')); // the long title and description were folded
        Assert.DoesNotContain('\uFFFD', Encoding.UTF8.GetString(bytes));
        // Unfolding restores the long, accented title exactly.
        Assert.Contains("SUMMARY:Über die Quantenfeldtheorie — Künstliche Intelligenz für Gittereichtheorien: Fortschritte\\, Grenzen und Perspektiven für die nächste Dekade",
            VEvent(Ics, LongTitle));
    }

    [Fact]
    public void Calendar_header()
    {
        var lines = Unfolded(Ics);
        Assert.Equal("BEGIN:VCALENDAR", lines[0]);
        Assert.Contains("VERSION:2.0", lines);
        Assert.Contains("PRODID:-//SeriesPlatform//Schedule//EN", lines);
        Assert.Contains("X-WR-CALNAME:IAIFI Summer Workshop 2022", lines);
    }

    [Fact]
    public void The_0915_talk_starts_at_0915_New_York_time()
    {
        var e = VEvent(Ics, Equivariant);
        Assert.Contains("DTSTART;TZID=America/New_York:20220808T091500", e);
        Assert.Contains("DTEND;TZID=America/New_York:20220808T100000", e);
        Assert.Contains("DTSTAMP:20220801T123000Z", e);
        Assert.Contains("SEQUENCE:0", e);
        Assert.Contains("SUMMARY:Equivariant networks for lattice QCD", e);
        Assert.Contains("LOCATION:Auditorium\\, Joyce Cummings Center", e);
        Assert.Contains("URL:https://series.example.org/editions/11111111-1111-1111-1111-111111111111", e);
    }

    [Fact]
    public void Text_is_escaped()
    {
        var description = Assert.Single(VEvent(Ics, Equivariant), l => l.StartsWith("DESCRIPTION:"));
        Assert.Equal("DESCRIPTION:" + AccentedSpeaker + " (Universidad Autónoma de Madrid\\; CERN\\, Geneva)\\n\\n"
            + "Gauge symmetry\\, built in.\\nSecond line\\; with a semicolon\\, a comma and a back\\\\slash.", description);
    }

    [Fact]
    public void The_rescheduled_keynote_has_sequence_1_and_its_new_time()
    {
        var e = VEvent(Ics, Keynote);
        Assert.Contains("SEQUENCE:1", e);
        Assert.Contains("DTSTART;TZID=America/New_York:20220809T093000", e);
        Assert.Contains("DTEND;TZID=America/New_York:20220809T103000", e);
    }

    [Fact]
    public void Breaks_posters_and_details_to_come()
    {
        Assert.Contains("SUMMARY:Details to come — Phiala Shanahan", VEvent(Ics, DetailsToCome));
        Assert.Contains("SUMMARY:Coffee break", VEvent(Ics, Coffee));
        Assert.Contains("LOCATION:Joyce Cummings Center", VEvent(Ics, Coffee));
        Assert.Contains("SUMMARY:Lunch on the terrace", VEvent(Ics, Lunch));
        Assert.Contains("CATEGORIES:poster-session", VEvent(Ics, PosterSession));
        Assert.Contains("SUMMARY:Poster session", VEvent(Ics, PosterSession));
    }

    [Fact]
    public void Cancelled_and_untimed_items_are_absent()
    {
        Assert.Equal(9, Unfolded(Ics).Count(l => l == "BEGIN:VEVENT"));
        Assert.DoesNotContain(Cancelled.ToString("D"), Ics);
        Assert.DoesNotContain(Untimed.ToString("D"), Ics);
        Assert.DoesNotContain("called off", Ics);
    }

    [Fact]
    public void Hostile_text_cannot_break_out_of_its_property()
    {
        var e = VEvent(Ics, Hostile);
        Assert.Contains("SUMMARY:" + HostileTitle.Replace(",", "\\,"), e);
        Assert.Single(e, l => l.StartsWith("SUMMARY:"));
        var description = Assert.Single(e, l => l.StartsWith("DESCRIPTION:"));
        Assert.Contains("\\nEND:VEVENT\\nBEGIN:VEVENT\\nSUMMARY:injected", description);
        Assert.Equal(Unfolded(Ics).Count(l => l == "BEGIN:VEVENT"), Unfolded(Ics).Count(l => l == "END:VEVENT"));
        Assert.DoesNotContain("SUMMARY:injected", Unfolded(Ics));
    }

    [Fact]
    public void VTIMEZONE_describes_New_York_in_2022()
    {
        var lines = Unfolded(Ics);
        var begin = lines.IndexOf("BEGIN:VTIMEZONE");
        var end = lines.IndexOf("END:VTIMEZONE");
        Assert.True(begin > 0 && end > begin && end < lines.IndexOf("BEGIN:VEVENT"));
        var tz = string.Join("\n", lines[begin..(end + 1)]);
        Assert.Contains("TZID:America/New_York", tz);
        // Summer time 2022 from 13 March 02:00 (EST) to 6 November 02:00 (EDT).
        Assert.Contains("BEGIN:DAYLIGHT\nDTSTART:20220313T020000\nTZOFFSETFROM:-0500\nTZOFFSETTO:-0400\nEND:DAYLIGHT", tz);
        Assert.Contains("BEGIN:STANDARD\nDTSTART:20221106T020000\nTZOFFSETFROM:-0400\nTZOFFSETTO:-0500\nEND:STANDARD", tz);
        // The standard time in force on 1 January 2022 began on 7 November 2021.
        Assert.Contains("BEGIN:STANDARD\nDTSTART:20211107T020000\nTZOFFSETFROM:-0400\nTZOFFSETTO:-0500\nEND:STANDARD", tz);
    }

    [Fact]
    public void A_series_calendar_has_one_VTIMEZONE_per_zone_and_a_fixed_block_for_a_zone_without_DST()
    {
        var kyoto = Given.Edition(Kit.Planned("Asia/Tokyo", new DateOnly(2018, 2, 26), new DateOnly(2018, 3, 2),
            title: "Deep Learning and Physics 2018", id: Guid.Parse("22222222-2222-2222-2222-222222222222")));
        kyoto.When(Kit.Talk(Guid.Parse("c0000000-0000-4000-8000-000000000001"), Kit.Local(2018, 2, 26, 10, 0), 60, "Panasonic Auditorium", "Opening"));
        var ics = ICalendarExport.Render([(Tufts(), Context), (kyoto.State, Context)]);
        var lines = Unfolded(ics);
        Assert.Contains("X-WR-CALNAME:IAIFI Summer Workshop", lines);
        Assert.Equal(2, lines.Count(l => l == "BEGIN:VTIMEZONE"));
        var tokyo = string.Join("\n", lines.SkipWhile(l => l != "TZID:Asia/Tokyo").TakeWhile(l => l != "END:VTIMEZONE"));
        Assert.Contains("BEGIN:STANDARD\nDTSTART:19700101T000000\nTZOFFSETFROM:+0900\nTZOFFSETTO:+0900\nEND:STANDARD", tokyo);
        Assert.DoesNotContain("DAYLIGHT", tokyo);
        Assert.Contains("DTSTART;TZID=Asia/Tokyo:20180226T100000", lines);
        Assert.Equal(10, lines.Count(l => l == "BEGIN:VEVENT"));
        // Events in time order across editions: Kyoto 2018 first.
        Assert.True(lines.IndexOf("DTSTART;TZID=Asia/Tokyo:20180226T100000") < lines.IndexOf("DTSTART;TZID=America/New_York:20220808T091500"));
    }

    [Fact]
    public void Output_is_deterministic()
    {
        Assert.Equal(Ics, ICalendarExport.Render([(Tufts(), Context)]));
        Assert.Equal(Ics, ICalendarExport.Render([(Json.RoundTrip(Tufts()), Context)]));
    }
}
