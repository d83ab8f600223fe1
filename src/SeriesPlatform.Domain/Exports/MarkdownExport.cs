using System.Globalization;
using System.Text;

namespace SeriesPlatform.Domain.Exports;

/// <summary>The agenda as Markdown, for pasting into a workshop page or a README (like the seed agenda pages).</summary>
public static class MarkdownExport
{
    public static string Render(EditionState edition, ExportContext context)
    {
        var agenda = AgendaView.Build(edition);
        var md = new StringBuilder();
        md.Append("# ").AppendLine(Escape(edition.Title)).AppendLine();
        if (edition.Venue is { } v)
            md.Append("Venue: ").AppendLine(Escape(string.Join(", ", new[] { v.Name, v.City, v.Country }.Where(x => !string.IsNullOrWhiteSpace(x))))).AppendLine();
        md.Append("All times are ").Append(edition.TimeZone).AppendLine(".").AppendLine();
        foreach (var day in agenda.Days)
        {
            md.Append("## ").AppendLine(day.Date.ToString("dddd, MMMM d, yyyy", CultureInfo.InvariantCulture)).AppendLine();
            foreach (var item in day.Items) Item(md, item);
        }
        if (agenda.Unscheduled.Count > 0)
        {
            md.AppendLine("## Without a stated time").AppendLine();
            foreach (var item in agenda.Unscheduled) Item(md, item);
        }
        return md.ToString();
    }

    private static void Item(StringBuilder md, AgendaEntry item)
    {
        md.Append("### ");
        md.Append(item.StartLocal is { } start ? start.ToString("HH:mm", CultureInfo.InvariantCulture) + (item.EndLocal is { } end ? "–" + end.ToString("HH:mm", CultureInfo.InvariantCulture) : "") : "Time not stated");
        if (item.Room is { } room) md.Append(" · ").Append(Escape(room));
        md.AppendLine().AppendLine();
        foreach (var s in item.Speakers)
            md.Append("**").Append(Escape(s.Name)).Append("**").Append(s.Affiliation is { } a ? ", " + Escape(a) : "").AppendLine("  ");
        md.AppendLine(item.DetailsToCome ? "Details to come" : Escape(item.Title ?? item.Kind.ToString())).AppendLine();
        if (item.Abstract is { } abs) md.AppendLine(Escape(abs)).AppendLine();
    }

    // Markdown would turn user text into links, headings or HTML: escape what it treats specially.
    private static string Escape(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if ("\\`*_{}[]()#+-.!<>|".Contains(c)) sb.Append('\\');
            sb.Append(c);
        }
        return sb.ToString();
    }
}
