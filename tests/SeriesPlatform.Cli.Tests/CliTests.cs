using System.Diagnostics;
using SeriesPlatform.Testing;

namespace SeriesPlatform.Cli.Tests;

/// <summary>The series command as a user runs it: exit codes, messages, and an import that is idempotent.</summary>
public sealed class CliTests
{
    private static async Task<(int Code, string Out, string Err)> Series(string? database, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "series.dll"));
        foreach (var a in args) psi.ArgumentList.Add(a);
        if (database is null) psi.Environment.Remove("SERIES_DATABASE"); else psi.Environment["SERIES_DATABASE"] = database;
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout, await stderr);
    }

    private static string Demo()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "SeriesPlatform.sln"))) return Path.Combine(dir.FullName, "data", "demo");
        throw new InvalidOperationException("repository root not found");
    }

    [Fact]
    public async Task Import_twice_applies_once_and_a_broken_file_fails_with_its_line()
    {
        var database = await TestPostgres.CreateDatabaseAsync(nameof(CliTests));
        var first = await Series(database, "import", Demo());
        Assert.True(first.Code == 0, first.Err);
        Assert.Matches(@"\d+ steps: \d+ applied, 0 already imported", first.Out);
        var second = await Series(database, "import", Demo());
        Assert.Matches(@"\d+ steps: 0 applied, \d+ already imported", second.Out);

        var broken = Path.Combine(Directory.CreateTempSubdirectory("cli").FullName, "bad.series");
        await File.WriteAllTextAsync(broken, "[series x]\nname: X\nbogus-field: 1\n");
        var failed = await Series(database, "import", broken);
        Assert.Equal(1, failed.Code);
        Assert.Contains("bad.series:3:", failed.Err);
        Assert.Contains("nothing was imported", failed.Err);
    }

    [Fact]
    public async Task Verify_export_and_status_on_the_demo_data_and_verify_finds_a_tampered_snapshot()
    {
        var database = await TestPostgres.CreateDatabaseAsync(nameof(CliTests));
        Assert.Equal(0, (await Series(database, "import", Demo())).Code);

        var verified = await Series(database, "verify");
        Assert.True(verified.Code == 0, verified.Out + verified.Err);
        Assert.Contains("verified: no differences", verified.Out);

        var tufts = await Scalar<Guid>(database, "select id from edition_catalog where series_slug = 'iaifi-summer-workshop'");
        var md = await Series(database, "export", tufts.ToString(), "--format", "md");
        Assert.Equal(0, md.Code);
        Assert.Contains("## Monday, August 8, 2022", md.Out);
        Assert.Contains("### 09:15–10:00", md.Out);
        Assert.Contains("Sébastien Racanière", md.Out);
        var ics = await Series(database, "export", tufts.ToString(), "--format", "ics");
        Assert.Contains("DTSTART;TZID=America/New_York:20220808T091500", ics.Out);
        Assert.Equal(2, (await Series(database, "export", tufts.ToString(), "--format", "pdf")).Code);
        Assert.Equal(1, (await Series(database, "export", Guid.NewGuid().ToString())).Code);

        var status = await Series(database, "status");
        Assert.Equal(0, status.Code);
        Assert.Contains("history_catalog", status.Out);

        await Scalar<int>(database,
            "update snapshots set state = jsonb_set(state::jsonb, '{title}', '\"Tampered\"')::json where stream_id = 'edition-" + tufts.ToString("N") + "' returning 1");
        var tampered = await Series(database, "verify", "--streams-only");
        Assert.Equal(1, tampered.Code);
        Assert.Contains($"edition-{tufts:N}: the snapshot differs", tampered.Out);
    }

    private static async Task<T> Scalar<T>(string database, string sql)
    {
        await using var connection = new Npgsql.NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var cmd = new Npgsql.NpgsqlCommand(sql, connection);
        return (T)(await cmd.ExecuteScalarAsync())!;
    }

    [Fact]
    public async Task Keys_create_prints_a_key_once_and_refuses_an_unknown_role()
    {
        var database = await TestPostgres.CreateDatabaseAsync(nameof(CliTests));
        var created = await Series(database, "keys", "create", "--role", "historian", "--name", "archive");
        Assert.Equal(0, created.Code);
        Assert.StartsWith("sp_", created.Out.Trim());
        var refused = await Series(database, "keys", "create", "--role", "emperor");
        Assert.Equal(2, refused.Code);
        Assert.Contains("role", refused.Err);
    }

    [Fact]
    public async Task Without_a_database_it_says_what_to_set()
    {
        var result = await Series(null, "import", Demo());
        Assert.Equal(2, result.Code);
        Assert.Contains("SERIES_DATABASE", result.Err);
    }
}
