using Microsoft.Extensions.DependencyInjection;
using System.Net;
using System.Text.Json;
using Npgsql;

namespace SeriesPlatform.Server.Tests;

public sealed class CommandApiTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private readonly HttpClient _admin = server.Admin();

    private async Task<string> NewEdition(string zone = "America/New_York", string start = "2022-08-08", string end = "2022-08-09", int? capacity = null)
    {
        var slug = "s" + Guid.NewGuid().ToString("N")[..10];
        await _admin.Post("/api/series", new { slug, name = "IAIFI Summer Workshop" }).Expect(201);
        var edition = await _admin.Post($"/api/series/{slug}/editions",
            new { title = "IAIFI 2022", startDate = start, endDate = end, timeZone = zone, format = "inPerson", capacity, venue = new { name = "Joyce Cummings Center" } })
            .Expect(201);
        return edition.GetProperty("id").GetString()!;
    }

    [Fact]
    public async Task Creates_answer_201_with_location_and_an_etag()
    {
        var slug = "s" + Guid.NewGuid().ToString("N")[..10];
        using var created = await _admin.Post("/api/series", new { slug, name = "string_data" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal($"/api/series/{slug}", created.Headers.Location?.ToString());
        Assert.Equal("\"1\"", created.Headers.ETag?.Tag);

        var again = await _admin.Post("/api/series", new { slug, name = "again" }).Expect(409, "application/problem+json");
        Assert.EndsWith("already-exists", again.GetProperty("type").GetString());

        var id = await NewEdition();
        var edition = await _admin.GetAsync($"/api/editions/{id}");
        Assert.Equal(HttpStatusCode.OK, edition.StatusCode);
        Assert.Equal("\"1\"", edition.Headers.ETag?.Tag);
    }

    [Fact]
    public async Task A_snapshot_of_many_chunks_and_values_longer_than_a_chunk_reads_back_as_the_events_fold()
    {
        var id = await NewEdition();
        // Abstracts at the length limit, mostly text JSON must escape: the writer asks for more than
        // a 64 KB chunk for each of them, and the whole snapshot spans many chunks.
        var abstractText = string.Concat(Enumerable.Repeat("<é \"quoted\" 😀 \\ naïve>\n", 10_000 / 10));
        for (var i = 0; i < Commands.CommandHandler.SnapshotEvery; i++)
            await _admin.Post($"/api/editions/{id}/talks", new
            {
                title = $"Talk {i}", @abstract = $"{i}: {abstractText}"[..10_000], speakers = new[] { new { name = $"Speaker {i}" } },
                start = "2022-08-08T10:00", durationMinutes = 30, room = $"Room {i}",
            }).Expect(201);

        await using var db = NpgsqlDataSource.Create(server.ConnectionString);
        await using (var cmd = db.CreateCommand("select version, octet_length(state::text) from snapshots where stream_id = $1"))
        {
            cmd.Parameters.AddWithValue(Commands.Aggregates.EditionStream(Guid.Parse(id)));
            await using var reader = await cmd.ExecuteReaderAsync();
            Assert.True(await reader.ReadAsync(), "no snapshot was written");
            Assert.Equal(1 + Commands.CommandHandler.SnapshotEvery, reader.GetInt64(0)); // planned, then the talks
            Assert.True(reader.GetInt32(1) > 4 * 64 * 1024, $"the snapshot is {reader.GetInt32(1)} bytes");
        }
        var services = server.Factory.Services;
        var verifier = new Operations.Verifier(services.GetRequiredService<EventStore.PostgresEventStore>(), services.GetRequiredService<Commands.CommandHandler>());
        Assert.DoesNotContain(await verifier.VerifyStreamsAsync(), d => d.StartsWith(Commands.Aggregates.EditionStream(Guid.Parse(id))));
    }

    /// <summary>
    /// The verifier finds items sharing a room at the same time even when written past the rules: a
    /// long talk overlapping two later items (not only its neighbour) and a breakout that names the room.
    /// </summary>
    [Fact]
    public async Task The_verifier_reports_every_overlap_in_a_room_breakouts_included()
    {
        var services = server.Factory.Services;
        var store = services.GetRequiredService<EventStore.PostgresEventStore>();
        var edition = Guid.NewGuid();
        var at = new DateTimeOffset(2022, 8, 8, 14, 0, 0, TimeSpan.Zero);
        EventStore.EventData Talk(Guid talk, int minutesAfter, int minutes, string room) => EventStore.EventData.New(new Domain.TalkScheduled(talk,
            Domain.TalkKind.Contributed, "T", null, [], new DateOnly(2022, 8, 8), null, minutes, room, at.AddMinutes(minutesAfter), at.AddMinutes(minutesAfter + minutes), 1));
        var (longTalk, inside, later, elsewhere, breakout) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        await store.AppendAsync(Commands.Aggregates.EditionStream(edition), "edition", EventStore.ExpectedVersion.NoStream, [
            EventStore.EventData.New(new Domain.EditionPlanned(edition, "verify-" + edition.ToString("N")[..8], "E", new DateOnly(2022, 8, 8), new DateOnly(2022, 8, 8),
                2022, null, [], "UTC", null, Domain.EditionFormat.InPerson, null, null)),
            Talk(longTalk, 0, 120, "Hall"), Talk(inside, 30, 15, "Hall"), Talk(later, 60, 15, "hall "), Talk(elsewhere, 30, 60, "Room B"),
            EventStore.EventData.New(new Domain.BreakoutOpened(breakout, "B", null, null, [], null, 30, at.AddMinutes(90), at.AddMinutes(120), Room: "HALL")),
            EventStore.EventData.New(new Domain.BreakoutOpened(Guid.NewGuid(), "Parallel", null, null, [], null, 30, at.AddMinutes(90), at.AddMinutes(120))),
        ]);
        var verifier = new Operations.Verifier(store, services.GetRequiredService<Commands.CommandHandler>());
        var overlaps = (await verifier.VerifyStreamsAsync()).Where(d => d.Contains(edition.ToString("N")) && d.Contains("overlap")).ToList();
        Assert.Equal(3, overlaps.Count);
        foreach (var other in new[] { inside, later, breakout })
            Assert.Contains(overlaps, d => d.Contains($"{longTalk} and {other}"));
    }

    [Fact]
    public async Task A_breakout_given_a_room_over_the_api_keeps_it_and_may_not_overlap_a_talk_there()
    {
        var id = await NewEdition();
        await _admin.Post($"/api/editions/{id}/talks", new { title = "Keynote", start = "2022-08-08T10:00", durationMinutes = 60, room = "Hall" }).Expect(201);
        var clash = await _admin.Post($"/api/editions/{id}/breakouts", new { topic = "Symmetries", start = "2022-08-08T10:30", durationMinutes = 30, room = "hall" })
            .Expect(422, "application/problem+json");
        Assert.Equal("slot-overlap", clash.GetProperty("code").GetString());
        var opened = await _admin.Post($"/api/editions/{id}/breakouts", new { topic = "Symmetries", start = "2022-08-08T11:00", durationMinutes = 30, room = "Hall" })
            .Expect(201);
        Assert.Equal("Hall", opened.GetProperty("room").GetString());
        Assert.Contains("Hall", (await _admin.GetAsync($"/api/editions/{id}/breakouts").Expect(200)).ToString());
    }

    [Fact]
    public async Task Bad_input_is_a_problem_with_the_right_status_and_nothing_is_appended()
    {
        var id = await NewEdition();
        var before = await EventCount();

        var invalid = await _admin.Post("/api/series", new { slug = "Not A Slug!", name = "" }).Expect(400, "application/problem+json");
        Assert.True(invalid.GetProperty("errors").TryGetProperty("slug", out _));
        Assert.True(invalid.GetProperty("errors").TryGetProperty("name", out _));

        await _admin.Post($"/api/editions/{id}/talks", "{ not json").Expect(400, "application/problem+json");
        await _admin.Post($"/api/editions/{id}/talks", """{"title": 42, "speakers": "x"}""").Expect(400, "application/problem+json");
        await _admin.Post($"/api/editions/{id}/talks", new { title = "T", start = "2022-08-08T09:15+02:00", durationMinutes = 30 }).Expect(400, "application/problem+json");
        await _admin.Post($"/api/editions/{id}/talks", new { title = "T", start = "2022-08-08T09:15", durationMinutes = 0 }).Expect(400, "application/problem+json");
        await _admin.Post($"/api/editions/{id}/talks", new { title = "T", start = "2022-08-08T09:15", durationMinutes = 30, kind = 3 }).Expect(400, "application/problem+json");
        var slug = "s" + Guid.NewGuid().ToString("N")[..10];
        await _admin.Post("/api/series", new { slug, name = "x" }).Expect(201);
        var zone = await _admin.Post($"/api/series/{slug}/editions", new { title = "x", startDate = "2022-02-30", timeZone = "Mars/Olympus", format = "inPerson" })
            .Expect(400, "application/problem+json");
        Assert.True(zone.GetProperty("errors").TryGetProperty("startDate", out _));
        await _admin.Post($"/api/series/{slug}/editions", new { title = "x", startDate = "2022-02-01", endDate = "2022-02-02", timeZone = "Mars/Olympus", format = "inPerson" })
            .Expect(400, "application/problem+json");
        await _admin.Post($"/api/editions/{Guid.NewGuid()}/talks", new { title = "T" }).Expect(404, "application/problem+json");
        await _admin.Post($"/api/editions/{id}/talks", new { title = "T", start = "2022-09-01T09:00", durationMinutes = 30 }).Expect(422, "application/problem+json");

        Assert.Equal(before + 1, await EventCount()); // only the series created above
    }

    [Fact]
    public async Task Writes_need_an_admin_key()
    {
        var anonymous = server.Anonymous();
        await anonymous.Post("/api/series", new { slug = "x", name = "x" }).Expect(401, null);
        var bad = server.Anonymous();
        bad.DefaultRequestHeaders.Authorization = new("Bearer", "sp_wrong");
        await bad.Post("/api/series", new { slug = "x", name = "x" }).Expect(401, null);
        var historian = await _admin.Post("/api/keys", new { name = "historian", role = "historian" }).Expect(201);
        var asHistorian = server.Anonymous();
        asHistorian.DefaultRequestHeaders.Authorization = new("Bearer", historian.GetProperty("key").GetString());
        await asHistorian.Post("/api/series", new { slug = "x", name = "x" }).Expect(403, null);
    }

    [Fact]
    public async Task Overlapping_talks_in_one_room_are_refused_but_other_rooms_are_free()
    {
        var id = await NewEdition();
        var talk = new { title = "Generative models with symmetries for physics", speakers = new[] { new { name = "Sébastien Racanière", affiliation = "DeepMind" } },
            start = "2022-08-08T09:15", durationMinutes = 45, kind = "invited" };
        using (var created = await _admin.Post($"/api/editions/{id}/talks", talk))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            Assert.StartsWith($"/api/editions/{id}/talks/", created.Headers.Location!.ToString());
        }
        var overlap = await _admin.Post($"/api/editions/{id}/talks", new { title = "Other", start = "2022-08-08T09:30", durationMinutes = 30 })
            .Expect(422, "application/problem+json");
        Assert.Equal("slot-overlap", overlap.GetProperty("code").GetString());
        await _admin.Post($"/api/editions/{id}/talks", new { title = "Other", start = "2022-08-08T09:30", durationMinutes = 30, room = "Room B" }).Expect(201);
    }

    [Fact]
    public async Task A_stale_if_match_is_a_409_with_the_current_version()
    {
        var id = await NewEdition();
        await _admin.Post($"/api/editions/{id}/talks", new { title = "A", start = "2022-08-08T10:00", durationMinutes = 30 },
            r => r.Headers.TryAddWithoutValidation("If-Match", "\"1\"")).Expect(201);
        var stale = await _admin.Post($"/api/editions/{id}/talks", new { title = "B", start = "2022-08-08T11:00", durationMinutes = 30 },
            r => r.Headers.TryAddWithoutValidation("If-Match", "\"1\"")).Expect(409, "application/problem+json");
        Assert.Equal(2, stale.GetProperty("currentVersion").GetInt64());
    }

    [Fact]
    public async Task A_retried_write_with_the_same_idempotency_key_returns_the_first_answer_and_appends_nothing()
    {
        var id = await NewEdition();
        await _admin.Post($"/api/editions/{id}/registration/open", new { }).Expect(200);
        var before = await EventCount();
        void Key(HttpRequestMessage r) => r.Headers.Add("Idempotency-Key", "register-ada-1");
        using var first = await _admin.Post($"/api/editions/{id}/registrations", new { name = "Ada", email = "ada@example.org" }, Key);
        using var retry = await _admin.Post($"/api/editions/{id}/registrations", new { name = "Ada", email = "ada@example.org" }, Key);
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await retry.Content.ReadAsStringAsync());
        Assert.Equal(first.Headers.Location, retry.Headers.Location);
        Assert.Equal(before + 1, await EventCount());
        await _admin.Post($"/api/editions/{id}/registrations", new { name = "Bob", email = "bob@example.org" }, Key).Expect(422, "application/problem+json");
    }

    [Fact]
    public async Task Two_hundred_concurrent_registrations_for_fifty_seats_give_fifty_registered_and_one_ordered_waitlist()
    {
        var id = await NewEdition(capacity: 50);
        await _admin.Post($"/api/editions/{id}/registration/open", new { }).Expect(200);
        var anonymous = server.Anonymous();
        var answers = await Task.WhenAll(Enumerable.Range(0, 200).Select(i =>
            anonymous.Post($"/api/editions/{id}/registrations", new { name = $"Attendee {i}", email = $"a{i}@example.org" }).Expect(201)));
        Assert.Equal(50, answers.Count(a => a.GetProperty("status").GetString() == "registered"));
        Assert.Equal(150, answers.Count(a => a.GetProperty("status").GetString() == "waitlisted"));
        Assert.Equal(Enumerable.Range(1, 150), answers.Where(a => a.GetProperty("status").GetString() == "waitlisted")
            .Select(a => a.GetProperty("waitlistPosition").GetInt32()).Order());

        var list = await _admin.GetAsync($"/api/editions/{id}/registrations").Expect(200);
        var rows = list.EnumerateArray().ToList();
        Assert.Equal(200, rows.Select(r => r.GetProperty("email").GetString()).Distinct().Count());
        // Registration order: every seat went to someone who registered before everyone on the waitlist.
        Assert.True(rows.Take(50).All(r => r.GetProperty("status").GetString() == "registered"));
        var firstWaitlisted = rows[50];
        Assert.Equal(1, firstWaitlisted.GetProperty("waitlistPosition").GetInt32());

        var cancelled = rows[7].GetProperty("id").GetString();
        await _admin.DeleteAsync($"/api/editions/{id}/registrations/{cancelled}").Expect(200);
        var after = (await _admin.GetAsync($"/api/editions/{id}/registrations").Expect(200)).EnumerateArray().ToList();
        Assert.Equal(50, after.Count(r => r.GetProperty("status").GetString() == "registered"));
        Assert.Equal(149, after.Count(r => r.GetProperty("status").GetString() == "waitlisted"));
        Assert.Equal("registered", after.Single(r => r.GetProperty("id").GetString() == firstWaitlisted.GetProperty("id").GetString()).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Concurrent_talks_for_the_same_slot_one_wins_the_others_get_422()
    {
        var id = await NewEdition();
        using var client = server.Admin();
        var statuses = await Task.WhenAll(Enumerable.Range(0, 12).Select(async i =>
        {
            using var r = await client.Post($"/api/editions/{id}/talks", new { title = $"Talk {i}", start = "2022-08-09T14:00", durationMinutes = 45 });
            return (int)r.StatusCode;
        }));
        Assert.Equal(1, statuses.Count(s => s == 201));
        Assert.Equal(11, statuses.Count(s => s == 422));
    }

    [Fact]
    public async Task A_talk_at_0915_local_on_the_day_the_zone_changes_offset_shows_0915_local()
    {
        var id = await NewEdition("America/New_York", "2022-11-05", "2022-11-07");
        await _admin.Post($"/api/editions/{id}/talks", new { title = "After the clocks moved", start = "2022-11-06T09:15", durationMinutes = 45 }).Expect(201);
        await _admin.Post($"/api/editions/{id}/talks", new { title = "Day before", start = "2022-11-05T09:15", durationMinutes = 45 }).Expect(201);
        var agenda = await server.Anonymous().GetAsync($"/api/editions/{id}/agenda").Expect(200);
        var days = agenda.GetProperty("agenda").GetProperty("days").EnumerateArray().ToList();
        var sunday = days.Single(d => d.GetProperty("date").GetString() == "2022-11-06").GetProperty("items")[0];
        Assert.Equal("2022-11-06T09:15:00", sunday.GetProperty("startLocal").GetString());
        Assert.Equal(DateTimeOffset.Parse("2022-11-06T14:15:00Z"), sunday.GetProperty("startUtc").GetDateTimeOffset());
        var saturday = days.Single(d => d.GetProperty("date").GetString() == "2022-11-05").GetProperty("items")[0];
        Assert.Equal(DateTimeOffset.Parse("2022-11-05T13:15:00Z"), saturday.GetProperty("startUtc").GetDateTimeOffset());
    }

    [Fact]
    public async Task The_agenda_as_of_an_instant_shows_a_talk_at_its_old_time_before_a_reschedule()
    {
        var id = await NewEdition();
        var talk = await _admin.Post($"/api/editions/{id}/talks", new { title = "Moving talk", start = "2022-08-08T11:15", durationMinutes = 45 }).Expect(201);
        await Task.Delay(50);
        var between = DateTimeOffset.UtcNow;
        await Task.Delay(50);
        await _admin.Put($"/api/editions/{id}/talks/{talk.GetProperty("id").GetString()}/slot", new { start = "2022-08-09T13:00", durationMinutes = 45 }).Expect(200);

        var now = await server.Anonymous().GetAsync($"/api/editions/{id}/agenda").Expect(200);
        Assert.Equal("2022-08-09T13:00:00", now.GetProperty("agenda").GetProperty("days")[0].GetProperty("items")[0].GetProperty("startLocal").GetString());
        var then = await server.Anonymous().GetAsync($"/api/editions/{id}/agenda?asOf={Uri.EscapeDataString(between.ToString("O"))}").Expect(200);
        Assert.Equal("2022-08-08T11:15:00", then.GetProperty("agenda").GetProperty("days")[0].GetProperty("items")[0].GetProperty("startLocal").GetString());
    }

    [Fact]
    public async Task Serves_openapi_and_readiness()
    {
        var doc = await server.Anonymous().GetAsync("/openapi/v1.json").Expect(200);
        var paths = doc.GetProperty("paths");
        // A create says 201 and the problems a write can answer with; a public read says 200.
        var scheduleTalk = paths.GetProperty("/api/editions/{id}/talks").GetProperty("post").GetProperty("responses");
        Assert.Equal(["201", "400", "401", "403", "404", "409", "422", "429"], scheduleTalk.EnumerateObject().Select(r => r.Name).Order());
        Assert.True(scheduleTalk.GetProperty("422").GetProperty("content").TryGetProperty("application/problem+json", out _));
        var announce = paths.GetProperty("/api/editions/{id}/announce").GetProperty("post").GetProperty("responses");
        Assert.True(announce.TryGetProperty("200", out _));
        Assert.False(announce.TryGetProperty("201", out _));
        var catalog = paths.GetProperty("/api/series").GetProperty("get").GetProperty("responses");
        Assert.Equal(["200", "429"], catalog.EnumerateObject().Select(r => r.Name).Order());
        Assert.True(paths.GetProperty("/api/series").GetProperty("post").GetProperty("responses").TryGetProperty("201", out _));
        var ready = await server.Anonymous().GetAsync("/health/ready").Expect(200);
        Assert.Equal("ready", ready.GetProperty("status").GetString());
    }

    [Fact]
    public async Task The_catalog_row_follows_every_command_whether_it_changes_counts_only_or_the_edition_itself()
    {
        var id = await NewEdition();
        await _admin.Post($"/api/editions/{id}/registration/open", new { }).Expect(200);
        var first = (await _admin.Post($"/api/editions/{id}/talks", new { title = "A", start = "2022-08-08T09:00", durationMinutes = 30 }).Expect(201))
            .GetProperty("id").GetString();
        await _admin.Post($"/api/editions/{id}/talks", new { title = "B", start = "2022-08-08T10:00", durationMinutes = 30 }).Expect(201);
        await _admin.Post($"/api/editions/{id}/registrations", new { name = "Ada", email = $"ada-{id}@example.org" }).Expect(201);
        Assert.Equal(("IAIFI 2022", "planned", "2022-08-08", 2, 1, 5L), await CatalogRow(id));

        await _admin.SendAsync(new HttpRequestMessage(HttpMethod.Delete, $"/api/editions/{id}/talks/{first}")).Expect(200);
        await _admin.Put($"/api/editions/{id}/dates", new { startDate = "2022-08-07", endDate = "2022-08-09" }).Expect(200);
        await _admin.Post($"/api/editions/{id}/announce", new { }).Expect(200);
        await _admin.Post($"/api/editions/{id}/registrations", new { name = "Bo", email = $"bo-{id}@example.org" }).Expect(201);
        Assert.Equal(("IAIFI 2022", "announced", "2022-08-07", 1, 2, 9L), await CatalogRow(id));
    }

    private async Task<(string Title, string Status, string Start, int Talks, int Attendees, long Version)> CatalogRow(string edition)
    {
        await using var connection = new NpgsqlConnection(server.ConnectionString);
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand("select title, status, start_date::text, talks, attendees, version from edition_catalog where id = $1", connection);
        cmd.Parameters.AddWithValue(Guid.Parse(edition));
        await using var reader = await cmd.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        return (reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetInt32(3), reader.GetInt32(4), reader.GetInt64(5));
    }

    private async Task<long> EventCount()
    {
        await using var connection = new NpgsqlConnection(server.ConnectionString);
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand("select count(*) from events", connection);
        return (long)(await cmd.ExecuteScalarAsync())!;
    }
}
