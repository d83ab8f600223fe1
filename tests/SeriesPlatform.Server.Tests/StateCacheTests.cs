using Microsoft.Extensions.DependencyInjection;
using SeriesPlatform.Domain;
using SeriesPlatform.EventStore;
using SeriesPlatform.Server.Commands;

namespace SeriesPlatform.Server.Tests;

/// <summary>Commands reuse the state this process folded last time, but never miss an event written elsewhere.</summary>
public sealed class StateCacheTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task A_command_sees_an_event_appended_by_another_writer_after_the_state_was_cached()
    {
        var admin = server.Admin();
        var slug = "s" + Guid.NewGuid().ToString("N")[..10];
        await admin.Post("/api/series", new { slug, name = "Cache" }).Expect(201);
        var id = Guid.Parse((await admin.Post($"/api/series/{slug}/editions",
            new { title = "E", startDate = "2022-08-08", endDate = "2022-08-09", timeZone = "America/New_York", format = "inPerson" })
            .Expect(201)).GetProperty("id").GetString()!);
        await admin.Post($"/api/editions/{id}/talks", new { title = "First", start = "2022-08-08T09:00", durationMinutes = 30 }).Expect(201);

        // Another process (here: the store directly) schedules a talk at 10:00; this process has the older state cached.
        var store = server.Factory.Services.GetRequiredService<PostgresEventStore>();
        var version = await store.GetStreamVersionAsync(Aggregates.EditionStream(id));
        var start = new DateTime(2022, 8, 8, 10, 0, 0);
        await store.AppendAsync(Aggregates.EditionStream(id), "edition", ExpectedVersion.Exactly(version!.Value),
            [EventData.New(new TalkScheduled(Guid.NewGuid(), TalkKind.Other, "Elsewhere", null, [], DateOnly.FromDateTime(start), start, 30, null,
                new DateTimeOffset(2022, 8, 8, 14, 0, 0, TimeSpan.Zero), new DateTimeOffset(2022, 8, 8, 14, 30, 0, TimeSpan.Zero), 99))]);

        var refused = await admin.Post($"/api/editions/{id}/talks", new { title = "Clash", start = "2022-08-08T10:15", durationMinutes = 30 })
            .Expect(422, "application/problem+json");
        Assert.Equal("slot-overlap", refused.GetProperty("code").GetString());
        using var accepted = await admin.Post($"/api/editions/{id}/talks", new { title = "Later", start = "2022-08-08T11:00", durationMinutes = 30 });
        Assert.Equal("\"4\"", accepted.Headers.ETag?.Tag);
    }

    [Fact]
    public async Task A_refusal_decided_on_state_another_writer_moved_past_is_decided_again_on_fresh_state()
    {
        var admin = server.Admin();
        var id = await EditionAsync(admin);
        var blocker = (await admin.Post($"/api/editions/{id}/talks", new { title = "Blocker", start = "2022-08-08T10:00", durationMinutes = 30 })
            .Expect(201)).GetProperty("id").GetString()!;

        // Another process cancels the blocking talk; this process still has it cached as scheduled.
        var store = server.Factory.Services.GetRequiredService<PostgresEventStore>();
        var version = await store.GetStreamVersionAsync(Aggregates.EditionStream(id));
        await store.AppendAsync(Aggregates.EditionStream(id), "edition", ExpectedVersion.Exactly(version!.Value),
            [EventData.New(new TalkCancelled(Guid.Parse(blocker), "moved elsewhere"))]);

        await admin.Post($"/api/editions/{id}/talks", new { title = "Now free", start = "2022-08-08T10:00", durationMinutes = 30 }).Expect(201);
    }

    /// <summary>
    /// Two processes (two handlers, each with its own cache and group commit) register attendees into
    /// one edition at once: every command is accepted once, seats go in one order, none is lost.
    /// </summary>
    [Fact]
    public async Task Two_processes_writing_one_edition_at_once_lose_nothing_and_fill_seats_exactly()
    {
        var admin = server.Admin();
        var id = await EditionAsync(admin, capacity: 30);
        await admin.Post($"/api/editions/{id}/registration/open", new { }).Expect(200);
        var store = server.Factory.Services.GetRequiredService<PostgresEventStore>();
        var here = server.Factory.Services.GetRequiredService<CommandHandler>();
        await using var otherCommits = new CommitQueue(store);
        var elsewhere = new CommandHandler(store, otherCommits, TimeProvider.System);

        var stream = Aggregates.EditionStream(id);
        var attempts = Enumerable.Range(0, 80).Select(i => Task.Run(() => (i % 2 == 0 ? here : elsewhere).HandleAsync(stream,
            new RegisterAttendee(Guid.NewGuid(), $"Person {i}", $"p{i}@example.org"), new CommandRequest("test"), _ => null)));
        var responses = await Task.WhenAll(attempts);

        Assert.All(responses, r => Assert.Equal(200, r.Status));
        Assert.Equal(Enumerable.Range(3, 80).Select(v => (long)v), responses.Select(r => r.Version).Order());
        var state = await here.LoadAsync<EditionState>(stream, CancellationToken.None);
        Assert.Equal(30, state.SeatsTaken);
        Assert.Equal(50, state.WaitlistedCount);
        Assert.Equal(80, state.Registrations.Select(r => r.EmailKey).Distinct().Count());
        Assert.True(state.Registrations.Take(30).All(r => r.Status == RegistrationStatus.Registered));
    }

    /// <summary>
    /// If-Match names the version this process has cached, but another process moved the stream: the
    /// append itself refuses (the group commit cannot look at row counts), and the 409 names the head.
    /// </summary>
    [Fact]
    public async Task If_match_on_a_version_another_process_moved_past_is_a_409_naming_the_head()
    {
        var admin = server.Admin();
        var id = await EditionWithFirstTalkAsync(admin);
        var store = server.Factory.Services.GetRequiredService<PostgresEventStore>();
        var version = (await store.GetStreamVersionAsync(Aggregates.EditionStream(id)))!.Value;
        await store.AppendAsync(Aggregates.EditionStream(id), "edition", ExpectedVersion.Exactly(version),
            [EventData.New(new EditionAnnounced(DateTimeOffset.UtcNow)), EventData.New(new EditionAnnounced(DateTimeOffset.UtcNow))]);

        var conflict = await admin.Post($"/api/editions/{id}/talks", new { title = "Second", start = "2022-08-08T10:00", durationMinutes = 30 },
            r => r.Headers.TryAddWithoutValidation("If-Match", $"\"{version}\"")).Expect(409, "application/problem+json");
        Assert.Equal(version + 2, conflict.GetProperty("currentVersion").GetInt64());
        var edition = await admin.GetAsync($"/api/editions/{id}").Expect(200);
        Assert.Equal(version + 2, edition.GetProperty("version").GetInt64()); // the refused talk left nothing behind
    }

    /// <summary>
    /// A read is given the state this process holds; the next command must evolve a copy, or the
    /// reader (still rendering a page, say) would see it change under it.
    /// </summary>
    [Fact]
    public async Task A_state_given_to_a_reader_never_changes_under_it()
    {
        var admin = server.Admin();
        var id = await EditionWithFirstTalkAsync(admin);
        var handler = server.Factory.Services.GetRequiredService<CommandHandler>();
        var stream = Aggregates.EditionStream(id);

        var read = await handler.LoadAsync<EditionState>(stream, CancellationToken.None);
        var again = await handler.LoadAsync<EditionState>(stream, CancellationToken.None);
        Assert.Same(read, again); // nothing was written in between: the same state, not loaded again
        await admin.Post($"/api/editions/{id}/talks", new { title = "Second", start = "2022-08-08T10:00", durationMinutes = 30 }).Expect(201);

        Assert.Equal(2, read.Version);
        Assert.Equal(["First"], read.Items.Values.Select(i => i.Title));
        var after = await handler.LoadAsync<EditionState>(stream, CancellationToken.None);
        Assert.NotSame(read, after);
        Assert.Equal(3, after.Version);
        Assert.Equal(["First", "Second"], after.Items.Values.Select(i => i.Title).Order());
    }

    [Fact]
    public async Task A_read_sees_an_event_another_process_appended_after_the_state_was_cached()
    {
        var admin = server.Admin();
        var id = await EditionAsync(admin);
        await admin.GetAsync($"/api/editions/{id}/agenda").Expect(200); // cached now
        var store = server.Factory.Services.GetRequiredService<PostgresEventStore>();
        var version = await store.GetStreamVersionAsync(Aggregates.EditionStream(id));
        await store.AppendAsync(Aggregates.EditionStream(id), "edition", ExpectedVersion.Exactly(version!.Value),
            [EventData.New(new EditionAnnounced(DateTimeOffset.UtcNow))]);

        var edition = await admin.GetAsync($"/api/editions/{id}").Expect(200);
        Assert.Equal(version + 1, edition.GetProperty("version").GetInt64());
        Assert.Equal("announced", edition.GetProperty("status").GetString());
    }

    /// <summary>An edition at version 2: planned, with one talk ("First", 09:00).</summary>
    private static async Task<Guid> EditionWithFirstTalkAsync(HttpClient admin)
    {
        var id = await EditionAsync(admin);
        await admin.Post($"/api/editions/{id}/talks", new { title = "First", start = "2022-08-08T09:00", durationMinutes = 30 }).Expect(201);
        return id;
    }

    private static async Task<Guid> EditionAsync(HttpClient admin, int? capacity = null)
    {
        var slug = "s" + Guid.NewGuid().ToString("N")[..10];
        await admin.Post("/api/series", new { slug, name = "Cache" }).Expect(201);
        return Guid.Parse((await admin.Post($"/api/series/{slug}/editions",
            new { title = "E", startDate = "2022-08-08", endDate = "2022-08-09", timeZone = "America/New_York", format = "inPerson", capacity })
            .Expect(201)).GetProperty("id").GetString()!);
    }
}
