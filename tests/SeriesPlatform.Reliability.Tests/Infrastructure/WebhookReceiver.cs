using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;

namespace SeriesPlatform.Reliability.Tests.Infrastructure;

/// <summary>A webhook receiver on 127.0.0.1 (a free port) that records the CloudEvent id of every delivery and answers 200.</summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly ConcurrentDictionary<Guid, int> _received = new();
    private readonly Task _loop;
    private long _deliveries;

    public string Url { get; }
    public long Deliveries => Interlocked.Read(ref _deliveries);
    public IReadOnlyDictionary<Guid, int> Received => _received;

    public WebhookReceiver()
    {
        var port = ServerProcess.FreePort();
        Url = $"http://127.0.0.1:{port}/hook";
        _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    private async Task LoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try { context = await _listener.GetContextAsync(); }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException) { return; }
            try
            {
                using var reader = new StreamReader(context.Request.InputStream);
                var body = await reader.ReadToEndAsync();
                using var json = JsonDocument.Parse(body);
                var id = json.RootElement.GetProperty("id").GetGuid();
                _received.AddOrUpdate(id, 1, (_, n) => n + 1);
                Interlocked.Increment(ref _deliveries);
                context.Response.StatusCode = 200;
            }
            catch (Exception)
            {
                context.Response.StatusCode = 400;
            }
            context.Response.Close();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        await _loop;
    }
}
