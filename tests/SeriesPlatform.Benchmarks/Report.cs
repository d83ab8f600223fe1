using System.Text;

namespace SeriesPlatform.Benchmarks;

/// <summary>Collects result rows, prints them, and rewrites this run's sections of docs/performance.md.</summary>
public sealed class Report(string machine, string command)
{
    private readonly List<(string Section, string[] Header, List<string[]> Rows, List<string> Notes)> _sections = [];

    public void Section(string name, params string[] header) => _sections.Add((name, header, [], []));
    public void Row(params string[] cells) => _sections[^1].Rows.Add(cells);
    public void Note(string text) => _sections[^1].Notes.Add(text);

    public void Print()
    {
        foreach (var (name, header, rows, notes) in _sections)
        {
            Console.WriteLine();
            Console.WriteLine($"== {name}");
            var widths = header.Select((h, i) => Math.Max(h.Length, rows.Select(r => r[i].Length).DefaultIfEmpty(0).Max())).ToArray();
            Console.WriteLine(string.Join("  ", header.Select((h, i) => h.PadRight(widths[i]))));
            foreach (var row in rows) Console.WriteLine(string.Join("  ", row.Select((c, i) => c.PadRight(widths[i]))));
            foreach (var note in notes) Console.WriteLine("  " + note);
        }
    }

    public async Task WriteAsync(string path)
    {
        var text = File.Exists(path) ? await File.ReadAllTextAsync(path) : "# Performance\n\nFigures written by `ops/bench` (every benchmark; `ops/bench <name>` for one); each section is replaced when its benchmark runs again. Against another PostgreSQL: `SERIES_DATABASE=\"Host=...;Username=...;Password=...;Database=postgres\" ops/bench`.\n";
        foreach (var (name, header, rows, notes) in _sections)
        {
            var body = new StringBuilder();
            body.AppendLine($"## {name}").AppendLine();
            body.AppendLine($"Measured {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC on {machine}.  ");
            body.AppendLine($"Reproduce: `{command}`").AppendLine();
            body.AppendLine("| " + string.Join(" | ", header) + " |");
            body.AppendLine("|" + string.Concat(header.Select(_ => "---|")));
            foreach (var row in rows) body.AppendLine("| " + string.Join(" | ", row) + " |");
            if (notes.Count > 0) body.AppendLine();
            foreach (var note in notes) body.AppendLine(note);
            var start = $"<!-- bench:{name} -->";
            var end = $"<!-- /bench:{name} -->";
            var section = $"{start}\n{body.ToString().TrimEnd()}\n{end}";
            var i = text.IndexOf(start, StringComparison.Ordinal);
            var j = text.IndexOf(end, StringComparison.Ordinal);
            text = i >= 0 && j > i ? text[..i] + section + text[(j + end.Length)..] : text.TrimEnd() + "\n\n" + section + "\n";
        }
        await File.WriteAllTextAsync(path, text);
    }
}
