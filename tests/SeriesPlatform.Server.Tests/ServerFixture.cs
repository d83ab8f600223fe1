using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using SeriesPlatform.Testing;

namespace SeriesPlatform.Server.Tests;

/// <summary>The real Program over a database of its own (one per test class), with an admin key.</summary>
public class ServerFixture : IAsyncLifetime
{
    public const string AdminKey = "sp_test_admin_key_for_this_run";
    public string ConnectionString { get; private set; } = "";
    public WebApplicationFactory<Program> Factory { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        ConnectionString = await TestPostgres.CreateDatabaseAsync(GetType().Name);
        Factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseSetting("SERIES_DATABASE", ConnectionString);
            b.UseSetting("SERIES_BOOTSTRAP_ADMIN_KEY", AdminKey);
            // Webhook targets in tests are a loopback IP literal: no delivery, and no DNS query, leaves the machine.
            b.UseSetting("SERIES_WEBHOOK_ALLOWED_HOSTS", "127.0.0.1");
            b.UseEnvironment("Testing");
            Configure(b);
        });
        _ = Factory.Server; // start the host (runs migrations)
    }

    /// <summary>Extra settings for a fixture of its own (e.g. tight rate limits).</summary>
    protected virtual void Configure(IWebHostBuilder builder) { }

    public HttpClient Anonymous() => Factory.CreateClient();

    public HttpClient WithKey(string key)
    {
        var client = Factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    public HttpClient Admin()
    {
        var client = Factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
        return client;
    }

    public async Task DisposeAsync()
    {
        if (Factory is not null) await Factory.DisposeAsync();
    }
}

/// <summary>Asserts on responses and prints the body when the status is not the expected one.</summary>
public static class Scenario
{
    public static async Task<JsonElement> Expect(this Task<HttpResponseMessage> call, int status, string? contentType = "application/json")
    {
        using var response = await call;
        var body = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == status, $"Expected {status}, got {(int)response.StatusCode}: {body}");
        if (contentType is not null && body.Length > 0) Assert.Equal(contentType, response.Content.Headers.ContentType?.MediaType);
        return body.Length == 0 ? default : JsonDocument.Parse(body).RootElement.Clone();
    }

    public static Task<HttpResponseMessage> Post(this HttpClient client, string url, object body, Action<HttpRequestMessage>? headers = null) =>
        Send(client, HttpMethod.Post, url, body, headers);

    public static Task<HttpResponseMessage> Put(this HttpClient client, string url, object body, Action<HttpRequestMessage>? headers = null) =>
        Send(client, HttpMethod.Put, url, body, headers);

    public static Task<HttpResponseMessage> Send(this HttpClient client, HttpMethod method, string url, object? body, Action<HttpRequestMessage>? headers = null)
    {
        var request = new HttpRequestMessage(method, url);
        if (body is string raw) request.Content = new StringContent(raw, System.Text.Encoding.UTF8, "application/json");
        else if (body is not null) request.Content = JsonContent.Create(body);
        headers?.Invoke(request);
        return client.SendAsync(request);
    }
}
