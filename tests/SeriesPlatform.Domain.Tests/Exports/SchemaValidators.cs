using System.Diagnostics;
using System.Runtime.CompilerServices;
namespace SeriesPlatform.Domain.Tests.Exports;

/// <summary>The external schema validators (xmllint for the XSD, ajv for the JSON schema), shared by the export tests.</summary>
public static class SchemaValidators
{
    // ---------------------------------------------------------------- external validators

    public static string SpecsDirectory()
    {
        var env = Environment.GetEnvironmentVariable("SERIES_SPECS_DIR");
        if (!string.IsNullOrEmpty(env) && Directory.Exists(Path.Combine(env, "voc-schedule"))) return env;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            // The repository keeps a copy (tests/specs); shared/specs beside a checkout is the original.
            foreach (var candidate in new[] { Path.Combine(dir.FullName, "tests", "specs"), Path.Combine(dir.FullName, "shared", "specs") })
                if (File.Exists(Path.Combine(candidate, "voc-schedule", "schedule.xml.xsd"))) return candidate;
        }
        throw new Xunit.Sdk.XunitException(
            "shared/specs/voc-schedule not found above " + AppContext.BaseDirectory + " (set SERIES_SPECS_DIR to the specs folder).");
    }

    public static string ValidatorDirectory([CallerFilePath] string here = "") => Path.Combine(Path.GetDirectoryName(here)!, "validator");

    public static (int ExitCode, string Output) Run(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        Process p;
        try { p = Process.Start(psi)!; }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new Xunit.Sdk.XunitException(file switch
            {
                "xmllint" => "xmllint is not installed: the test runner must run `apt-get install -y libxml2-utils`. (" + ex.Message + ")",
                "node" => "node is not installed: the test runner must install Node.js (apt-get install -y nodejs npm). (" + ex.Message + ")",
                _ => $"{file} could not be started: {ex.Message}",
            });
        }
        using (p)
        {
            var stdout = p.StandardOutput.ReadToEndAsync();
            var stderr = p.StandardError.ReadToEndAsync();
            if (!p.WaitForExit(60_000)) { p.Kill(true); throw new Xunit.Sdk.XunitException($"{file} did not finish within 60 s"); }
            return (p.ExitCode, stdout.Result + stderr.Result);
        }
    }

    /// <summary>xmllint against the voc XSD; returns (valid, messages).</summary>
    public static (bool Valid, string Output) ValidateXml(string xml)
    {
        var path = Path.Combine(Path.GetTempPath(), $"schedule-{Guid.NewGuid():N}.xml");
        File.WriteAllText(path, xml);
        try
        {
            var (code, output) = Run("xmllint", "--noout", "--schema", Path.Combine(SpecsDirectory(), "voc-schedule", "schedule.xml.xsd"), path);
            return (code == 0, output);
        }
        finally { File.Delete(path); }
    }

    /// <summary>Ajv (draft-06 + formats) against the voc JSON schema; returns (valid, messages).</summary>
    public static (bool Valid, string Output) ValidateJson(string json)
    {
        var dir = ValidatorDirectory();
        if (!Directory.Exists(Path.Combine(dir, "node_modules", "ajv")) || !Directory.Exists(Path.Combine(dir, "node_modules", "ajv-formats")))
            throw new Xunit.Sdk.XunitException(
                $"The JSON schema validator is not installed: the test runner must run `npm ci --prefix {dir}` (ajv + ajv-formats from package-lock.json).");
        var path = Path.Combine(Path.GetTempPath(), $"schedule-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, json);
        try
        {
            var (code, output) = Run("node", Path.Combine(dir, "validate-json.js"), Path.Combine(SpecsDirectory(), "voc-schedule", "schema.json"), path);
            if (code is not (0 or 1)) throw new Xunit.Sdk.XunitException("the JSON validator failed to run: " + output);
            return (code == 0, output);
        }
        finally { File.Delete(path); }
    }
}
