using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using SeriesPlatform.Server.Dataset;
using SeriesPlatform.Testing;

namespace SeriesPlatform.Server.Tests.Pages;

/// <summary>
/// The real Program on a real Kestrel listener (127.0.0.1, a free port) over a database of its own
/// with the demo series imported, and the Debian chromium driven by Playwright. The browser is the
/// system package at /usr/bin/chromium: nothing is downloaded, and a missing browser fails the
/// tests (it does not skip them).
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string Chromium = "/usr/bin/chromium";
    public string ConnectionString { get; private set; } = "";
    public WebApplicationFactory<Program> Factory { get; private set; } = null!;
    public Uri BaseAddress { get; private set; } = null!;
    public IPlaywright Playwright { get; private set; } = null!;
    public IBrowser Browser { get; private set; } = null!;

    public static string Artifacts { get; } = Path.Combine(AppContext.BaseDirectory, "artifacts");

    public async Task InitializeAsync()
    {
        Assert.True(File.Exists(Chromium), $"{Chromium} is missing: install the Debian 'chromium' package (ops/test does).");
        ConnectionString = await TestPostgres.CreateDatabaseAsync(nameof(BrowserFixture));
        Factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseSetting("SERIES_DATABASE", ConnectionString);
            b.UseSetting("SERIES_BOOTSTRAP_ADMIN_KEY", ServerFixture.AdminKey);
            // Webhook receivers in the page tests run on 127.0.0.1: nothing is ever sent beyond loopback.
            b.UseSetting("SERIES_WEBHOOK_ALLOWED_HOSTS", "127.0.0.1");
            b.UseSetting("SERIES_WEBHOOK_MAX_ATTEMPTS", "2");
            b.UseSetting("SERIES_WEBHOOK_RETRY_BASE_MS", "100");
            b.UseSetting("SERIES_WEBHOOK_TIMEOUT_MS", "1000");
            b.UseSetting("SERIES_WEBHOOK_POLL_MS", "100");
            b.UseEnvironment("Testing");
        });
        Factory.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        Factory.StartServer();
        var address = Factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        BaseAddress = new Uri(address.EndsWith('/') ? address : address + "/");

        var importer = Factory.Services.GetRequiredService<DatasetImporter>();
        var plan = DatasetImporter.Read(DemoDataTests.DemoFolder());
        Assert.True(plan.Ok, string.Join("\n", plan.Errors));
        await importer.ImportAsync(plan);

        Directory.CreateDirectory(Artifacts);
        Playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        Browser = await Playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync"],
        });
    }

    /// <summary>A fresh browser context (own cookies) whose relative URLs go to the test server.</summary>
    public async Task<IPage> NewPageAsync(int width = 1100, int height = 900)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = BaseAddress.ToString(), ViewportSize = new ViewportSize { Width = width, Height = height },
        });
        return await context.NewPageAsync();
    }

    public HttpClient Http(string? adminKey = null)
    {
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = BaseAddress };
        if (adminKey is not null) client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", adminKey);
        return client;
    }

    public static Task Screenshot(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Artifacts, $"{name}.png"), FullPage = true });

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.DisposeAsync();
        Playwright?.Dispose();
        if (Factory is not null) await Factory.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "browser";
}
