using System.Globalization;
using System.Text;
using System.Xml;

namespace SeriesPlatform.Domain.Exports;

/// <summary>
/// schedule.xml in the frab/pretalx "voc schedule" format (specs/voc-schedule/schedule.xml.xsd),
/// as Giggity, ConfClerk and EventFahrplan read it. Written with <see cref="XmlWriter"/> only, so
/// user text is always escaped character data.
/// </summary>
public static class ScheduleXmlExport
{
    public static string Render(EditionState edition, ExportContext context)
    {
        ArgumentNullException.ThrowIfNull(edition);
        ArgumentNullException.ThrowIfNull(context);
        var m = ScheduleModel.Build(edition, context, "schedule.xml");
        var settings = new XmlWriterSettings
        {
            Encoding = new UTF8Encoding(false),
            Indent = true,
            IndentChars = "  ",
            NewLineChars = "\n",
            NewLineHandling = NewLineHandling.Replace,
        };
        using var stream = new MemoryStream();
        using (var w = XmlWriter.Create(stream, settings))
        {
            w.WriteStartDocument();
            w.WriteStartElement("schedule");

            w.WriteStartElement("generator");
            w.WriteAttributeString("name", "SeriesPlatform");
            w.WriteAttributeString("system", context.BaseUrl.Host);
            w.WriteEndElement();
            w.WriteElementString("url", m.ScheduleUrl);
            w.WriteElementString("version", m.Version);

            w.WriteStartElement("conference");
            w.WriteElementString("acronym", m.Acronym);
            w.WriteElementString("title", m.Title);
            w.WriteElementString("start", ExportText.IsoDate(m.Start));
            w.WriteElementString("end", ExportText.IsoDate(m.End));
            w.WriteElementString("days", m.Days.Count.ToString(CultureInfo.InvariantCulture));
            w.WriteElementString("timeslot_duration", ExportText.Duration(m.TimeslotMinutes));
            w.WriteElementString("base_url", m.BaseUrl);
            w.WriteElementString("url", m.ConferenceUrl);
            w.WriteElementString("time_zone_name", m.TimeZone);
            w.WriteEndElement();

            if (m.EditionCancelled)
                w.WriteComment(" This edition is cancelled: none of its agenda items is exported. ");
            if (m.DaysArePlaceholder)
                w.WriteComment(" The edition has no dates yet: the single day below is a placeholder (the format requires one). ");
            if (m.Untimed.Count > 0)
                w.WriteComment(string.Create(CultureInfo.InvariantCulture,
                    $" Not exported: {m.Untimed.Count} agenda item(s) without a start time yet ({string.Join(", ", m.Untimed.Select(g => g.ToString("D")))}). "));

            foreach (var day in m.Days)
            {
                w.WriteStartElement("day");
                w.WriteAttributeString("index", day.Index.ToString(CultureInfo.InvariantCulture));
                w.WriteAttributeString("date", ExportText.IsoDate(day.Date));
                w.WriteAttributeString("start", ExportText.IsoOffset(day.Start));
                w.WriteAttributeString("end", ExportText.IsoOffset(day.End));
                foreach (var room in day.Rooms)
                {
                    w.WriteStartElement("room");
                    w.WriteAttributeString("name", room.Name);
                    w.WriteAttributeString("guid", room.Guid.ToString("D"));
                    foreach (var e in room.Events) WriteEvent(w, m, e);
                    w.WriteEndElement();
                }
                w.WriteEndElement();
            }

            w.WriteEndElement();
            w.WriteEndDocument();
        }
        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    private static void WriteEvent(XmlWriter w, ScheduleModel m, ExportEvent e)
    {
        w.WriteStartElement("event");
        w.WriteAttributeString("guid", e.Id.ToString("D"));
        w.WriteAttributeString("id", e.NumericId.ToString(CultureInfo.InvariantCulture));
        w.WriteElementString("room", e.Room);
        w.WriteElementString("title", e.Title);
        w.WriteElementString("type", e.Type);
        w.WriteElementString("date", ExportText.IsoOffset(e.Start));
        w.WriteElementString("start", e.Start.ToString("HH:mm", CultureInfo.InvariantCulture));
        w.WriteElementString("duration", ExportText.Duration(e.DurationMinutes));
        w.WriteElementString("abstract", e.Abstract ?? "");
        w.WriteElementString("slug", m.Slug(e));
        w.WriteElementString("track", "");
        w.WriteStartElement("persons");
        foreach (var s in e.Speakers) w.WriteElementString("person", s.Name);
        w.WriteEndElement();
        var speakers = string.Join("\n", e.SpeakerLines);
        if (speakers.Length > 0) w.WriteElementString("description", speakers);
        w.WriteStartElement("links");
        if (e.SignupUrl is { } signup && IsHttpUrl(signup))
        {
            w.WriteStartElement("link");
            w.WriteAttributeString("href", signup);
            w.WriteAttributeString("type", "web");
            w.WriteString("Poster sign-up");
            w.WriteEndElement();
        }
        w.WriteEndElement();
        w.WriteElementString("url", m.EventUrl(e));
        w.WriteEndElement();
    }

    internal static bool IsHttpUrl(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);
}
