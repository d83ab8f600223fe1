using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace SeriesPlatform.Reliability.Tests.Infrastructure;

/// <summary>One command a client sent: a talk (unique title, own room) or a breakout (unique topic), under one Idempotency-Key.</summary>
public sealed record SentCommand(string Key, string Kind, string Edition, string Unique)
{
    public int Attempts;
    public bool Acknowledged;
    public DateTime? AcknowledgedAt;
}

/// <summary>
/// Closed-loop clients, each on an edition of its own: a command is sent with a fresh
/// Idempotency-Key and, until it gets a 2xx, retried with the same key and body (after an
/// exception, a timeout, a 429 or a 503). Stopping ends new commands; the pending ones are
/// retried until answered or the drain deadline passes. Every answer is counted by status.
/// </summary>
public sealed class CommandClients
{
    private readonly ConcurrentDictionary<string, long> _answers = new();
    private readonly ConcurrentQueue<SentCommand> _commands = new();
    private readonly ConcurrentQueue<string> _unexpected = new();
    private readonly ConcurrentQueue<(DateTime At, bool Ok)> _timeline = new();
    private readonly ConcurrentQueue<double> _latencies = new();
    private long _requests;
    private int _sequence;

    public Func<HttpClient> Target { get; set; }
    public string RunId { get; } = Guid.NewGuid().ToString("N")[..6];

    public CommandClients(Func<HttpClient> target) => Target = target;

    public long Requests => Interlocked.Read(ref _requests);
    public IReadOnlyList<SentCommand> Commands => _commands.ToList();
    public IReadOnlyList<SentCommand> Acknowledged => _commands.Where(c => c.Acknowledged).ToList();
    public IReadOnlyDictionary<string, long> Answers => _answers;
    public IReadOnlyList<string> Unexpected => _unexpected.ToList();
    public IReadOnlyList<(DateTime At, bool Ok)> Timeline => _timeline.ToList();
    public IReadOnlyList<double> Latencies => _latencies.ToList();
    public long Count(string answer) => _answers.TryGetValue(answer, out var n) ? n : 0;

    public string Summary() =>
        $"{Requests} requests, {Commands.Count} commands, {Acknowledged.Count} acknowledged; answers: " +
        string.Join(", ", _answers.OrderBy(a => a.Key).Select(a => $"{a.Key}={a.Value}"));

    /// <summary>Runs until <paramref name="stop"/> is cancelled, then drains pending commands until <paramref name="drainDeadline"/>.</summary>
    public Task RunAsync(IReadOnlyList<string> editions, CancellationToken stop, TimeSpan drain) =>
        Task.WhenAll(editions.Select((edition, client) => Task.Run(() => ClientAsync(client, edition, stop, drain))));

    private async Task ClientAsync(int client, string edition, CancellationToken stop, TimeSpan drain)
    {
        DateTime? drainUntil = null;
        while (true)
        {
            if (stop.IsCancellationRequested) return;
            var n = Interlocked.Increment(ref _sequence);
            var command = new SentCommand($"{RunId}-{client}-{n}", n % 2 == 0 ? "talk" : "breakout", edition, $"{RunId} {client}-{n}");
            _commands.Enqueue(command);
            while (!command.Acknowledged)
            {
                if (stop.IsCancellationRequested) drainUntil ??= DateTime.UtcNow + drain;
                if (drainUntil is { } until && DateTime.UtcNow > until) return;
                var wait = await SendAsync(command);
                if (!command.Acknowledged) await Task.Delay(wait);
            }
        }
    }

    /// <summary>Sends once; returns how long to wait before a retry.</summary>
    private async Task<TimeSpan> SendAsync(SentCommand command)
    {
        command.Attempts++;
        Interlocked.Increment(ref _requests);
        using var request = new HttpRequestMessage(HttpMethod.Post, command.Kind == "talk"
            ? $"/api/editions/{command.Edition}/talks" : $"/api/editions/{command.Edition}/breakouts")
        {
            Content = command.Kind == "talk"
                ? JsonContent.Create(new
                {
                    title = command.Unique, speakers = new[] { new { name = "Speaker " + command.Unique, affiliation = "Somewhere" } },
                    start = "2030-06-04T09:15", durationMinutes = 45, room = "room " + command.Unique, kind = "contributed",
                })
                : JsonContent.Create(new { topic = command.Unique, capacity = 20 }),
        };
        request.Headers.Add("Idempotency-Key", command.Key);
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var response = await Target().SendAsync(request);
            var status = (int)response.StatusCode;
            _answers.AddOrUpdate(status.ToString(), 1, (_, v) => v + 1);
            _latencies.Enqueue(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            if (response.IsSuccessStatusCode)
            {
                command.Acknowledged = true;
                command.AcknowledgedAt = DateTime.UtcNow;
                _timeline.Enqueue((DateTime.UtcNow, true));
                return TimeSpan.Zero;
            }
            _timeline.Enqueue((DateTime.UtcNow, false));
            if (status is 429 or 503)
            {
                if (status == 503 && !response.Headers.Contains("Retry-After")) _unexpected.Enqueue($"503 without Retry-After for {command.Key}");
                return TimeSpan.FromMilliseconds(200);
            }
            var body = await response.Content.ReadAsStringAsync();
            _unexpected.Enqueue($"{status} for {command.Kind} {command.Key}: {body}");
            return TimeSpan.FromMilliseconds(200);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException)
        {
            _answers.AddOrUpdate(ex is TaskCanceledException ? "timeout" : "no-answer", 1, (_, v) => v + 1);
            _timeline.Enqueue((DateTime.UtcNow, false));
            return TimeSpan.FromMilliseconds(100);
        }
    }

    /// <summary>A series with one edition per client (registration open), as the commands benchmark sets up.</summary>
    public static async Task<(string Slug, List<string> Editions)> SetupAsync(HttpClient http, int editions)
    {
        var slug = "rel-" + Guid.NewGuid().ToString("N")[..8];
        await Ok(await http.PostAsJsonAsync("/api/series", new { slug, name = "Reliability series" }));
        var ids = new List<string>();
        for (var i = 0; i < editions; i++)
        {
            var response = await http.PostAsJsonAsync($"/api/series/{slug}/editions",
                new { title = $"Edition {i}", startDate = "2030-06-03", endDate = "2030-06-07", timeZone = "Europe/Rome", format = "inPerson" });
            await Ok(response);
            ids.Add((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!);
        }
        return (slug, ids);
    }

    public static async Task Ok(HttpResponseMessage response)
    {
        if (response.StatusCode is HttpStatusCode.OK or HttpStatusCode.Created or HttpStatusCode.Accepted or HttpStatusCode.NoContent) return;
        throw new InvalidOperationException($"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri} → {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }
}
