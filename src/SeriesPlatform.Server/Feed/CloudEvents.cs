using System.Text.Json;

namespace SeriesPlatform.Server.Feed;

/// <summary>
/// Writes feed entries as CloudEvents 1.0 (JSON format). <c>cursor</c> is an extension attribute:
/// the position to resume after this event. The id is the event id, so consumers dedupe on it.
/// </summary>
public static class CloudEvents
{
    public const string BatchContentType = "application/cloudevents-batch+json";
    public const string ContentType = "application/cloudevents+json";

    /// <summary>The public data's JSON: camelCase, nulls kept so every field of a type is always present.</summary>
    public static JsonSerializerOptions Json => PublicJson.Default.Options;

    public static void Write(Utf8JsonWriter writer, FeedEntry entry)
    {
        writer.WriteStartObject();
        writer.WriteString("specversion", "1.0");
        writer.WriteString("id", entry.Id);
        writer.WriteString("source", $"/api/series/{entry.Event.Series}");
        writer.WriteString("type", entry.Event.Type);
        writer.WriteString("subject", entry.Event.Subject);
        writer.WriteString("time", entry.Time.ToUniversalTime());
        writer.WriteString("datacontenttype", "application/json");
        writer.WriteString("cursor", entry.Cursor.ToString());
        writer.WritePropertyName("data");
        JsonSerializer.Serialize(writer, entry.Event.Data, entry.Event.Data.GetType(), Json);
        writer.WriteEndObject();
    }

    public static byte[] ToUtf8(FeedEntry entry)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer)) Write(writer, entry);
        return buffer.WrittenSpan.ToArray();
    }
}
