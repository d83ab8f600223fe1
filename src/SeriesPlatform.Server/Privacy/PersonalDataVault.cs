using System.Security.Cryptography;
using System.Text;
using System.Collections.Concurrent;
using Npgsql;
using SeriesPlatform.Server.Commands;

namespace SeriesPlatform.Server.Privacy;

/// <summary>
/// Seals attendees' personal data (names, emails, affiliations) with AES-256-GCM under a key per
/// person, kept in <c>personal_data_keys</c> and never in events. A person is identified by a keyed
/// fingerprint of their normalized email, so one person has one key across editions; forgetting
/// them deletes the key, after which every copy of their data (events, snapshots, caches) is
/// ciphertext nobody can open, while counts and history stay as they were.
/// </summary>
public sealed class PersonalDataVault(NpgsqlDataSource db)
{
    private const string Prefix = "pd1:";
    public const string Forgotten = "a forgotten attendee";
    private byte[]? _pepper;
    /// <summary>Keys this process sealed with last; every use is confirmed in the command's own transaction.</summary>
    private readonly ConcurrentDictionary<Guid, byte[]> _keys = new();
    private int _remembered;

    public static bool IsSealed(string? value) => value?.StartsWith(Prefix, StringComparison.Ordinal) == true;

    /// <summary>The keyed fingerprint used for "the same email" (never the email itself).</summary>
    public async Task<string> EmailKeyAsync(string email, CancellationToken ct) =>
        Convert.ToBase64String(Fingerprint(await PepperAsync(ct), "email:" + Normalize(email)));

    /// <summary>A fingerprint of a name within one breakout, for its "joined twice" rule.</summary>
    public async Task<string> NameKeyAsync(Guid scope, string name, CancellationToken ct) =>
        Convert.ToBase64String(Fingerprint(await PepperAsync(ct), $"name:{scope}:{Normalize(name)}"));

    /// <summary>The secret of an attendee's personal link: only they (and admins) see the meeting link.</summary>
    public async Task<string> AttendeeTokenAsync(Guid registrationId, CancellationToken ct) =>
        Convert.ToBase64String(Fingerprint(await PepperAsync(ct), $"attendee:{registrationId}"))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public async Task<Guid> SubjectForEmailAsync(string email, CancellationToken ct) =>
        new(Fingerprint(await PepperAsync(ct), "subject:" + Normalize(email))[..16]);

    [ThreadStatic] private static HMACSHA256? _hmac;
    [ThreadStatic] private static byte[]? _hmacKey;

    /// <summary>HMAC-SHA256 under the pepper, with an HMAC kept per thread (a registration takes three; setting one up costs more than the hash).</summary>
    private static byte[] Fingerprint(byte[] pepper, string text)
    {
        if (!ReferenceEquals(_hmacKey, pepper))
        {
            _hmac?.Dispose();
            (_hmac, _hmacKey) = (new HMACSHA256(pepper), pepper);
        }
        return _hmac!.ComputeHash(Encoding.UTF8.GetBytes(text));
    }

    /// <summary>A sealer for one person, creating their key on first use (or anew after they were forgotten).</summary>
    public async Task<Sealer> SealerAsync(Guid subject, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("""
            insert into personal_data_keys (subject_id, key) values ($1, $2)
            on conflict (subject_id) do update set key = coalesce(personal_data_keys.key, excluded.key), forgotten_at = null
            returning key
            """);
        cmd.Parameters.AddWithValue(subject);
        cmd.Parameters.AddWithValue(RandomNumberGenerator.GetBytes(32));
        return new Sealer(subject, (byte[])(await cmd.ExecuteScalarAsync(ct))!);
    }

    /// <summary>
    /// Runs a command that stores data sealed for one person, without a write of its own for the key:
    /// first with the key this process last used for them, or a new one, which the command's
    /// transaction creates or confirms (<see cref="Sealer.KeyGuard"/>); if the person has another
    /// key (they registered through another process, or were forgotten meanwhile), once more with
    /// their key from the database.
    /// </summary>
    public async Task<T> WithSealerAsync<T>(Guid subject, Func<Sealer, Task<T>> run, CancellationToken ct)
    {
        using (var sealer = new Sealer(subject, _keys.TryGetValue(subject, out var known) ? known : RandomNumberGenerator.GetBytes(32)))
        {
            try { return Remember(sealer, await run(sealer)); }
            catch (GuardFailed) { _keys.TryRemove(subject, out _); }
        }
        using var theirs = await SealerAsync(subject, ct);
        return Remember(theirs, await run(theirs));
    }

    private T Remember<T>(Sealer sealer, T result)
    {
        // Bounded; a forgotten entry costs one extra round trip later. Count locks the whole
        // dictionary, so it is looked at on every 256th use only.
        if ((Interlocked.Increment(ref _remembered) & 255) == 0 && _keys.Count >= 10_000) _keys.Clear();
        _keys[sealer.Subject] = sealer.Key;
        return result;
    }

    /// <summary>An opener for these people's data; a forgotten person's data opens as null.</summary>
    public async Task<Func<Guid?, string?, string?>> OpenerAsync(IEnumerable<Guid?> subjects, CancellationToken ct)
    {
        var ids = subjects.OfType<Guid>().Distinct().ToArray();
        var keys = new Dictionary<Guid, byte[]>();
        if (ids.Length > 0)
        {
            await using var cmd = db.CreateCommand("select subject_id, key from personal_data_keys where subject_id = any($1) and key is not null");
            cmd.Parameters.AddWithValue(ids);
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct)) keys[reader.GetGuid(0)] = (byte[])reader[1];
        }
        return (subject, value) =>
        {
            if (!IsSealed(value)) return value; // not personal, or stored before sealing existed
            return subject is { } s && keys.TryGetValue(s, out var key) ? Open(key, value!) : null;
        };
    }

    /// <summary>Destroys the person's key. True when there was someone to forget.</summary>
    public async Task<bool> ForgetAsync(string email, CancellationToken ct)
    {
        var subject = await SubjectForEmailAsync(email, ct);
        _keys.TryRemove(subject, out _);
        await using var cmd = db.CreateCommand("update personal_data_keys set key = null, forgotten_at = now() where subject_id = $1 and key is not null");
        cmd.Parameters.AddWithValue(subject);
        return await cmd.ExecuteNonQueryAsync(ct) == 1;
    }

    internal static string Seal(AesGcm aes, string plain)
    {
        var data = Encoding.UTF8.GetBytes(plain);
        var sealedBytes = new byte[12 + 16 + data.Length];
        RandomNumberGenerator.Fill(sealedBytes.AsSpan(0, 12)); // the nonce
        aes.Encrypt(sealedBytes.AsSpan(0, 12), data, sealedBytes.AsSpan(28), sealedBytes.AsSpan(12, 16));
        return Prefix + Convert.ToBase64String(sealedBytes);
    }

    private static string? Open(byte[] key, string value)
    {
        try
        {
            var bytes = Convert.FromBase64String(value[Prefix.Length..]);
            var plain = new byte[bytes.Length - 28];
            using var aes = new AesGcm(key, 16);
            aes.Decrypt(bytes.AsSpan(0, 12), bytes.AsSpan(28), bytes.AsSpan(12, 16), plain);
            return Encoding.UTF8.GetString(plain);
        }
        catch (Exception ex) when (ex is CryptographicException or FormatException or ArgumentException)
        {
            return null; // sealed under an older key of someone who was forgotten and came back
        }
    }

    private async Task<byte[]> PepperAsync(CancellationToken ct)
    {
        if (_pepper is not null) return _pepper;
        await using var cmd = db.CreateCommand("""
            insert into platform_secrets (name, value) values ('fingerprint-pepper', $1) on conflict (name) do nothing
            """);
        cmd.Parameters.AddWithValue(RandomNumberGenerator.GetBytes(32));
        await cmd.ExecuteNonQueryAsync(ct);
        await using var read = db.CreateCommand("select value from platform_secrets where name = 'fingerprint-pepper'");
        return _pepper = (byte[])(await read.ExecuteScalarAsync(ct))!;
    }

    private static string Normalize(string text) => text.Trim().ToLowerInvariant();
}

/// <summary>Seals one person's data with their key (one command's worth: not for use by two threads at once).</summary>
public sealed class Sealer(Guid subject, byte[] key) : IDisposable
{
    private AesGcm? _aes;
    public Guid Subject => subject;
    internal byte[] Key => key;

    public string? Seal(string? plain) => plain is null ? null : PersonalDataVault.Seal(_aes ??= new AesGcm(key, 16), plain);

    public void Dispose() => _aes?.Dispose();

    /// <summary>
    /// For the command's transaction: creates the person's key if they have none yet, confirms it
    /// if it is theirs, and aborts the transaction (<see cref="GuardFailed.SqlState"/>) when they hold
    /// another key or were forgotten (key deleted), so nothing is ever stored sealed with a key that
    /// is not, or no longer, theirs.
    /// </summary>
    public NpgsqlBatchCommand KeyGuard() => new($"""
        with confirmed as (
            insert into personal_data_keys (subject_id, key) values ($1, $2)
            on conflict (subject_id) do update set key = excluded.key where personal_data_keys.key = excluded.key
            returning 1
        )
        select raise_refusal('{GuardFailed.SqlState}', 'the person holds another key or none') where not exists (select 1 from confirmed)
        """)
    {
        Parameters = { new() { Value = subject }, new() { Value = key } },
    };
}
