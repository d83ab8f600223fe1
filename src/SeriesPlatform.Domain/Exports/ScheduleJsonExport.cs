using System.Globalization;
using System.Text;
using System.Text.Json;

namespace SeriesPlatform.Domain.Exports;

/// <summary>
/// schedule.json in the frab/pretalx "voc schedule" format (specs/voc-schedule/schema.json).
/// Written with <see cref="Utf8JsonWriter"/> and its default encoder, which also escapes HTML-significant
/// characters (<c>&lt; &gt; &amp; '</c>), so user text stays inert even if a page embeds the document.
/// Items without a start time are not exported (the format has no place for them).
/// </summary>
public static class ScheduleJsonExport
{
    public const string SchemaUrl = "https://c3voc.de/schedule/schema.json";

    public static string Render(EditionState edition, ExportContext context)
    {
        ArgumentNullException.ThrowIfNull(edition);
        ArgumentNullException.ThrowIfNull(context);
        var m = ScheduleModel.Build(edition, context, "schedule.json");
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("$schema", SchemaUrl);
            w.WriteStartObject("generator");
            w.WriteString("name", "SeriesPlatform");
            w.WriteString("url", context.Root + "/");
            w.WriteEndObject();

            w.WriteStartObject("schedule");
            w.WriteString("version", m.Version);
            w.WriteString("base_url", m.BaseUrl);
            w.WriteStartObject("conference");
            w.WriteString("acronym", m.Acronym);
            w.WriteString("title", m.Title);
            w.WriteString("start", ExportText.IsoDate(m.Start));
            w.WriteString("end", ExportText.IsoDate(m.End));
            w.WriteNumber("daysCount", m.Days.Count);
            w.WriteString("timeslot_duration", ExportText.Duration(m.TimeslotMinutes));
            // The schema's own pattern only admits Area/City or UTC; other IANA names (Etc/GMT+5) are left out.
            if (m.TimeZoneFitsJsonSchema) w.WriteString("time_zone_name", m.TimeZone);
            w.WriteString("url", m.ConferenceUrl);
            w.WriteStartArray("rooms");
            foreach (var (name, guid) in m.Rooms)
            {
                w.WriteStartObject();
                w.WriteString("name", name);
                w.WriteString("guid", guid.ToString("D"));
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartArray("days");
            foreach (var day in m.Days)
            {
                w.WriteStartObject();
                w.WriteNumber("index", day.Index);
                w.WriteString("date", ExportText.IsoDate(day.Date));
                w.WriteString("day_start", ExportText.IsoOffset(day.Start));
                w.WriteString("day_end", ExportText.IsoOffset(day.End));
                w.WriteStartObject("rooms");
                foreach (var room in day.Rooms)
                {
                    w.WriteStartArray(room.Name);
                    foreach (var e in room.Events) WriteEvent(w, m, e);
                    w.WriteEndArray();
                }
                w.WriteEndObject();
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    private static void WriteEvent(Utf8JsonWriter w, ScheduleModel m, ExportEvent e)
    {
        w.WriteStartObject();
        w.WriteString("guid", e.Id.ToString("D"));
        w.WriteNumber("id", e.NumericId);
        w.WriteString("date", ExportText.IsoOffset(e.Start));
        w.WriteString("start", e.Start.ToString("HH:mm", CultureInfo.InvariantCulture));
        w.WriteString("end", ExportText.IsoOffset(e.End ?? e.Start));
        w.WriteString("duration", ExportText.Duration(e.DurationMinutes));
        w.WriteString("room", e.Room);
        w.WriteString("slug", m.Slug(e));
        w.WriteString("url", m.EventUrl(e));
        w.WriteString("title", e.Title);
        w.WriteNull("subtitle");
        w.WriteNull("track");
        w.WriteString("type", e.Type);
        w.WriteNull("language");
        if (e.Abstract is { } a) w.WriteString("abstract", a); else w.WriteNull("abstract");
        var speakers = string.Join("\n", e.SpeakerLines);
        if (speakers.Length > 0) w.WriteString("description", speakers); else w.WriteNull("description");
        w.WriteStartArray("persons");
        foreach (var s in e.Speakers)
        {
            // The pretalx person shape (name): the schema's oneOf rejects a person that is both frab and pretalx.
            w.WriteStartObject();
            w.WriteString("name", s.Name);
            if (s.Bio is { } bio) w.WriteString("biography", bio);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteStartArray("links");
        if (e.SignupUrl is { } signup && ScheduleXmlExport.IsHttpUrl(signup))
        {
            w.WriteStartObject();
            w.WriteString("url", signup);
            w.WriteString("title", "Poster sign-up");
            w.WriteString("type", "web");
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }
}
