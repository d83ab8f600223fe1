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
}
