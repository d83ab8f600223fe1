using SeriesPlatform.Domain;
using static SeriesPlatform.Domain.Tests.Kit;

namespace SeriesPlatform.Domain.Tests.Editions;

public class PublishAgendaTests
{
    private static readonly Guid A = Guid.Parse("aaaaaaaa-0000-0000-0000-000000000001");
    private static readonly Guid B = Guid.Parse("aaaaaaaa-0000-0000-0000-000000000002");
    private static readonly Guid C = Guid.Parse("aaaaaaaa-0000-0000-0000-000000000003");

    [Fact]
    public void The_first_release_lists_every_active_item_as_added()
    {
        var given = Given.Edition(Tufts());
        given.When(Talk(A, Local(2022, 8, 8, 9, 15), title: "Symmetries"));
        given.When(Talk(B, Local(2022, 8, 8, 10, 0), title: "Details to come"));
        var published = given.Single<AgendaPublished>(new PublishAgenda("  first programme "));
        Assert.Equal(1, published.Version);
        Assert.Equal("first programme", published.Note);
        Assert.Equal([AgendaChangeKind.Added, AgendaChangeKind.Added], published.Changes.Select(c => c.Change));
        Assert.Equal(A, published.Changes[0].ItemId);
        Assert.Equal(1, given.State.ReleaseCount);
    }

    [Fact]
    public void The_next_release_says_what_was_added_moved_retitled_and_cancelled()
    {
        var given = Given.Edition(Tufts());
        given.When(Talk(A, Local(2022, 8, 8, 9, 15), title: "Symmetries"));
        given.When(Talk(B, Local(2022, 8, 8, 10, 0), title: "Old title"));
        given.When(new PublishAgenda());
        given.When(new RescheduleTalk(A, Local(2022, 8, 9, 11, 0)));
        given.When(new ReviseTalkDetails(B, Title: "New title"));
        given.When(Talk(C, Local(2022, 8, 8, 14, 0), title: "Late addition"));
        given.When(new CancelTalk(A));

        var second = given.Single<AgendaPublished>(new PublishAgenda());
        Assert.Equal(2, second.Version);
        // A was moved and then cancelled before the release: the release only says it is gone.
        Assert.Contains(second.Changes, c => c is { Change: AgendaChangeKind.Cancelled } && c.ItemId == A);
        Assert.DoesNotContain(second.Changes, c => c.Change == AgendaChangeKind.Moved && c.ItemId == A);
        var retitled = Assert.Single(second.Changes, c => c.Change == AgendaChangeKind.Retitled);
        Assert.Equal(("Old title", "New title"), (retitled.PreviousTitle, retitled.Title));
        Assert.Single(second.Changes, c => c.Change == AgendaChangeKind.Added && c.ItemId == C);
        Assert.Equal(3, second.Changes.Count);
    }

    [Fact]
    public void A_move_records_where_the_item_was_before()
    {
        var given = Given.Edition(Tufts());
        given.When(Talk(A, Local(2022, 8, 8, 9, 15), room: "Hall"));
        given.When(new PublishAgenda());
        given.When(new RescheduleTalk(A, Local(2022, 8, 8, 16, 0), Room: "Room 2"));
        var moved = Assert.Single(given.Single<AgendaPublished>(new PublishAgenda()).Changes);
        Assert.Equal(AgendaChangeKind.Moved, moved.Change);
        Assert.Equal((Local(2022, 8, 8, 9, 15), "Hall"), (moved.PreviousStartLocal!.Value, moved.PreviousRoom));
        Assert.Equal((Local(2022, 8, 8, 16, 0), "Room 2"), (moved.StartLocal!.Value, moved.Room));
    }

    [Fact]
    public void Publishing_an_unchanged_agenda_again_is_refused()
    {
        var given = Given.Edition(Tufts());
        given.When(Talk(A, Local(2022, 8, 8, 9, 15)));
        given.When(new PublishAgenda());
        given.Rejects(new PublishAgenda(), "agenda-unchanged");
    }

    [Fact]
    public void An_unknown_edition_cannot_publish_and_a_huge_note_is_invalid()
    {
        Assert.Throws<EntityNotFound>(() => new PublishAgenda().Decide(new EditionState(), Now));
        Assert.Contains("note", new PublishAgenda(new string('x', 10_001)).Validate().Keys);
    }

    [Fact]
    public void The_release_state_survives_a_snapshot_round_trip()
    {
        var given = Given.Edition(Tufts());
        given.When(Talk(A, Local(2022, 8, 8, 9, 15)));
        given.When(new PublishAgenda());
        var back = Json.RoundTrip(given.State);
        Assert.Equal(1, back.ReleaseCount);
        Assert.Equal(A, Assert.Single(back.ReleasedItems).Id);
    }
}
