using SeriesPlatform.Domain;
using SeriesPlatform.EventStore;
using SeriesPlatform.Server.Commands;
using SeriesPlatform.Server.Privacy;

namespace SeriesPlatform.Server.Registration;

/// <summary>Who registered, opened with their keys: null fields when the person was forgotten.</summary>
public sealed record Registrant(string? Name, string? Email, string? Affiliation);

/// <summary>
/// The names, emails and affiliations behind an edition's registrations, read from its registration
/// events, where they are kept sealed. The edition's state holds only what its rules need; this is
/// read only for the admin's list of an edition, and sees every registration the state it is shown
/// with has (that state was committed first).
/// </summary>
public static class Registrants
{
    public static async Task<IReadOnlyDictionary<Guid, Registrant>> ReadAsync(PostgresEventStore store, PersonalDataVault vault, EditionState edition,
        CancellationToken ct)
    {
        var types = new[] { store.Types.NameOf(typeof(AttendeeRegistered)).Name, store.Types.NameOf(typeof(AttendeeWaitlisted)).Name };
        var open = await vault.OpenerAsync(edition.Registrations.Select(r => r.SubjectId), ct);
        var found = new Dictionary<Guid, Registrant>(edition.Registrations.Count);
        await using var connection = await store.OpenAsync(ct);
        await using var cmd = new Npgsql.NpgsqlCommand("select type, schema_version, data from events where stream_id = $1 and type = any($2)", connection);
        cmd.Parameters.AddWithValue(Aggregates.EditionStream(edition.Id));
        cmd.Parameters.AddWithValue(types);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var (id, subject, name, email, affiliation) = store.Types.Deserialize(reader.GetString(0), reader.GetInt32(1), reader.GetFieldValue<byte[]>(2)) switch
            {
                AttendeeRegistered e => (e.RegistrationId, e.SubjectId, e.Name, e.Email, e.Affiliation),
                AttendeeWaitlisted e => (e.RegistrationId, e.SubjectId, e.Name, e.Email, e.Affiliation),
                var other => throw new InvalidOperationException($"Unexpected {other.GetType().Name} among the registration events."),
            };
            found[id] = new Registrant(open(subject, name), open(subject, email), open(subject, affiliation));
        }
        return found;
    }
}
