using SeriesPlatform.Domain;
using static SeriesPlatform.Domain.Tests.Kit;

namespace SeriesPlatform.Domain.Tests.Registration;

public class RegistrationTests
{
    private static readonly Guid A = Guid.NewGuid(), B = Guid.NewGuid(), C = Guid.NewGuid(), D = Guid.NewGuid();

    private static Given<EditionState> Open(int? capacity) => Given.Edition(Tufts(capacity), new EditionRegistrationOpened(Now));
    private static RegisterAttendee Reg(Guid id, string name) => new(id, name, $"{name.ToLowerInvariant()}@example.org", "Tufts");

    [Fact]
    public void Registers_until_capacity_then_waitlists_in_order()
    {
        var g = Open(2);
        var a = g.Single<AttendeeRegistered>(Reg(A, "Ada"));
        Assert.Equal(Now, a.At);
        g.Single<AttendeeRegistered>(Reg(B, "Bob"));
        g.Single<AttendeeWaitlisted>(Reg(C, "Cy"));
        g.Single<AttendeeWaitlisted>(Reg(D, "Di"));
        Assert.Equal([A, B, C, D], g.State.Registrations.Select(r => r.Id));
    }

    [Fact]
    public void Cancelling_a_seat_promotes_exactly_the_first_waitlisted()
    {
        var g = Open(2);
        foreach (var (id, name) in new[] { (A, "Ada"), (B, "Bob"), (C, "Cy"), (D, "Di") }) g.When(Reg(id, name));
        var later = Now.AddDays(1);
        var events = g.When(new CancelRegistration(B), later);
        Assert.Equal(2, events.Count);
        Assert.Equal(new RegistrationCancelled(B, true, later), events[0]);
        Assert.Equal(new WaitlistedAttendeePromoted(C, later), events[1]);
        Assert.Equal(RegistrationStatus.Registered, g.State.Registrations.Single(r => r.Id == C).Status);
        Assert.Equal(RegistrationStatus.Waitlisted, g.State.Registrations.Single(r => r.Id == D).Status);
    }

    [Fact]
    public void Cancelling_a_waitlisted_registration_promotes_nobody_and_twice_is_a_no_op()
    {
        var g = Open(1);
        g.When(Reg(A, "Ada"));
        g.When(Reg(B, "Bob"));
        g.When(Reg(C, "Cy"));
        Assert.Equal(new RegistrationCancelled(B, false, Now), Assert.Single(g.When(new CancelRegistration(B))));
        Assert.Empty(g.When(new CancelRegistration(B)));
        Assert.Throws<EntityNotFound>(() => new CancelRegistration(D).Decide(g.State, Now));
    }

    [Fact]
    public void Cancelling_works_after_registration_closed_and_still_promotes()
    {
        var g = Open(1);
        g.When(Reg(A, "Ada"));
        g.When(Reg(B, "Bob"));
        g.When(new CloseRegistration());
        Assert.IsType<WaitlistedAttendeePromoted>(g.When(new CancelRegistration(A))[1]);
    }

    [Fact]
    public void Without_capacity_everyone_is_registered_and_capacity_zero_waitlists_everyone()
    {
        var unlimited = Open(null);
        for (var i = 0; i < 20; i++) unlimited.Single<AttendeeRegistered>(Reg(Guid.NewGuid(), $"P{i}"));
        Open(0).Single<AttendeeWaitlisted>(Reg(A, "Ada"));
    }

    [Fact]
    public void Checked_in_attendees_still_hold_their_seats()
    {
        var g = Open(1);
        g.When(Reg(A, "Ada"));
        g.Single<AttendeeCheckedIn>(new CheckInAttendee(A));
        Assert.True(g.State.Registrations[0].CheckedIn);
        g.Single<AttendeeWaitlisted>(Reg(B, "Bob"));
    }

    [Fact]
    public void Same_email_trimmed_and_case_insensitive_is_a_duplicate_while_active()
    {
        var g = Open(null);
        g.When(new RegisterAttendee(A, "Ada", "Ada@Example.org"));
        g.Rejects(new RegisterAttendee(B, "Ada L.", "  ada@example.ORG "), "duplicate-registration");
        g.When(new CancelRegistration(A));
        g.Single<AttendeeRegistered>(new RegisterAttendee(B, "Ada L.", "  ada@example.ORG "));
        g.Rejects(new RegisterAttendee(B, "Other", "other@example.org"), "duplicate-id");
    }

    [Fact]
    public void Registration_must_be_open()
    {
        Given.Edition(Tufts()).Rejects(Reg(A, "Ada"), "registration-closed");
        var g = Open(null);
        g.When(new CloseRegistration());
        g.Rejects(Reg(A, "Ada"), "registration-closed");
    }

    [Fact]
    public void Only_registered_attendees_check_in_and_twice_is_a_no_op()
    {
        var g = Open(1);
        g.When(Reg(A, "Ada"));
        g.When(Reg(B, "Bob"));
        g.Rejects(new CheckInAttendee(B), "not-registered");
        g.When(new CheckInAttendee(A));
        Assert.Empty(g.When(new CheckInAttendee(A)));
        g.When(new CancelRegistration(B));
        g.Rejects(new CheckInAttendee(B), "not-registered");
    }

    [Theory]
    [InlineData("not-an-email")]
    [InlineData("a@b")]
    [InlineData("a b@example.org")]
    [InlineData("")]
    public void Email_must_look_like_an_email(string email)
    {
        Assert.Contains("email", new RegisterAttendee(A, "Ada", email).Validate().Keys);
    }

    [Fact]
    public void Long_emails_and_names_are_rejected()
    {
        var errors = new RegisterAttendee(A, new string('n', 201), new string('e', 250) + "@x.org").Validate();
        Assert.Equal(["email", "name"], errors.Keys.Order());
    }
}
