using SeriesPlatform.Server.Operations;
using SeriesPlatform.Domain.Exports;
using SeriesPlatform.Domain;
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

var exportEdition = new Argument<Guid>("edition") { Description = "the edition id" };
var exportFormat = new Option<string>("--format") { Description = "ics, xml, json or md", DefaultValueFactory = _ => "md" };
var exportAsOf = new Option<DateTimeOffset?>("--as-of") { Description = "the agenda as it stood at this instant (ISO 8601)" };
var exportBase = new Option<string>("--base-url") { Description = "where the platform is served (links in the export)", DefaultValueFactory = _ => "http://127.0.0.1:5080/" };
var export = new Command("export", "Print an edition's agenda as iCalendar, schedule.xml, schedule.json or Markdown.") { exportEdition, exportFormat, exportAsOf, exportBase };
export.SetAction(async (parse, ct) =>
{
    var format = parse.GetValue(exportFormat)!;
    Func<EditionState, ExportContext, string>? render = format switch
    {
        "ics" => (e, c) => ICalendarExport.Render([(e, c)]),
        "xml" => ScheduleXmlExport.Render,
        "json" => ScheduleJsonExport.Render,
        "md" => MarkdownExport.Render,
        _ => null,
    };
    if (render is null) { Console.Error.WriteLine("series export: --format is one of ics, xml, json, md."); return 2; }
    if (!Uri.TryCreate(parse.GetValue(exportBase), UriKind.Absolute, out var baseUrl)) { Console.Error.WriteLine("series export: --base-url must be an absolute URL."); return 2; }
    await using var services = await Services.ConnectAsync(ct);
    var stream = Aggregates.EditionStream(parse.GetValue(exportEdition));
    var asOf = parse.GetValue(exportAsOf);
    var edition = asOf is { } at ? await services.Handler.LoadAsOfAsync<EditionState>(stream, at, ct) : await services.Handler.LoadAsync<EditionState>(stream, ct);
    if (!edition.Exists) { Console.Error.WriteLine($"series export: no edition {parse.GetValue(exportEdition)}{(asOf is null ? "" : $" at {asOf:O}")}."); return 1; }
    var series = await services.Handler.LoadAsync<SeriesState>(Aggregates.SeriesStream(edition.SeriesSlug), ct);
    Console.Out.Write(render(edition, new ExportContext(series.Slug, series.Name, baseUrl, asOf is null ? null : $"as of {asOf:O}", DateTimeOffset.UtcNow)));
    return 0;
});
root.Subcommands.Add(export);

var verifySkipProjections = new Option<bool>("--streams-only") { Description = "skip the projection rebuild comparison" };
var verify = new Command("verify", "Re-fold every stream, check invariants and catalog rows, and compare every projection with a fresh rebuild.") { verifySkipProjections };
verify.SetAction(async (parse, ct) =>
{
    await using var services = await Services.ConnectAsync(ct);
    var verifier = new Verifier(services.Store, services.Handler);
    var differences = new List<string>();
    await AnsiConsole.Progress().AutoClear(true).StartAsync(async context =>
    {
        var bar = context.AddTask("re-folding streams");
        differences.AddRange(await verifier.VerifyStreamsAsync(new Progress<(int Done, int Total)>(p => { bar.MaxValue = p.Total; bar.Value = p.Done; }), ct));
    });
    if (!parse.GetValue(verifySkipProjections))
    {
        await using var daemon = new ProjectionDaemon(services.Store, HistorySetup.Projections());
        await daemon.StartAsync(ct);
        differences.AddRange(await verifier.VerifyProjectionsAsync(daemon, TimeSpan.FromMinutes(10), ct));
    }
    foreach (var d in differences) Console.WriteLine(d);
    Console.WriteLine(differences.Count == 0 ? "verified: no differences" : $"{differences.Count} difference(s)");
    return differences.Count == 0 ? 0 : 1;
});
root.Subcommands.Add(verify);

var status = new Command("status", "Projection lag and webhook backlog, one line each (easy to grep).");
status.SetAction(async (parse, ct) =>
{
    await using var services = await Services.ConnectAsync(ct);
    await using var daemon = new ProjectionDaemon(services.Store, HistorySetup.Projections());
    foreach (var s in await daemon.StatusAsync(ct))
        Console.WriteLine($"projection {s.Projection} generation={s.Generation} status={s.Status} behind={s.EventsBehind} seconds-behind={s.SecondsBehind:0.0} dead-letters={s.OpenDeadLetters}");
    await using (var exists = services.DataSource.CreateCommand("select to_regclass('webhook_subscriptions') is not null"))
        if (!(bool)(await exists.ExecuteScalarAsync(ct))!) return 0;
    await using var cmd = services.DataSource.CreateCommand("""
        select s.id, s.url, s.status,
               (select count(*) from events e where (e.tx_id, e.position) > (s.checkpoint_tx, s.checkpoint_pos)),
               (select count(*) from webhook_dead_letters d where d.subscription_id = s.id and d.replayed_at is null)
        from webhook_subscriptions s order by s.created_at
        """);
    await using var reader = await cmd.ExecuteReaderAsync(ct);
    while (await reader.ReadAsync(ct))
        Console.WriteLine($"webhook {reader.GetGuid(0)} {reader.GetString(1)} status={reader.GetString(2)} behind={reader.GetInt64(3)} dead-letters={reader.GetInt64(4)}");
    return 0;
});
root.Subcommands.Add(status);

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
sealed class Services(NpgsqlDataSource dataSource, EventNotifications notifications, DatasetImporter importer, PostgresEventStore store, CommandHandler handler,
    CommitQueue commits)
    : IAsyncDisposable
{
    public CommandHandler Handler => handler;
    public NpgsqlDataSource DataSource => dataSource;
    public PostgresEventStore Store => store;
    public DatasetImporter Importer => importer;

    public static async Task<Services> ConnectAsync(CancellationToken ct)
    {
        var cs = Environment.GetEnvironmentVariable("SERIES_DATABASE");
        if (string.IsNullOrWhiteSpace(cs)) throw new InvalidOperationException("SERIES_DATABASE is not set (an Npgsql connection string).");
        var dataSource = Setup.DataSource(cs);
        await SchemaMigrator.MigrateAsync(dataSource, [typeof(PostgresEventStore).Assembly, typeof(Setup).Assembly], ct);
        var notifications = new EventNotifications(dataSource);
        var store = new PostgresEventStore(dataSource, Setup.EventTypes(), notifications);
        var commits = new CommitQueue(store);
        var handler = new CommandHandler(store, commits, TimeProvider.System);
        return new Services(dataSource, notifications, new DatasetImporter(handler), store, handler, commits);
    }

    public async ValueTask DisposeAsync()
    {
        await commits.DisposeAsync();
        await notifications.DisposeAsync();
        await dataSource.DisposeAsync();
    }
}
