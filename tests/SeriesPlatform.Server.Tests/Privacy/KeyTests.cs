using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using SeriesPlatform.Server.Privacy;

namespace SeriesPlatform.Server.Tests.Privacy;

/// <summary>
/// A registration seals with the key this process last used for the person, or a new one, and
/// confirms it in the command's transaction; when another process gave the person a key or forgot
/// them meanwhile, the data must still end up sealed with the person's current key.
/// </summary>
public sealed class KeyTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task A_person_another_process_gave_a_key_is_sealed_with_that_key()
    {
        var email = $"known-{Guid.NewGuid():N}@example.org";
        var elsewhere = new PersonalDataVault(server.Factory.Services.GetRequiredService<NpgsqlDataSource>());
        var theirs = await elsewhere.SealerAsync(await elsewhere.SubjectForEmailAsync(email, default), default);

        var edition = await OpenEditionAsync();
        await server.Anonymous().Post($"/api/editions/{edition}/registrations", new { name = "Known Person", email }).Expect(201);

        var row = (await server.Admin().GetAsync($"/api/editions/{edition}/registrations").Expect(200)).EnumerateArray().Single();
        Assert.Equal("Known Person", row.GetProperty("name").GetString());
        Assert.Equal(email, row.GetProperty("email").GetString());
        Assert.Equal(1L, await CountKeysAsync(theirs.Subject)); // the other process's key was used, not joined by another
    }

    [Fact]
    public async Task A_person_forgotten_by_another_process_registers_again_under_a_new_key()
    {
        var email = $"again-{Guid.NewGuid():N}@example.org";
        var (first, second) = (await OpenEditionAsync(), await OpenEditionAsync());
        await server.Anonymous().Post($"/api/editions/{first}/registrations", new { name = "Twice Person", email }).Expect(201);

        // Forgotten through another process: this one still remembers the old key.
        var elsewhere = new PersonalDataVault(server.Factory.Services.GetRequiredService<NpgsqlDataSource>());
        Assert.True(await elsewhere.ForgetAsync(email, default));
        await server.Anonymous().Post($"/api/editions/{second}/registrations", new { name = "Twice Person", email }).Expect(201);

        var before = (await server.Admin().GetAsync($"/api/editions/{first}/registrations").Expect(200)).EnumerateArray().Single();
        Assert.True(before.GetProperty("forgotten").GetBoolean());
        var after = (await server.Admin().GetAsync($"/api/editions/{second}/registrations").Expect(200)).EnumerateArray().Single();
        Assert.False(after.GetProperty("forgotten").GetBoolean());
        Assert.Equal("Twice Person", after.GetProperty("name").GetString());
    }

    private async Task<string> OpenEditionAsync()
    {
        var admin = server.Admin();
        var slug = "s" + Guid.NewGuid().ToString("N")[..10];
        await admin.Post("/api/series", new { slug, name = "Keys" }).Expect(201);
        var id = (await admin.Post($"/api/series/{slug}/editions", new { title = "E", startDate = "2022-08-08", endDate = "2022-08-09",
            timeZone = "America/New_York", format = "inPerson" }).Expect(201)).GetProperty("id").GetString()!;
        await admin.Post($"/api/editions/{id}/registration/open", new { }).Expect(200);
        return id;
    }

    private async Task<long> CountKeysAsync(Guid subject)
    {
        await using var cmd = server.Factory.Services.GetRequiredService<NpgsqlDataSource>()
            .CreateCommand("select count(*) from personal_data_keys where subject_id = $1 and key is not null");
        cmd.Parameters.AddWithValue(subject);
        return (long)(await cmd.ExecuteScalarAsync())!;
    }
}
