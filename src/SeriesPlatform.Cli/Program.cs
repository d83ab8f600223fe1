using System.CommandLine;
using Npgsql;
using SeriesPlatform.EventStore;
using SeriesPlatform.EventStore.Projections;
using SeriesPlatform.Server.Auth;
using SeriesPlatform.Server.Commands;
using SeriesPlatform.Server.Dataset;
using SeriesPlatform.Server.History;
using SeriesPlatform.Server.Infrastructure;
using Spectre.Console;

// `series`: the command line for admins and scripts. Exit codes: 0 ok, 1 failed (e.g. invalid
// dataset), 2 usage or configuration error.
var root = new RootCommand("SeriesPlatform command line. Needs SERIES_DATABASE (an Npgsql connection string).");

var importPath = new Argument<string>("path") { Description = "A .series file or a folder of them (e.g. data/demo)." };
var import = new Command("import", "Import dataset files through the same commands an admin uses; importing twice changes nothing.") { importPath };
import.SetAction(async (parse, ct) =>
{
    var plan = DatasetImporter.Read(parse.GetValue(importPath)!);
    if (!plan.Ok)
    {
        foreach (var error in plan.Errors) Console.Error.WriteLine(error);
        Console.Error.WriteLine($"{plan.Errors.Count} error(s); nothing was imported.");
        return 1;
    }
    await using var services = await Services.ConnectAsync(ct);
    ImportResult result = null!;
    await AnsiConsole.Progress().AutoClear(true).StartAsync(async context =>
    {
        var task = context.AddTask("importing", maxValue: plan.Steps.Count);
        result = await services.Importer.ImportAsync(plan, new Progress<(int Done, int Total)>(p => task.Value = p.Done), ct);
    });
    Console.WriteLine($"{result.Steps} steps: {result.Applied} applied, {result.AlreadyDone} already imported.");
    return 0;
});
root.Subcommands.Add(import);

var keyRole = new Option<string>("--role") { Description = "admin, historian or integration", Required = true };
var keyName = new Option<string>("--name") { Description = "who or what uses the key", DefaultValueFactory = _ => "cli" };
var keySeries = new Option<string?>("--series") { Description = "limit an admin key to one series (slug)" };
var keysCreate = new Command("create", "Create an API key; it is printed once and stored only as a hash.") { keyRole, keyName, keySeries };
keysCreate.SetAction(async (parse, ct) =>
{
    await using var services = await Services.ConnectAsync(ct);
    try
    {
        var key = await KeyEndpoints.CreateAsync(services.DataSource, new KeyEndpoints.CreateKey(parse.GetValue(keyName), parse.GetValue(keyRole), parse.GetValue(keySeries)), ct);
        Console.WriteLine(key.Key);
        return 0;
    }
    catch (ValidationFailed v)
    {
        foreach (var (field, messages) in v.Errors) Console.Error.WriteLine($"{field}: {string.Join(" ", messages)}");
        return 2;
    }
});
root.Subcommands.Add(new Command("keys", "Manage API keys.") { keysCreate });

var migrate = new Command("migrate", "Apply the database migrations (the server does this at start too).");
migrate.SetAction(async (parse, ct) =>
{
    await using var services = await Services.ConnectAsync(ct);
    return 0;
});
root.Subcommands.Add(migrate);

var rebuildName = new Argument<string?>("projection") { Description = "history_catalog, history_people or history_search", Arity = ArgumentArity.ZeroOrOne };
var rebuildAll = new Option<bool>("--all") { Description = "rebuild every projection" };
var rebuild = new Command("rebuild", "Rebuild projections into new tables and swap them in when caught up; reads stay up meanwhile.") { rebuildName, rebuildAll };
rebuild.SetAction(async (parse, ct) =>
{
    var projections = HistorySetup.Projections();
    var name = parse.GetValue(rebuildName);
    var all = parse.GetValue(rebuildAll);
    if (all == (name is not null) || (name is not null && projections.All(p => p.Name != name)))
    {
        Console.Error.WriteLine($"series rebuild: name one projection ({string.Join(", ", projections.Select(p => p.Name))}) or --all.");
        return 2;
    }
    await using var services = await Services.ConnectAsync(ct);
    // This process joins the competition for the projections: when a server already leads one, the
    // server builds it and we only watch; otherwise we build it here.
    await using var daemon = new ProjectionDaemon(services.Store, projections);
    await daemon.StartAsync(ct);
    var chosen = projections.Where(p => all || p.Name == name).Select(p => p.Name).ToList();
    foreach (var p in chosen) await daemon.RebuildAsync(p, ct);
    await AnsiConsole.Progress().AutoClear(false).StartAsync(async context =>
    {
        var bars = chosen.ToDictionary(p => p, p => context.AddTask(p, maxValue: 100));
        while (true)
        {
            var status = await daemon.StatusAsync(ct);
            foreach (var (p, bar) in bars)
                bar.Value = status.FirstOrDefault(s => s.Projection == p && s.Status == "building") is { } b ? 100 * (b.Progress ?? 0) : 100;
            if (bars.Values.All(b => b.Value >= 100)) break;
            try { await daemon.WaitForCatchUpAsync(TimeSpan.FromSeconds(1), rebuilds: true, ct); }
            catch (TimeoutException) { /* still building: refresh the bars */ }
        }
    });
    foreach (var s in (await daemon.StatusAsync(ct)).Where(s => chosen.Contains(s.Projection)))
        Console.WriteLine($"{s.Projection}: generation {s.Generation} live, {s.EventsProcessed} events, {s.EventsBehind} behind");
    return 0;
});
root.Subcommands.Add(rebuild);

try
{
    return await root.Parse(args).InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
}
catch (Exception ex) when (ex is InvalidOperationException or NpgsqlException or StoreUnavailableException or FileNotFoundException)
{
    Console.Error.WriteLine($"series: {ex.Message}");
    return 2;
}

/// <summary>The store and command workflow the CLI shares with the server, without the web host.</summary>
sealed class Services(NpgsqlDataSource dataSource, EventNotifications notifications, DatasetImporter importer, PostgresEventStore store) : IAsyncDisposable
{
    public NpgsqlDataSource DataSource => dataSource;
    public PostgresEventStore Store => store;
    public DatasetImporter Importer => importer;

    public static async Task<Services> ConnectAsync(CancellationToken ct)
    {
        var cs = Environment.GetEnvironmentVariable("SERIES_DATABASE");
        if (string.IsNullOrWhiteSpace(cs)) throw new InvalidOperationException("SERIES_DATABASE is not set (an Npgsql connection string).");
        var dataSource = NpgsqlDataSource.Create(cs);
        await SchemaMigrator.MigrateAsync(dataSource, [typeof(PostgresEventStore).Assembly, typeof(Setup).Assembly], ct);
        var notifications = new EventNotifications(dataSource);
        var store = new PostgresEventStore(dataSource, Setup.EventTypes(), notifications);
        return new Services(dataSource, notifications, new DatasetImporter(new CommandHandler(store, TimeProvider.System)), store);
    }

    public async ValueTask DisposeAsync()
    {
        await notifications.DisposeAsync();
        await dataSource.DisposeAsync();
    }
}
