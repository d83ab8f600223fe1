using System.Globalization;
using static SeriesPlatform.Server.Pages.Html;

namespace SeriesPlatform.Server.Pages.History;

/// <summary>
/// Two small chart kinds as inline SVG. Colours are presentation attributes (allowed by the CSP,
/// unlike style attributes); each chart names itself for screen readers and carries its numbers in
/// a table below it.
/// </summary>
public static class Svg
{
    private static readonly string[] Palette = ["#1f5fa8", "#d9822b", "#2a9d5c", "#a63d40", "#7b5ea7", "#3a8fb7", "#b5a33a", "#6b6b6b", "#c45ab3", "#4d7c0f", "#0e7490", "#9a3412"];
    private static string N(double v) => v.ToString("0.#", CultureInfo.InvariantCulture);

    public static Html StackedBars(IReadOnlyList<(string Series, int Year, int Talks)> data, string labelledBy)
    {
        var years = data.Select(d => d.Year).Distinct().Order().ToList();
        var series = data.Select(d => d.Series).Distinct().Order(StringComparer.Ordinal).ToList();
        var max = years.Max(y => data.Where(d => d.Year == y).Sum(d => d.Talks));
        const double left = 36, top = 10, height = 200, barGap = 8;
        var barWidth = Math.Max(14, Math.Min(48, 560.0 / years.Count - barGap));
        var width = left + years.Count * (barWidth + barGap) + 10;
        var bars = new List<Html>();
        for (var i = 0; i < years.Count; i++)
        {
            var x = left + i * (barWidth + barGap);
            var y = top + height;
            foreach (var s in series)
            {
                var n = data.Where(d => d.Year == years[i] && d.Series == s).Sum(d => d.Talks);
                if (n == 0) continue;
                var h = height * n / max;
                y -= h;
                bars.Add(H($"""<rect x="{N(x)}" y="{N(y)}" width="{N(barWidth)}" height="{N(h)}" fill="{Palette[series.IndexOf(s) % Palette.Length]}"><title>{s} {years[i]}: {n} talks</title></rect>"""));
            }
            bars.Add(H($"""<text x="{N(x + barWidth / 2)}" y="{N(top + height + 14)}" text-anchor="middle">{years[i]}</text>"""));
        }
        var axis = H($"""<line x1="{N(left - 4)}" y1="{N(top + height)}" x2="{N(width)}" y2="{N(top + height)}" stroke="#596275"/><text x="{N(left - 6)}" y="{N(top + 8)}" text-anchor="end">{max}</text><text x="{N(left - 6)}" y="{N(top + height)}" text-anchor="end">0</text>""");
        var legend = series.Select((s, i) => H($"""<li><svg width="12" height="12" aria-hidden="true"><rect width="12" height="12" fill="{Palette[i % Palette.Length]}"/></svg> {s}</li>"""));
        var rows = data.Select(d => H($"<tr><td>{d.Year}</td><td>{d.Series}</td><td>{d.Talks}</td></tr>"));
        return H($"""
            <svg class="chart" viewBox="0 0 {N(width)} {N(top + height + 24)}" width="{N(width)}" role="img" aria-labelledby="{labelledBy}">{bars}{axis}</svg>
            <ul class="counts">{legend}</ul>
            <details><summary>Data table</summary><table><thead><tr><th scope="col">Year</th><th scope="col">Series</th><th scope="col">Talks</th></tr></thead><tbody>{rows}</tbody></table></details>
            """);
    }

    public static Html HorizontalBars(IReadOnlyList<(Guid Id, string Name, int Editions)> data, string labelledBy)
    {
        const double labelWidth = 190, barMax = 320, row = 22;
        var max = data.Max(d => d.Editions);
        var rows = data.Select((d, i) => H($"""
            <a href="/people/{d.Id}"><text x="{N(labelWidth - 6)}" y="{N(i * row + 15)}" text-anchor="end">{d.Name}</text></a>
            <rect x="{N(labelWidth)}" y="{N(i * row + 4)}" width="{N(barMax * d.Editions / max)}" height="{N(row - 8)}" fill="#1f5fa8"><title>{d.Name}: {d.Editions} editions</title></rect>
            <text x="{N(labelWidth + barMax * d.Editions / max + 4)}" y="{N(i * row + 15)}">{d.Editions}</text>
            """));
        var table = data.Select(d => H($"""<tr><td><a href="/people/{d.Id}">{d.Name}</a></td><td>{d.Editions}</td></tr>"""));
        return H($"""
            <svg class="chart" viewBox="0 0 {N(labelWidth + barMax + 40)} {N(data.Count * row + 4)}" width="{N(labelWidth + barMax + 40)}" role="img" aria-labelledby="{labelledBy}">{rows}</svg>
            <details><summary>Data table</summary><table><thead><tr><th scope="col">Speaker</th><th scope="col">Editions</th></tr></thead><tbody>{table}</tbody></table></details>
            """);
    }
}
