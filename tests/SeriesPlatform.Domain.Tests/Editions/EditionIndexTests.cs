using System.Text.Json;
using SeriesPlatform.Domain;
using static SeriesPlatform.Domain.Tests.Kit;

namespace SeriesPlatform.Domain.Tests.Editions;

/// <summary>
/// The edition's derived lookups (seats, waitlist, talk count, next order, rooms, duplicate emails)
/// are kept current by the add-only events and rebuilt after any other: after every step of a random
/// mix of commands they must equal a plain recount of the state, in the live state and in one
/// restored from its JSON snapshot.
/// </summary>
public class EditionIndexTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Derived_lookups_equal_a_recount_after_every_step(int seed)
    {
        var random = new Random(seed);
        var g = Given.Edition(Tufts(capacity: 5));
        g.When(new OpenRegistration());
        var talks = new List<Guid>();
        var registrations = new List<(Guid Id, string Email)>();
        for (var step = 0; step < 300; step++)
        {
            try
            {
                switch (random.Next(6))
                {
                    case 0 or 1:
                        var talk = Guid.NewGuid();
                        g.When(Talk(talk, Local(2022, 8, 8, 9 + random.Next(8), 5 * random.Next(12)), 20, $"Room {random.Next(3)}"));
                        talks.Add(talk);
                        break;
                    case 2 when talks.Count > 0:
                        var t = talks[random.Next(talks.Count)];
                        if (random.Next(2) == 0) g.When(new CancelTalk(t));
                        else g.When(new RescheduleTalk(t, Local(2022, 8, 9, 9 + random.Next(8), 0), 30, $" room {random.Next(3)} "));
                        break;
                    case 3 or 4:
                        var email = $"p{random.Next(40)}@example.org";
                        var id = Guid.NewGuid();
                        g.When(new RegisterAttendee(id, "Person", random.Next(2) == 0 ? email : email.ToUpperInvariant()));
                        registrations.Add((id, email));
                        break;
                    case 5 when registrations.Count > 0:
                        g.When(new CancelRegistration(registrations[random.Next(registrations.Count)].Id));
                        break;
                }
            }
            catch (RuleViolation) { } // refused commands change nothing; the lookups must still agree
            AssertMatchesRecount(g.State);
        }
        AssertMatchesRecount(JsonSerializer.Deserialize<EditionState>(JsonSerializer.Serialize(g.State))!);
    }

    private static void AssertMatchesRecount(EditionState s)
    {
        Assert.Equal(s.Registrations.Count(r => r.Status == RegistrationStatus.Registered), s.SeatsTaken);
        Assert.Equal(s.Registrations.Count(r => r.Status == RegistrationStatus.Waitlisted), s.WaitlistedCount);
        Assert.Equal(s.Items.Values.Count(i => i.Kind == AgendaItemKind.Talk && !i.Cancelled), s.ActiveTalkCount);
        Assert.Equal(s.Items.Count == 0 ? 1 : s.Items.Values.Max(i => i.Order) + 1, s.NextOrder);
        foreach (var r in s.Registrations)
        {
            Assert.Same(r, s.FindRegistration(r.Id));
            Assert.Equal(s.Registrations.Any(x => x.Active && x.EmailKey == r.EmailKey), s.HasActiveRegistration(r.EmailKey));
        }
        Assert.Null(s.FindRegistration(Guid.NewGuid()));
    }

    [Fact]
    public void A_room_compares_trimmed_and_ignoring_case_after_a_reschedule_into_it()
    {
        var g = Given.Edition(Tufts());
        var moved = Guid.NewGuid();
        g.When(Talk(Guid.NewGuid(), Local(2022, 8, 8, 10, 0), 30, "Hall A"));
        g.When(Talk(moved, Local(2022, 8, 8, 10, 0), 30, "Hall B"));
        Assert.Equal("slot-overlap", g.Rejects(new RescheduleTalk(moved, Local(2022, 8, 8, 10, 15), 30, "  hall a "), "slot-overlap").Code);
        g.When(new RescheduleTalk(moved, Local(2022, 8, 8, 10, 30), 30, "  hall a "));
        g.Rejects(Talk(Guid.NewGuid(), Local(2022, 8, 8, 10, 45), 10, "HALL A"), "slot-overlap");
    }
}
