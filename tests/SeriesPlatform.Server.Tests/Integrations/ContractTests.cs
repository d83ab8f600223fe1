using System.Text;
using Microsoft.Extensions.DependencyInjection;
using SeriesPlatform.Domain;
using SeriesPlatform.EventStore;
using SeriesPlatform.Server.Feed;
using SeriesPlatform.Server.Tests.Integrations.Contract;

namespace SeriesPlatform.Server.Tests.Integrations;

public sealed class ContractTests(IntegrationFixture server) : IClassFixture<IntegrationFixture>
{
    private static string Repo()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "SeriesPlatform.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException("SeriesPlatform.sln not found above the test binaries.");
    }

    [Fact]
    public void Every_public_event_type_is_documented_with_an_example()
    {
        var doc = File.ReadAllText(Path.Combine(Repo(), "docs", "integrations.md"));
        foreach (var type in PublicTypes.All)
            Assert.True(doc.Contains($"`{type}`"), $"{type} is not documented in docs/integrations.md");
        Assert.All(PublicTypes.All, t => Assert.Matches(@"^org\.seriesplatform\.[a-z-]+\.[a-z-]+\.v\d+$", t));
    }

    /// <summary>
    /// The feed writes public events straight from the stored JSON. Every internal event type with a
    /// public form, in full and with every optional part missing, with text that needs escaping, must
    /// come out byte for byte as the typed contract model (deserialize, map to a record, serialize)
    /// writes it, through the real store and the real feed reader.
    /// </summary>
    [Fact]
    public async Task The_feed_writes_every_public_type_exactly_as_the_typed_contract_model()
    {
        var store = server.Factory.Services.GetRequiredService<PostgresEventStore>();
        var reader = server.Factory.Services.GetRequiredService<FeedReader>();
        var start = await store.ReadHeadAsync();
        var slug = "c" + Guid.NewGuid().ToString("N")[..10];
        var odd = "Ünïcödé <b>&amp;</b> 'quoted' \"double\" \\ back / slash \u2028 日本語 😀";
        var ours = new List<EventData>();
        EventData[] Ours(params EventData[] events) { ours.AddRange(events); return events; }
        await store.AppendAsync($"series-{slug}", "series", ExpectedVersion.NoStream, Ours(
            EventData.New(new SeriesCreated(slug, odd, null)),
            EventData.New(new SeriesRevised(null, "New description", [new Link("Website", "https://example.org/?a=1&b=<2>")], null)),
            EventData.New(new SeriesRevised(odd, null, null, "Be kind.")),
            EventData.New(new SeriesOrganizerAdded("Kyle Cranmer", "NYU", "0000-0002-5769-7094", "chair")),
            EventData.New(new SeriesOrganizerAdded(odd, null, null, null))));

        var full = Guid.NewGuid();
        var talk = Guid.NewGuid();
        var at = new DateTimeOffset(2022, 12, 3, 14, 3, 11, 520, TimeSpan.Zero);
        var speakers = new[] { new SpeakerRef("Savannah Thais", "Columbia", "0000-0002-1825-0097", "A private bio"), new SpeakerRef(odd) };
        await store.AppendAsync($"edition-{full:N}", "edition", ExpectedVersion.NoStream, Ours(
            EventData.New(new EditionPlanned(full, slug, "ML4PS 2022", new DateOnly(2022, 12, 3), new DateOnly(2022, 12, 4), 2022, "3-4 Dec 2022",
                [new DateClaim(new DateOnly(2022, 12, 2), new DateOnly(2022, 12, 2))], "America/New_York", new Venue("New Orleans Convention Center", "New Orleans", "USA"),
                EditionFormat.Hybrid, 250, "https://zoom.example/j/secret-meeting-42", Guid.NewGuid(), Description: "internal")),
            EventData.New(new EditionRescheduled(new DateOnly(2022, 12, 9), new DateOnly(2022, 12, 10), 2022)),
            EventData.New(new EditionAnnounced(at)),
            EventData.New(new EditionRegistrationOpened(at.AddDays(1))),
            EventData.New(new TalkScheduled(talk, TalkKind.Keynote, odd, "An abstract", speakers, new DateOnly(2022, 12, 3), new DateTime(2022, 12, 3, 9, 0, 0),
                10, "Hall E", new DateTimeOffset(2022, 12, 3, 14, 0, 0, TimeSpan.Zero), new DateTimeOffset(2022, 12, 3, 14, 10, 0, TimeSpan.Zero), 1)),
            EventData.New(new TalkScheduled(Guid.NewGuid(), TalkKind.Lightning, null, null, [], null, null, null, null, null, null, 2)),
            EventData.New(new TalkRescheduled(talk, new DateOnly(2022, 12, 3), new DateTime(2022, 12, 3, 10, 0, 0, 123), 15, null,
                new DateTimeOffset(2022, 12, 3, 15, 0, 0, 123, TimeSpan.Zero), null)),
            EventData.New(new TalkDetailsRevised(talk, "New title", null, null)),
            EventData.New(new TalkDetailsRevised(talk, null, odd, speakers)),
            EventData.New(new BreakScheduled(Guid.NewGuid(), BreakKind.Coffee, "Coffee break", new DateOnly(2022, 12, 3), new DateTime(2022, 12, 3, 10, 30, 0), 30, null,
                new DateTimeOffset(2022, 12, 3, 15, 30, 0, TimeSpan.Zero), new DateTimeOffset(2022, 12, 3, 16, 0, 0, TimeSpan.Zero), 3)),
            EventData.New(new BreakScheduled(Guid.NewGuid(), BreakKind.Reception, null, null, null, null, null, null, null, 4)),
            EventData.New(new PosterSessionScheduled(Guid.NewGuid(), "Poster session A", "https://example.org/signup?a=1&b=<2>", new DateOnly(2022, 12, 3),
                new DateTime(2022, 12, 3, 13, 0, 0), 60, "Hall E", new DateTimeOffset(2022, 12, 3, 18, 0, 0, TimeSpan.FromHours(0)), null, 5)),
            EventData.New(new BreakoutOpened(Guid.NewGuid(), "Uncertainty quantification", new SpeakerRef("Kyle Cranmer", "NYU", null, "bio"), 20, [],
                null, null, new DateTimeOffset(2022, 12, 3, 18, 0, 0, TimeSpan.Zero), null, Room: "B")),
            EventData.New(new BreakoutOpened(Guid.NewGuid(), odd, null, null, [], null, null, null, null)),
            EventData.New(new BreakoutClosed(Guid.NewGuid(), at)),
            EventData.New(new AttendeeRegistered(Guid.NewGuid(), "Ada Lovelace", "ada@example.org", "Analytical Engines", at)),
            EventData.New(new AttendeeWaitlisted(Guid.NewGuid(), "Grace Hopper", "grace@example.org", null, at)),
            EventData.New(new RegistrationCancelled(Guid.NewGuid(), true, at)),
            EventData.New(new RegistrationCancelled(Guid.NewGuid(), false, at)),
            EventData.New(new WaitlistedAttendeePromoted(Guid.NewGuid(), at)),
            EventData.New(new AttendeeCheckedIn(Guid.NewGuid(), at)),
            EventData.New(new TalkCancelled(talk, "Speaker ill")),
            EventData.New(new TalkCancelled(talk, null)),
            EventData.New(new EditionRegistrationClosed(at)),
            EventData.New(new EditionCancelled("Venue unavailable", at)),
            EventData.New(new EditionCancelled(null, at)),
            EventData.New(new EditionConcluded(at)),
            EventData.New(new EditionOrganizerAdded("Savannah Thais", "Columbia", null)),
            EventData.New(new AgendaPublished(1, odd, at, [
                new AgendaChange(AgendaChangeKind.Added, talk, AgendaItemKind.Talk, "Symmetries", new DateTime(2022, 12, 3, 9, 0, 0), "Hall E"),
                new AgendaChange(AgendaChangeKind.Moved, Guid.NewGuid(), AgendaItemKind.PosterSession, null, new DateTime(2022, 12, 3, 13, 0, 0), null,
                    PreviousStartLocal: new DateTime(2022, 12, 3, 12, 0, 0), PreviousRoom: "Hall D"),
                new AgendaChange(AgendaChangeKind.Cancelled, Guid.NewGuid(), AgendaItemKind.Break, odd, null, null, PreviousTitle: "Coffee")])),
            EventData.New(new AgendaPublished(2, null, at, [])),
            EventData.New(new PosterSubmitted(Guid.NewGuid(), Guid.NewGuid(), "Equivariant flows", speakers, odd, [new Link("arXiv", "https://arxiv.org/abs/2201.00001")])),
            EventData.New(new PosterSubmitted(Guid.NewGuid(), null, "Untitled", [])),
            EventData.New(new PosterPrizeAwarded(Guid.NewGuid(), "Best poster")),
            // Internal only: a breakout participant is personal data.
            EventData.New(new BreakoutJoined(Guid.NewGuid(), "Private Participant", null, at))));
        var bare = Guid.NewGuid();
        await store.AppendAsync($"edition-{bare:N}", "edition", ExpectedVersion.NoStream, Ours(
            EventData.New(new EditionPlanned(bare, slug, odd, null, null, null, null, [], "Asia/Tokyo", null, EditionFormat.Virtual, null, null)),
            EventData.New(new TalkScheduled(Guid.NewGuid(), TalkKind.Other, "Late talk", null, [new SpeakerRef("Yuki Nagai")], null, null, 20, null, null, null, 1))));
        await store.AppendAsync("people", "people", ExpectedVersion.Any, Ours(EventData.New(new PeopleMerged(Guid.NewGuid(), Guid.NewGuid(), "Private reason"))));
        const int Published = 5 + 33 + 2 + 1; // the breakout participant has no public form
        var ids = ours.Select(e => e.EventId).ToHashSet();

        // Everything after the start, unfiltered, as the feed writes it; then the test's own events.
        var feed = await Eventually.Until(async () =>
        {
            var mine = new List<string>();
            for (var cursor = start; ;)
            {
                using var page = await reader.ReadAsync(cursor, 1000, FeedFilter.All, default);
                mine.AddRange(page.Entries.Where(e => ids.Contains(e.Id)).Select(e => Encoding.UTF8.GetString(e.Json.Span)));
                cursor = page.Next;
                if (page.AtHead) return mine;
            }
        }, entries => entries.Count >= Published, "the test's events in the feed");

        var expected = new List<string>();
        var zones = new Dictionary<Guid, Contract.EditionInfo>();
        foreach (var e in await ReadAllAfter(store, start))
        {
            var id = ReferenceMapper.EditionIdOf(e.StreamId);
            if (e.Data is EditionPlanned p && id is { } planned) zones.TryAdd(planned, new Contract.EditionInfo(p.SeriesSlug, p.TimeZone));
            var mapped = ReferenceMapper.Map(e, id is { } known ? zones.GetValueOrDefault(known) : null);
            if (mapped is not null && ids.Contains(e.EventId)) expected.Add(ReferenceCloudEvent.Write(e, mapped));
        }
        Assert.Equal(Published, expected.Count);
        Assert.Equal(expected.Count, feed.Count);
        for (var i = 0; i < expected.Count; i++)
            Assert.True(expected[i] == feed[i], $"Event {i} differs.\nexpected: {expected[i]}\nfeed:     {feed[i]}");
        Assert.Equal(PublicTypes.All.Order(), feed.Select(f => System.Text.Json.JsonDocument.Parse(f).RootElement.GetProperty("type").GetString()!).Distinct().Order());

        foreach (var secret in new[] { "Ada", "Lovelace", "ada@example.org", "Grace", "grace@example.org", "zoom.example", "secret-meeting", "bio",
            "Private Participant", "Private reason", "internal" })
            Assert.DoesNotContain(secret, string.Concat(feed));
    }

    private static async Task<List<RecordedEvent>> ReadAllAfter(PostgresEventStore store, GlobalCursor start)
    {
        var all = new List<RecordedEvent>();
        for (var cursor = start; await store.ReadAllAsync(cursor, 1000) is { Count: > 0 } page; cursor = page[^1].Cursor) all.AddRange(page);
        return all;
    }
}
