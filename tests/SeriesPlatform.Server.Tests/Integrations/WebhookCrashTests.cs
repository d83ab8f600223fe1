namespace SeriesPlatform.Server.Tests.Integrations;

/// <summary>
/// A server that stops after sending a delivery but before recording it (the receiver has the
/// request; the server never sees the answer) must send it again, with the same webhook-id.
/// </summary>
public sealed class WebhookCrashTests(IntegrationFixture server) : IClassFixture<IntegrationFixture>
{
    [Fact]
    public async Task A_delivery_in_flight_when_the_server_stops_is_sent_again_with_the_same_webhook_id()
    {
        await using var receiver = await Receiver.StartAsync();
        // The first request reaches the receiver and then hangs until the server goes away.
        receiver.Respond = async (path, n, http) =>
        {
            if (n == 1) await Task.Delay(Timeout.Infinite, http.RequestAborted).ContinueWith(_ => { });
        };
        var admin = server.Admin();
        var w = await Workshop.CreateAsync(admin);
        var (id, secret) = await WebhookTests.Subscribe(admin, $"{receiver.Url}/crash", w.Slug, ["talk.scheduled.v1"]);
        await w.Talk("In flight", "2022-12-03T09:00");
        await receiver.WaitFor("/crash", 1);

        await server.Factory.DisposeAsync(); // the server process ends mid-delivery

        await using var restarted = server.NewHost();
        var client = restarted.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", ServerFixture.AdminKey);
        var hits = await receiver.WaitFor("/crash", 2);
        Assert.Equal(hits[0].Headers["webhook-id"], hits[1].Headers["webhook-id"]);
        Assert.Equal(hits[0].Body, hits[1].Body);
        WebhookTests.AssertSigned(secret, hits[1]);

        var history = await Eventually.Until(async () => (await client.GetAsync($"/api/webhooks/{id}/deliveries").Expect(200)).EnumerateArray().ToList(),
            d => d.Count >= 1, "the recorded delivery");
        Assert.Equal("delivered", Assert.Single(history).GetProperty("outcome").GetString());
    }
}
