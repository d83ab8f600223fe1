using SeriesPlatform.Domain.Dataset;

namespace SeriesPlatform.Domain.Tests.Dataset;

public class BrokenInputTests
{
    private const string Sources = "[source s1]\nfile: s1.txt\ntitle: A page\n";

    private const string Head =
        "[series ws]\n" +            // 1
        "name: Workshop\n" +         // 2
        "source: s1\n" +             // 3
        "\n" +                       // 4
        "[edition ws-2031]\n" +      // 5
        "dates: 2031-05-12 .. 2031-05-13\n" + // 6
        "dates-as-stated: May 12-13, 2031\n" + // 7
        "zone: Europe/Madrid\n" +    // 8
        "source: s1\n" +             // 9
        "\n";                        // 10

    private static DatasetPlan Parse(string text) => DatasetParser.Parse([("sources.series", Sources), ("ws.series", text)]);

    private static void HasError(DatasetPlan plan, int line, string fragment)
    {
        Assert.False(plan.Ok);
        Assert.True(plan.Errors.Any(e => e.File == "ws.series" && e.Line == line && e.Message.Contains(fragment, StringComparison.Ordinal)),
            $"expected ws.series:{line}: ...{fragment}... but got:\n" + string.Join("\n", plan.Errors));
    }

    [Fact]
    public void Valid_file_is_ok()
    {
        var plan = Parse(Head + "[talk]\nat: 2031-05-12 09:00-09:45\ntitle: A\nsource: s1\n");
        Assert.True(plan.Ok, string.Join("\n", plan.Errors));
        Assert.Equal(3, plan.Steps.Count);
        Assert.Equal("s1.txt", plan.Steps[^1].SourceFile);
        Assert.Equal(11, plan.Steps[^1].Line);
        Assert.Equal("ws.series:11: x", new DatasetError("ws.series", 11, "x").ToString());
    }

    [Fact]
    public void Unknown_field()
    {
        var plan = Parse(Head + "[talk]\nat: 2031-05-12 09:00-09:45\ntitel: A\nsource: s1\n");
        HasError(plan, 13, "unknown field \"titel\" in [talk]");
    }

    [Fact]
    public void Bad_time()
    {
        var plan = Parse(Head + "[talk]\nat: 2031-05-12 09:00-25:45\ntitle: A\nsource: s1\n");
        HasError(plan, 12, "invalid at \"2031-05-12 09:00-25:45\"");
        plan = Parse(Head.Replace("zone: Europe/Madrid", "hours: 9:00-17:00\nzone: Europe/Madrid"));
        HasError(plan, 8, "invalid time range \"9:00-17:00\"");
    }

    [Fact]
    public void Talk_before_edition()
    {
        var plan = Parse("[series ws]\nname: Workshop\nsource: s1\n\n[talk]\ntitle: A\nsource: s1\n");
        HasError(plan, 5, "[talk] outside an edition");
    }

    [Fact]
    public void Overlapping_talks_in_one_room_fail_at_the_second_talk()
    {
        var plan = Parse(Head +
            "[talk]\nat: 2031-05-12 09:00-09:45\ntitle: A\nsource: s1\n\n" + // 11-15
            "[talk]\nat: 2031-05-12 09:30-10:00\ntitle: B\nsource: s1\n");   // 16
        HasError(plan, 16, "slot-overlap");
        Assert.Single(plan.Errors);
    }

    [Fact]
    public void Talk_outside_the_edition_dates()
    {
        var plan = Parse(Head + "[talk]\nat: 2031-05-14 09:00-09:45\ntitle: A\nsource: s1\n");
        HasError(plan, 12, "at 2031-05-14 is outside the edition's dates 2031-05-12 .. 2031-05-13");
        // Items up to the end of the last day are inside.
        plan = Parse(Head + "[talk]\nat: 2031-05-13 23:30\ntitle: A\nsource: s1\n\n[talk]\nat: 2031-05-12 23:00-23:59\ntitle: B\nsource: s1\n");
        Assert.True(plan.Ok, string.Join("\n", plan.Errors));
    }

    [Fact]
    public void Spring_forward_gap_is_an_invalid_local_time()
    {
        var head = Head.Replace("2031-05-12 .. 2031-05-13", "2031-03-30 .. 2031-03-31");
        var plan = Parse(head + "[talk]\nat: 2031-03-30 02:30-03:30\ntitle: A\nsource: s1\n");
        HasError(plan, 11, "invalid-local-time");
    }

    [Fact]
    public void Format_errors_are_line_precise()
    {
        var text =
            "[series ws]\n" +                 // 1
            "name: Workshop\n" +              // 2
            "source: s9\n" +                  // 3 unknown source
            "\n" +                            // 4
            "[edition ws-2031]\n" +           // 5
            "dates: 2031-02-30\n" +           // 6 bad date
            "source: s1\n" +                  // 7  (dates-as-stated missing -> line 5)
            "\n" +                            // 8
            "[edition ws-2031]\n" +           // 9 duplicate id
            "year: 2031\n" +                  // 10
            "dates-as-stated: 2031\n" +       // 11
            "source: s1\n" +                  // 12
            "title: x\n" +                    // 13
            "title: y\n" +                    // 14 repeated
            "\n" +                            // 15
            "name: stray\n" +                 // 16 field outside a record
            "  continued\n" +                 // 17 continuation without a field
            " x\n" +                          // 18 unrecognised
            "[Talk]\n" +                      // 19 unknown kind
            "[series]\n" +                    // 20 requires an id
            "name: S\n" +                     // 21
            "source: s1\n" +                  // 22
            "\n" +                            // 23
            "[series Bad_Id]\n" +             // 24
            "name: S\n" +                     // 25
            "source: s1\n" +                  // 26
            "\n" +                            // 27
            "[poster]\ntitle: P\nsource: s1\n" + // 28
            "\n" +                            // 31
            "[organizer]\nname:\nsource: s1\n"; // 32, 33 empty value
        var plan = Parse(text);
        HasError(plan, 3, "unknown source \"s9\"");
        HasError(plan, 5, "missing required field \"dates-as-stated\" in [edition]");
        HasError(plan, 6, "invalid dates \"2031-02-30\"");
        HasError(plan, 9, "duplicate id \"ws-2031\" (first defined at ws.series:5)");
        HasError(plan, 14, "field \"title\" may appear only once in [edition]");
        HasError(plan, 16, "field outside a record");
        HasError(plan, 17, "continuation without a field");
        HasError(plan, 18, "unrecognised line");
        HasError(plan, 19, "unknown record kind \"Talk\"");
        HasError(plan, 20, "[series] requires an id");
        HasError(plan, 24, "invalid id \"Bad_Id\"");
        HasError(plan, 28, "[poster] without a [posters] session");
        HasError(plan, 33, "empty value for \"name\"");
    }

    [Fact]
    public void Encoding_and_line_rules()
    {
        var plan = Parse("\uFEFF[series ws]\r\nname: W\nsource: s1");
        HasError(plan, 1, "byte-order mark not allowed");
        HasError(plan, 1, "carriage return not allowed");
        HasError(plan, 3, "file does not end with a newline");
    }

    [Fact]
    public void Continuations_parts_and_bios()
    {
        var plan = Parse(Head.Replace("zone: Europe/Madrid\n",
                "zone: Europe/Madrid\nvenue: Aula \\| Magna | | Spain\ndescription:\n  One.\n  .\n  ..\n  #not a comment\n#a comment\n  Two.\n") +
            "[talk]\nspeaker: Ana | Prof\nbio: Ana bio\nspeaker: Bo\nlabel: Invited Talk 1\nsource: s1\n\n" +
            "[talk]\nspeaker: Cy\nbio: one\nbio: two\nsource: s1\n");
        var edition = Assert.Single(plan.Steps.Select(s => s.Command).OfType<PlanEdition>());
        Assert.Equal("One.\n\n.\n#not a comment\nTwo.", edition.Description);
        Assert.Equal(new Venue("Aula | Magna", null, "Spain"), edition.Venue);
        Assert.False(edition.FormatStated);
        var talk = plan.Steps.Select(s => s.Command).OfType<ScheduleTalk>().First();
        Assert.Equal([new SpeakerRef("Ana", "Prof", null, "Ana bio"), new SpeakerRef("Bo")], talk.Speakers!);
        Assert.Null(talk.Title);
        Assert.Equal("Invited Talk 1", talk.Label);
        var bio = Assert.Single(plan.Errors);
        Assert.Equal("bio without a speaker", bio.Message);
    }

    [Fact]
    public void Domain_validation_is_reported_at_the_record()
    {
        var plan = Parse(Head + "[organizer]\nname: Zoë\norcid: 0000-0002-1825-0096\nsource: s1\n");
        HasError(plan, 11, "orcid must be an ORCID iD");
    }

    [Fact]
    public void Month_day_editions_refuse_full_dates_and_untimed_zones()
    {
        var head = Head.Replace("dates: 2031-05-12 .. 2031-05-13", "dates: --05-12 .. --05-13").Replace("zone: Europe/Madrid\n", "");
        var plan = Parse(head + "[talk]\nat: 2031-05-12\ntitle: A\nsource: s1\n\n[talk]\nat: 10:00\ntitle: B\nsource: s1\n");
        HasError(plan, 11, "have no year");
        HasError(plan, 16, "edition has times but no zone");
    }

    [Fact]
    public void Posters_and_awards_become_commands()
    {
        var plan = Parse(Head + "[posters]\nat: 2031-05-12 15:00-16:00\ntitle: Posters\nsignup: Sign up | https://example.org/p\nsource: s1\n\n" +
            "[poster]\ntitle: P\npresenter: Eli | Uni\naward: Best poster\nsource: s1\n\n" +
            "[claim]\ndates: 2031-05-11 .. 2031-05-13\nquote: 11-13 May\nsource: s1\n");
        Assert.True(plan.Ok, string.Join("\n", plan.Errors));
        var session = Assert.Single(plan.Steps.Select(s => s.Command).OfType<SchedulePosterSession>());
        var poster = Assert.Single(plan.Steps.Select(s => s.Command).OfType<SubmitPoster>());
        Assert.Equal(session.ItemId, poster.SessionId);
        Assert.Equal("Best poster", Assert.Single(plan.Steps.Select(s => s.Command).OfType<AwardPosterPrize>()).Prize);
        Assert.Equal("11-13 May", Assert.Single(plan.Steps.Select(s => s.Command).OfType<PlanEdition>().Single().AlternativeDates!).Quote);
    }
}
