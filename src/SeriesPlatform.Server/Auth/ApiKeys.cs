using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Npgsql;

namespace SeriesPlatform.Server.Auth;

public static class Roles
{
    public const string Admin = "admin";
    public const string Historian = "historian";
    public const string Integration = "integration";
    public static readonly string[] All = [Admin, Historian, Integration];
}

public static class Policies
{
    public const string Admin = "admin";
    /// <summary>Reads everything that is not personal data, including the audit history.</summary>
    public const string Historian = "historian";
    public const string Integration = "integration";
    /// <summary>An admin not limited to a series: manages keys and platform-wide things.</summary>
    public const string PlatformAdmin = "platform-admin";
}

/// <summary>
/// <c>Authorization: Bearer &lt;key&gt;</c>. Keys are stored only as SHA-256 hashes; the bootstrap
/// admin key from SERIES_BOOTSTRAP_ADMIN_KEY is compared in memory.
/// </summary>
public sealed class ApiKeyAuthentication(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    NpgsqlDataSource dataSource, IConfiguration configuration)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (string.IsNullOrEmpty(header)) return AuthenticateResult.NoResult();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return AuthenticateResult.Fail("Use 'Authorization: Bearer <api key>'.");
        var key = header["Bearer ".Length..].Trim();
        if (key.Length is 0 or > 200) return AuthenticateResult.Fail("Malformed API key.");

        var bootstrap = configuration["SERIES_BOOTSTRAP_ADMIN_KEY"];
        if (!string.IsNullOrEmpty(bootstrap) && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(key), Encoding.UTF8.GetBytes(bootstrap)))
            return AuthenticateResult.Success(new AuthenticationTicket(BootstrapAdmin, SchemeName));

        // Looked up on every request, so a revocation takes effect at once on every node. The use is
        // recorded at most once a minute per key: a write (and a WAL record) on every call of a busy
        // integration would cost more than the call it records.
        await using var connection = await dataSource.OpenConnectionAsync(Context.RequestAborted);
        await using var cmd = new NpgsqlCommand("""
            with found as (
                select id, name, role, series_slug, last_used_at from api_keys
                where key_hash = $1 and revoked_at is null),
            touched as (
                update api_keys k set last_used_at = now() from found
                where k.id = found.id and (found.last_used_at is null or found.last_used_at < now() - interval '1 minute'))
            select id, name, role, series_slug from found
            """, connection);
        cmd.Parameters.AddWithValue(Hash(key));
        await using var reader = await cmd.ExecuteReaderAsync(Context.RequestAborted);
        if (!await reader.ReadAsync(Context.RequestAborted)) return AuthenticateResult.Fail("Unknown or revoked API key.");
        return Success(reader.GetGuid(0).ToString(), reader.GetString(1), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3));
    }

    private static AuthenticateResult Success(string id, string name, string role, string? series) =>
        AuthenticateResult.Success(new AuthenticationTicket(Principal(id, name, role, series), SchemeName));

    // The same for every request with the bootstrap key, so built once (nothing here changes a principal).
    private static readonly ClaimsPrincipal BootstrapAdmin = Principal("bootstrap", "bootstrap admin", Roles.Admin, null);

    private static ClaimsPrincipal Principal(string id, string name, string role, string? series)
    {
        var claims = new List<Claim> { new(ClaimTypes.NameIdentifier, id), new(ClaimTypes.Name, name), new(ClaimTypes.Role, role) };
        if (series is not null) claims.Add(new Claim("series", series));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName));
    }

    public static string NewKey() => "sp_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    public static string Hash(string key) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
}
