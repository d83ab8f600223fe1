using System.Text.RegularExpressions;
using SeriesPlatform.Domain;

namespace SeriesPlatform.Domain.Tests;

public class DomainEventsTests
{
    [Fact]
    public void Names_and_types_are_unique_and_stable_looking()
    {
        var all = DomainEvents.All;
        Assert.Equal(all.Count, all.Select(x => x.Name).Distinct().Count());
        Assert.Equal(all.Count, all.Select(x => x.Type).Distinct().Count());
        Assert.All(all, x => Assert.Matches(new Regex("^[a-z]+(-[a-z]+)*\\.[a-z]+(-[a-z]+)*$"), x.Name));
        Assert.Equal("talk.scheduled", DomainEvents.NameOf(typeof(TalkScheduled)));
        Assert.Equal(typeof(EditionPlanned), DomainEvents.TypeOf("edition.planned"));
    }

    [Fact]
    public void Every_event_record_in_the_domain_is_registered()
    {
        // Event records are the types that commands return: all records named in past tense live in *Events.cs files.
        var registered = DomainEvents.All.Select(x => x.Type).ToHashSet();
        var candidates = typeof(DomainEvents).Assembly.GetTypes()
            .Where(t => t.IsPublic && t.GetMethod("<Clone>$") is not null)
            .Where(t => Regex.IsMatch(t.Name, "(ed|ing)$") || t.Name.EndsWith("Joined") || t.Name.EndsWith("CheckedIn"))
            .Where(t => !t.Name.StartsWith("Schedul")).ToList();
        Assert.True(candidates.Count >= 25, $"found only {candidates.Count} event records");
        Assert.All(candidates, t => Assert.Contains(t, registered));
    }
}
