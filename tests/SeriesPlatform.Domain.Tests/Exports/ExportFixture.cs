using System.Diagnostics;
using System.Runtime.CompilerServices;
using SeriesPlatform.Domain.Exports;
using static SeriesPlatform.Domain.Tests.Kit;

namespace SeriesPlatform.Domain.Tests.Exports;

/// <summary>
/// A realistic two-day edition in America/New_York (the IAIFI summer workshop at Tufts, 8-9 August
/// 2022), built by folding the events of real commands, plus the external validators.
/// </summary>
public static class ExportFixture
{
    public static readonly Guid Opening = Guid.Parse("a0000000-0000-4000-8000-000000000001");
    public static readonly Guid Equivariant = Guid.Parse("a0000000-0000-4000-8000-000000000002");
    public static readonly Guid DetailsToCome = Guid.Parse("a0000000-0000-4000-8000-000000000003");
    public static readonly Guid Coffee = Guid.Parse("a0000000-0000-4000-8000-000000000004");
    public static readonly Guid Hostile = Guid.Parse("a0000000-0000-4000-8000-000000000005");
    public static readonly Guid Lunch = Guid.Parse("a0000000-0000-4000-8000-000000000006");
    public static readonly Guid Cancelled = Guid.Parse("a0000000-0000-4000-8000-000000000007");
    public static readonly Guid PosterSession = Guid.Parse("a0000000-0000-4000-8000-000000000008");
    public static readonly Guid Keynote = Guid.Parse("a0000000-0000-4000-8000-000000000009");
    public static readonly Guid Untimed = Guid.Parse("a0000000-0000-4000-8000-00000000000a");
    public static readonly Guid LongTitle = Guid.Parse("a0000000-0000-4000-8000-00000000000b");

    public const string HostileTitle = "<script>alert(1)</script> & \"quotes\" ]]> -- done";
    public const string AccentedSpeaker = "Ana Šarčević-Núñez";

    public static readonly ExportContext Context = new("iaifi-summer-workshop", "IAIFI Summer Workshop",
        new Uri("https://series.example.org/"), null, new DateTimeOffset(2022, 8, 1, 12, 30, 0, TimeSpan.Zero));

    public static EditionState Tufts()
    {
        var g = Given.Edition(Kit.Tufts());
        g.When(Talk(Opening, Local(2022, 8, 8, 9, 0), 15, "Auditorium", "Welcome and opening remarks", TalkKind.Remarks,
            speakers: new SpeakerRef("Jesse Thaler", "MIT")));
        g.When(new ScheduleTalk(Equivariant, "Equivariant networks for lattice QCD",
            "Gauge symmetry, built in.\nSecond line; with a semicolon, a comma and a back\\slash.",
            [new SpeakerRef(AccentedSpeaker, "Universidad Autónoma de Madrid; CERN, Geneva")],
            null, Local(2022, 8, 8, 9, 15), 45, "Auditorium", TalkKind.Invited));
        g.When(Talk(DetailsToCome, Local(2022, 8, 8, 10, 0), 30, "Auditorium", title: null,
            speakers: new SpeakerRef("Phiala Shanahan", "MIT")));
        g.When(new ScheduleBreak(Coffee, BreakKind.Coffee, null, null, Local(2022, 8, 8, 10, 30), 30, null));
        g.When(new ScheduleTalk(Hostile, HostileTitle, "<b>bold</b> & <img src=x onerror=alert(2)>\nEND:VEVENT\nBEGIN:VEVENT\nSUMMARY:injected",
            [new SpeakerRef("Mallory O'Hara", "Evil & Co <i>")], null, Local(2022, 8, 8, 11, 0), 45, "Auditorium", TalkKind.Contributed));
        g.When(new ScheduleBreak(Lunch, BreakKind.Lunch, "Lunch on the terrace", null, Local(2022, 8, 8, 12, 0), 60, null));
        g.When(Talk(Cancelled, Local(2022, 8, 8, 13, 0), 45, "Auditorium", "A talk that was called off",
            speakers: new SpeakerRef("Nobody Atall")));
        g.When(new CancelTalk(Cancelled, "speaker ill"));
        g.When(new SchedulePosterSession(PosterSession, null, null, Local(2022, 8, 8, 14, 0), 90, "Atrium",
            "https://series.example.org/posters/signup?edition=2022&lang=en"));

        g.When(Talk(Keynote, Local(2022, 8, 9, 9, 0), 60, "Auditorium", "Machine learning and the physical sciences", TalkKind.Keynote,
            speakers: new SpeakerRef("Kyle Cranmer", "NYU")));
        g.When(new RescheduleTalk(Keynote, Local(2022, 8, 9, 9, 30)));
        g.When(Talk(LongTitle, Local(2022, 8, 9, 11, 0), 30, "Auditorium",
            "Über die Quantenfeldtheorie — Künstliche Intelligenz für Gittereichtheorien: Fortschritte, Grenzen und Perspektiven für die nächste Dekade",
            TalkKind.Contributed, speakers: new SpeakerRef("Jürgen Müller-Lüdenscheidt", "Universität Heidelberg")));
        g.When(Talk(Untimed, null, null, null, "Closing discussion", TalkKind.Discussion, day: new DateOnly(2022, 8, 9)));
        return g.State;
    }

    public static string SpecsDirectory() => SchemaValidators.SpecsDirectory();
    public static (bool Valid, string Output) ValidateXml(string xml) => SchemaValidators.ValidateXml(xml);
    public static (bool Valid, string Output) ValidateJson(string json) => SchemaValidators.ValidateJson(json);
}
