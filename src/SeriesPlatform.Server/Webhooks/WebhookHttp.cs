using System.Net;
using System.Net.Sockets;

namespace SeriesPlatform.Server.Webhooks;

/// <summary>
/// The HttpClient that delivers webhooks: its own handler that connects only to permitted
/// addresses (checked on the resolved address at connect time, so DNS rebinding gains nothing),
/// no redirects (a redirect could point inward), and a short timeout.
/// </summary>
public static class WebhookHttp
{
    public const string ClientName = "webhooks";

    public static IServiceCollection AddWebhookHttpClient(this IServiceCollection services)
    {
        services.AddHttpClient(ClientName, (sp, client) =>
        {
            client.Timeout = sp.GetRequiredService<WebhookOptions>().Timeout;
            client.DefaultRequestHeaders.UserAgent.ParseAdd("SeriesPlatform-Webhooks/1");
        }).ConfigurePrimaryHttpMessageHandler(sp =>
        {
            var options = sp.GetRequiredService<WebhookOptions>();
            return new SocketsHttpHandler
            {
                AllowAutoRedirect = false,
                UseCookies = false,
                UseProxy = false, // a proxy would connect for us and bypass the address check
                ConnectTimeout = options.Timeout,
                PooledConnectionLifetime = TimeSpan.FromMinutes(2),
                ConnectCallback = (context, ct) => ConnectAsync(context.DnsEndPoint, options, ct),
            };
        });
        return services;
    }

    private static async ValueTask<Stream> ConnectAsync(DnsEndPoint endPoint, WebhookOptions options, CancellationToken ct)
    {
        var host = endPoint.Host;
        var resolved = IPAddress.TryParse(host.Trim('[', ']'), out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, ct);
        var permitted = TargetRules.Permitted(host, resolved, options);
        if (permitted.Count == 0)
            throw new WebhookTargetRefused($"'{host}' resolves only to loopback, private or link-local addresses; webhooks may not target them.");
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(permitted.ToArray(), endPoint.Port, ct);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}

/// <summary>The target was refused by the address rules at connect time; nothing was sent.</summary>
public sealed class WebhookTargetRefused(string message) : Exception(message);
