using System.Net;
using System.Net.Sockets;

namespace SeriesPlatform.Server.Webhooks;

/// <summary>
/// Where webhooks may go (SSRF protection). https only, except hosts on the allow-list; and no
/// loopback, private, link-local or otherwise internal address unless the host is allow-listed.
/// Addresses are checked after DNS resolution, and again at connect time on the address actually
/// used (<see cref="WebhookHttp"/>), so a name that later resolves inward is still refused.
/// </summary>
public static class TargetRules
{
    /// <summary>The URL's shape and scheme; null when acceptable, else why not.</summary>
    public static string? CheckUrl(string? text, WebhookOptions options, out Uri? uri)
    {
        uri = null;
        if (string.IsNullOrWhiteSpace(text) || text.Length > 2000 || !Uri.TryCreate(text, UriKind.Absolute, out var parsed))
            return "url must be an absolute https URL of at most 2000 characters.";
        if (parsed.Scheme != Uri.UriSchemeHttps && parsed.Scheme != Uri.UriSchemeHttp) return "url must be https.";
        if (!string.IsNullOrEmpty(parsed.UserInfo)) return "url must not contain credentials; verify the signature instead.";
        if (!string.IsNullOrEmpty(parsed.Fragment)) return "url must not have a fragment.";
        var allowListed = options.IsAllowListed(parsed.IdnHost);
        if (parsed.Scheme == Uri.UriSchemeHttp && !allowListed) return "url must be https (http only for hosts on SERIES_WEBHOOK_ALLOWED_HOSTS).";
        uri = parsed;
        return null;
    }

    /// <summary>The addresses a host may be reached at: all of them when allow-listed, else only public ones.</summary>
    public static IReadOnlyList<IPAddress> Permitted(string host, IEnumerable<IPAddress> addresses, WebhookOptions options) =>
        options.IsAllowListed(host) ? addresses.ToList() : addresses.Where(IsPublic).ToList();

    /// <summary>Resolves the host (an IP literal resolves to itself) and checks every address.</summary>
    public static async Task<string?> CheckAddressesAsync(Uri uri, WebhookOptions options, CancellationToken ct)
    {
        var host = uri.IdnHost;
        if (options.IsAllowListed(host)) return null;
        IPAddress[] addresses;
        if (IPAddress.TryParse(host.Trim('[', ']'), out var literal)) addresses = [literal];
        else
        {
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
                timeout.CancelAfter(TimeSpan.FromSeconds(3));
                addresses = await Dns.GetHostAddressesAsync(host, timeout.Token);
            }
            catch (Exception ex) when (ex is SocketException or OperationCanceledException && !ct.IsCancellationRequested)
            {
                return $"the host '{host}' does not resolve.";
            }
        }
        // Refuse when any address is internal: a mixed answer is how DNS rebinding starts.
        return addresses.Length == 0 ? $"the host '{host}' does not resolve."
            : addresses.All(IsPublic) ? null
            : $"the host '{host}' resolves to a loopback, private or link-local address, which webhooks may not target.";
    }

    public static bool IsPublic(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = address.GetAddressBytes();
            return !(b[0] == 0 || b[0] == 10 || b[0] == 127
                || (b[0] == 100 && b[1] >= 64 && b[1] <= 127)          // carrier-grade NAT
                || (b[0] == 169 && b[1] == 254)                         // link-local, cloud metadata
                || (b[0] == 172 && b[1] >= 16 && b[1] <= 31)
                || (b[0] == 192 && b[1] == 168)
                || (b[0] == 192 && b[1] == 0 && b[2] == 0)              // IETF protocol assignments
                || (b[0] == 198 && (b[1] == 18 || b[1] == 19))          // benchmarking
                || b[0] >= 224);                                        // multicast, reserved, broadcast
        }
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            var b = address.GetAddressBytes();
            return !(IPAddress.IsLoopback(address) || address.Equals(IPAddress.IPv6None)
                || address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast
                || (b[0] & 0xfe) == 0xfc                                // unique local fc00::/7
                || (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b)); // NAT64 can reach IPv4 inside
        }
        return false;
    }
}
