using Npgsql;

namespace SeriesPlatform.Server.Tests.Privacy;

/// <summary>Attendees' personal data is sealed with a key per person; forgetting destroys the key.</summary>
public sealed class ErasureTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private const string Name = "Zelda Quuxington";
    private const string Email = "zelda.quuxington@example.org";
    private const string Affiliation = "Quuxlab Institute";

    [Fact]
    public async Task After_forgetting_a_person_no_table_holds_their_name_or_email_and_counts_stay()
    {
        var admin = server.Admin();
        var slug = "s" + Guid.NewGuid().ToString("N")[..10];
        await admin.Post("/api/series", new { slug, name = "Privacy" }).Expect(201);
        var editions = new List<string>();
        foreach (var year in new[] { 2022, 2023 })
        {
            var id = (await admin.Post($"/api/series/{slug}/editions", new { title = $"E{year}", startDate = $"{year}-08-08", endDate = $"{year}-08-09",
                timeZone = "America/New_York", format = "inPerson", capacity = 1 }).Expect(201)).GetProperty("id").GetString()!;
            await admin.Post($"/api/editions/{id}/registration/open", new { }).Expect(200);
            editions.Add(id);
        }
        var registration = await server.Anonymous().Post($"/api/editions/{editions[0]}/registrations", new { name = Name, email = Email, affiliation = Affiliation }).Expect(201);
        await server.Anonymous().Post($"/api/editions/{editions[0]}/registrations", new { name = "Other Person", email = "other@example.org" }).Expect(201);
        await server.Anonymous().Post($"/api/editions/{editions[1]}/registrations", new { name = Name, email = Email.ToUpperInvariant() }).Expect(201);
        var dup = await server.Anonymous().Post($"/api/editions/{editions[0]}/registrations", new { name = "Z", email = " " + Email.ToUpperInvariant() })
            .Expect(422, "application/problem+json");
        Assert.Equal("duplicate-registration", dup.GetProperty("code").GetString());
        Assert.DoesNotContain("zelda", dup.ToString(), StringComparison.OrdinalIgnoreCase);
        var breakout = (await admin.Post($"/api/editions/{editions[0]}/breakouts", new { topic = "Symmetries" }).Expect(201)).GetProperty("id").GetString();
        await admin.Post($"/api/editions/{editions[0]}/breakouts/{breakout}/participants",
            new { name = Name, registrationId = registration.GetProperty("id").GetString() }).Expect(201);

        // Readable by admins before ...
        var before = (await admin.GetAsync($"/api/editions/{editions[0]}/registrations").Expect(200)).EnumerateArray().ToList();
        Assert.Contains(before, r => r.GetProperty("name").GetString() == Name && r.GetProperty("email").GetString() == Email);
        Assert.Contains(Name, (await admin.GetAsync($"/api/editions/{editions[0]}/breakouts/{breakout}/participants").Expect(200)).ToString());
        // ... and never stored in plain, not even before forgetting.
        Assert.Empty(await ScanAsync(Name, Email, Affiliation));

        var forgotten = await admin.Post("/api/privacy/forget", new { email = Email }).Expect(200);
        Assert.True(forgotten.GetProperty("forgotten").GetBoolean());

        var after = (await admin.GetAsync($"/api/editions/{editions[0]}/registrations").Expect(200)).EnumerateArray().ToList();
        Assert.Equal(2, after.Count);
        var ghost = after.Single(r => r.GetProperty("id").GetString() == registration.GetProperty("id").GetString());
        Assert.True(ghost.GetProperty("forgotten").GetBoolean());
        Assert.Equal("a forgotten attendee", ghost.GetProperty("name").GetString());
        Assert.Equal("registered", ghost.GetProperty("status").GetString());
        Assert.Contains(after, r => r.GetProperty("name").GetString() == "Other Person");
        var second = (await admin.GetAsync($"/api/editions/{editions[1]}/registrations").Expect(200)).EnumerateArray().Single();
        Assert.True(second.GetProperty("forgotten").GetBoolean());
        var edition = await server.Anonymous().GetAsync($"/api/editions/{editions[0]}").Expect(200);
        Assert.Equal(1, edition.GetProperty("registered").GetInt32());
        Assert.Equal(1, edition.GetProperty("waitlisted").GetInt32());
        Assert.DoesNotContain(Name, (await admin.GetAsync($"/api/editions/{editions[0]}/breakouts/{breakout}/participants").Expect(200)).ToString());
        Assert.Empty(await ScanAsync(Name, Email, Affiliation, "zelda", "quux"));
    }

    /// <summary>Every text-like column of every table in the database, searched for each needle.</summary>
    private async Task<List<string>> ScanAsync(params string[] needles)
    {
        await using var connection = new NpgsqlConnection(server.ConnectionString);
        await connection.OpenAsync();
        var columns = new List<(string Table, string Column)>();
        await using (var cmd = new NpgsqlCommand("""
            select table_name, column_name from information_schema.columns
            where table_schema = 'public' and data_type in ('text', 'character varying', 'jsonb', 'json', 'bytea', 'ARRAY', 'USER-DEFINED')
            """, connection))
        await using (var reader = await cmd.ExecuteReaderAsync())
            while (await reader.ReadAsync()) columns.Add((reader.GetString(0), reader.GetString(1)));
        Assert.Contains(("events", "data"), columns);
        var hits = new List<string>();
        foreach (var (table, column) in columns)
            foreach (var needle in needles)
            {
                await using var probe = new NpgsqlCommand(
                    $"select count(*) from \"{table}\" where position(lower($1) in lower(convert_from(convert_to(\"{column}\"::text, 'UTF8'), 'UTF8'))) > 0", connection);
                probe.Parameters.AddWithValue(needle);
                if ((long)(await probe.ExecuteScalarAsync())! > 0) hits.Add($"{table}.{column} contains '{needle}'");
            }
        return hits;
    }
}
