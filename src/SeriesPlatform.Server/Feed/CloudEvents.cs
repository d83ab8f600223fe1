using System.Text.Json;
using SeriesPlatform.EventStore;
using N = SeriesPlatform.Server.Feed.PublicNames;

namespace SeriesPlatform.Server.Feed;

/// <summary>
/// Writes public events as CloudEvents 1.0 (JSON format). <c>cursor</c> is an extension attribute:
/// the position to resume after this event. The id is the event id, so consumers dedupe on it.
/// </summary>
public static class CloudEvents
{
    public const string BatchContentType = "application/cloudevents-batch+json";
    public const string ContentType = "application/cloudevents+json";

    /// <summary>The envelope of <paramref name="e"/> and its public data (located in <paramref name="data"/>), as one JSON object.</summary>
    public static void Write(Utf8JsonWriter writer, in StoredEvent e, PublicEventMapper.Rule rule, StoredFields data, in EventScope scope)
    {
        writer.WriteStartObject();
        writer.WriteString(N.SpecVersion, N.SpecVersion10);
        writer.WriteString(N.Id, e.EventId);
        writer.WriteString(N.Source, scope.Info.Source);
        writer.WriteString(N.Type, rule.TypeText);
        WriteSubject(writer, rule, data, scope);
        writer.WriteString(N.Time, e.RecordedAt.ToUniversalTime());
        writer.WriteString(N.DataContentType, N.ApplicationJson);
        Span<byte> cursor = stackalloc byte[34];
        writer.WriteString(N.Cursor, cursor[..FormatCursor(e.Cursor, cursor)]);
        writer.WritePropertyName(N.Data);
        writer.WriteStartObject();
        rule.WriteData(writer, data, scope);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    /// <summary>
    /// <c>series/{slug}</c>, <c>people/{id}</c>, <c>editions/{id}</c> or <c>editions/{id}/{kind}/{itemId}</c>,
    /// formatted without allocating.
    /// </summary>
    private static void WriteSubject(Utf8JsonWriter writer, PublicEventMapper.Rule rule, StoredFields data, in EventScope scope)
    {
        Span<byte> subject = stackalloc byte[128];
        if (rule.Stream == PublicEventMapper.StreamKind.People)
        {
            var at = Append(subject, 0, "people/"u8);
            data.Guid(rule.ItemIdField).TryFormat(subject[at..], out var used);
            writer.WriteString(N.Subject, subject[..(at + used)]);
            return;
        }
        if (scope.EditionId is not { } edition)
        {
            writer.WriteString(N.Subject, "series/" + scope.Info.Series);
            return;
        }
        var length = Append(subject, 0, "editions/"u8);
        edition.TryFormat(subject[length..], out var written);
        length += written;
        if (rule.ItemKind is { } kind)
        {
            subject[length++] = (byte)'/';
            length += System.Text.Encoding.ASCII.GetBytes(kind, subject[length..]);
            subject[length++] = (byte)'/';
            data.Guid(rule.ItemIdField).TryFormat(subject[length..], out written);
            length += written;
        }
        writer.WriteString(N.Subject, subject[..length]);
    }

    private static int Append(Span<byte> target, int at, ReadOnlySpan<byte> text)
    {
        text.CopyTo(target[at..]);
        return at + text.Length;
    }

    /// <summary>The cursor's text (as GlobalCursor.ToString: hex tx id, dash, hex position) in UTF-8.</summary>
    private static int FormatCursor(GlobalCursor cursor, Span<byte> target)
    {
        cursor.TxId.TryFormat(target, out var length, "x", System.Globalization.CultureInfo.InvariantCulture);
        target[length++] = (byte)'-';
        cursor.Position.TryFormat(target[length..], out var written, "x", System.Globalization.CultureInfo.InvariantCulture);
        return length + written;
    }
}
