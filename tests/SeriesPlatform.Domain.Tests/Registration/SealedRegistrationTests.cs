using SeriesPlatform.Domain;
using static SeriesPlatform.Domain.Tests.Kit;

namespace SeriesPlatform.Domain.Tests.Registration;

/// <summary>With sealed personal data the rules work on the keyed fingerprint, and the sealed values pass through untouched.</summary>
public class SealedRegistrationTests
{
    private static Given<EditionState> Open() => Given.Edition(Tufts(null), new EditionRegistrationOpened(Now));

    [Fact]
    public void The_same_email_key_is_a_duplicate_whatever_the_ciphertext()
    {
        var g = Open();
        var subject = Guid.NewGuid();
        var registered = g.Single<AttendeeRegistered>(new RegisterAttendee(Guid.NewGuid(), "pd1:AAAA", "pd1:BBBB", null, subject, "key-1"));
        Assert.Equal(("pd1:AAAA", "pd1:BBBB", subject, "key-1"), (registered.Name, registered.Email, registered.SubjectId, registered.EmailKey));
        g.Rejects(new RegisterAttendee(Guid.NewGuid(), "pd1:CCCC", "pd1:DDDD", null, subject, "key-1"), "duplicate-registration");
        g.Single<AttendeeRegistered>(new RegisterAttendee(Guid.NewGuid(), "pd1:CCCC", "pd1:DDDD", null, Guid.NewGuid(), "key-2"));
    }

    [Fact]
    public void Joining_a_breakout_twice_with_the_same_name_key_is_a_no_op()
    {
        var g = Open();
        var breakout = Guid.NewGuid();
        g.When(new OpenBreakout(breakout, "Symmetries", null, null, []));
        g.Single<BreakoutJoined>(new JoinBreakout(breakout, "pd1:AAAA", null, Guid.NewGuid(), "name-1"));
        Assert.Empty(g.When(new JoinBreakout(breakout, "pd1:ZZZZ", null, Guid.NewGuid(), "name-1")));
        g.Single<BreakoutJoined>(new JoinBreakout(breakout, "pd1:AAAA", null, Guid.NewGuid(), "name-2"));
    }
}
