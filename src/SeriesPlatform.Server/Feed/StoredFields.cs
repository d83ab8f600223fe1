using System.Buffers.Text;
using System.Text.Json;

namespace SeriesPlatform.Server.Feed;

/// <summary>
/// The top-level fields of one stored event's JSON, located but not converted: the feed copies
/// the few it publishes straight into the CloudEvent it writes, instead of deserializing the whole
/// internal event and serializing a public record again. jsonb stores keys in its own order, so
/// fields are found by name. Values are read the way System.Text.Json reads them, and written the
/// way it writes them, so the output is byte for byte what the serializer would produce.
/// One instance per reader (it reuses its arrays); not thread-safe.
/// </summary>
public sealed class StoredFields
{
    private readonly record struct Field(int NameStart, int NameLength, JsonTokenType Token, int Start, int Length, bool Escaped);

    private byte[] _json = [];
    private Field[] _fields = new Field[32];
    private int _count;

    /// <summary>Locates the fields of <paramref name="json"/> (a JSON object; nested values are skipped whole).</summary>
    public void Parse(byte[] json) => Parse(json, 0, json.Length);

    /// <summary>Locates the fields of the JSON object at <paramref name="start"/> in <paramref name="json"/> (an object nested in another).</summary>
    public void Parse(byte[] json, int start, int length)
    {
        _json = json;
        _count = 0;
        var reader = new Utf8JsonReader(json.AsSpan(start, length));
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) throw new JsonException("Stored event data is not a JSON object.");
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var nameStart = start + (int)reader.TokenStartIndex + 1;
            var nameLength = reader.ValueSpan.Length;
            reader.Read();
            var valueStart = (int)reader.TokenStartIndex;
            var token = reader.TokenType;
            var escaped = reader.ValueIsEscaped;
            if (token is JsonTokenType.StartObject or JsonTokenType.StartArray) reader.Skip();
            var valueLength = (int)reader.BytesConsumed - valueStart;
            if (_count == _fields.Length) Array.Resize(ref _fields, _fields.Length * 2);
            _fields[_count++] = new Field(nameStart, nameLength, token, start + valueStart, valueLength, escaped);
        }
    }

    private int Find(ReadOnlySpan<byte> name)
    {
        for (var i = 0; i < _count; i++)
        {
            var f = _fields[i];
            if (f.NameLength == name.Length && _json.AsSpan(f.NameStart, f.NameLength).SequenceEqual(name)) return i;
        }
        return -1;
    }

    private bool TryGet(ReadOnlySpan<byte> name, out Field field)
    {
        var i = Find(name);
        field = i >= 0 ? _fields[i] : default;
        return i >= 0 && field.Token != JsonTokenType.Null;
    }

    /// <summary>A reader positioned on the field's value (for conversions that must match System.Text.Json exactly).</summary>
    private Utf8JsonReader ValueReader(in Field field)
    {
        var reader = new Utf8JsonReader(_json.AsSpan(field.Start, field.Length));
        reader.Read();
        return reader;
    }

    private ReadOnlySpan<byte> StringContent(in Field field) => _json.AsSpan(field.Start + 1, field.Length - 2);

    public bool IsNull(ReadOnlySpan<byte> name) => !TryGet(name, out _);

    public string? String(ReadOnlySpan<byte> name) => TryGet(name, out var f) ? ValueReader(f).GetString() : null;

    public Guid Guid(ReadOnlySpan<byte> name)
    {
        if (!TryGet(name, out var f)) return default;
        // The serializer's own format ("D"); anything else goes through its reader (and its errors).
        if (!f.Escaped && f.Token == JsonTokenType.String && Utf8Parser.TryParse(StringContent(f), out Guid id, out var used, 'D') && used == f.Length - 2) return id;
        return ValueReader(f).GetGuid();
    }

    /// <summary>Writes a string field as is (escaped as the writer escapes), or null.</summary>
    public void WriteString(Utf8JsonWriter writer, JsonEncodedText property, ReadOnlySpan<byte> name)
    {
        if (!TryGet(name, out var f)) writer.WriteNull(property);
        else if (f.Token == JsonTokenType.String && !f.Escaped) writer.WriteString(property, StringContent(f));
        else writer.WriteString(property, ValueReader(f).GetString());
    }

    public void WriteGuid(Utf8JsonWriter writer, JsonEncodedText property, ReadOnlySpan<byte> name) => writer.WriteString(property, Guid(name));

    public void WriteNullableGuid(Utf8JsonWriter writer, JsonEncodedText property, ReadOnlySpan<byte> name)
    {
        if (IsNull(name)) writer.WriteNull(property);
        else writer.WriteString(property, Guid(name));
    }

    public void WriteInt(Utf8JsonWriter writer, JsonEncodedText property, ReadOnlySpan<byte> name)
    {
        if (!TryGet(name, out var f)) writer.WriteNull(property);
        else if (f.Token == JsonTokenType.Number && Utf8Parser.TryParse(_json.AsSpan(f.Start, f.Length), out int value, out var used) && used == f.Length)
            writer.WriteNumber(property, value);
        else writer.WriteNumber(property, ValueReader(f).GetInt32());
    }

    public void WriteBool(Utf8JsonWriter writer, JsonEncodedText property, ReadOnlySpan<byte> name) =>
        writer.WriteBoolean(property, TryGet(name, out var f) && ValueReader(f).GetBoolean());

    /// <summary>A DateOnly: the serializer reads and writes exactly <c>yyyy-MM-dd</c>, so a valid date is copied as it is.</summary>
    public void WriteDate(Utf8JsonWriter writer, JsonEncodedText property, ReadOnlySpan<byte> name, bool required = false)
    {
        if (!TryGet(name, out var f))
        {
            if (required) writer.WriteString(property, "0001-01-01"u8);
            else writer.WriteNull(property);
            return;
        }
        if (f.Token != JsonTokenType.String || f.Escaped || !TimeText.IsDate(StringContent(f)))
            throw new JsonException($"'{System.Text.Encoding.UTF8.GetString(_json, f.Start, f.Length)}' is not a date (yyyy-MM-dd).");
        writer.WriteString(property, StringContent(f));
    }

    /// <summary>
    /// A local wall-clock DateTime, as the serializer parses and formats it. Text already in the
    /// serializer's own form (what it stored) is copied; anything else is parsed and formatted.
    /// </summary>
    public void WriteLocal(Utf8JsonWriter writer, JsonEncodedText property, ReadOnlySpan<byte> name, bool required = false)
    {
        if (!TryGet(name, out var f))
        {
            if (required) writer.WriteString(property, default(DateTime));
            else writer.WriteNull(property);
        }
        else if (f.Token == JsonTokenType.String && !f.Escaped && TimeText.IsCanonicalLocal(StringContent(f))) WriteVerbatim(writer, property, f);
        else writer.WriteString(property, ValueReader(f).GetDateTime());
    }

    /// <summary>An instant (DateTimeOffset), as the serializer parses and formats it (copied when already in that form).</summary>
    public void WriteInstant(Utf8JsonWriter writer, JsonEncodedText property, ReadOnlySpan<byte> name, bool required = false)
    {
        if (!TryGet(name, out var f))
        {
            if (required) writer.WriteString(property, default(DateTimeOffset));
            else writer.WriteNull(property);
        }
        else if (f.Token == JsonTokenType.String && !f.Escaped && TimeText.IsCanonicalInstant(StringContent(f))) WriteVerbatim(writer, property, f);
        else writer.WriteString(property, ValueReader(f).GetDateTimeOffset());
    }

    /// <summary>
    /// The stored string token as it is, quotes included. For time text only: the serializer writes
    /// its own formatted times unescaped ('+' stays '+'), where WriteString would escape the '+'.
    /// </summary>
    private void WriteVerbatim(Utf8JsonWriter writer, JsonEncodedText property, in Field f)
    {
        writer.WritePropertyName(property);
        writer.WriteRawValue(_json.AsSpan(f.Start, f.Length), skipInputValidation: true);
    }

    /// <summary>An internal enum value (camelCase) under its public spelling: known names only, anything else "other".</summary>
    public void WriteEnum(Utf8JsonWriter writer, JsonEncodedText property, ReadOnlySpan<byte> name, ReadOnlySpan<JsonEncodedText> publicNames)
    {
        if (TryGet(name, out var f) && f.Token == JsonTokenType.String && !f.Escaped)
            foreach (var known in publicNames)
                if (known.EncodedUtf8Bytes.SequenceEqual(StringContent(f))) { writer.WriteString(property, known); return; }
        writer.WriteString(property, PublicNames.Other);
    }

    /// <summary>A list of people (speakers) as the public agenda shows them: name, affiliation, ORCID (never a bio).</summary>
    public void WritePeople(Utf8JsonWriter writer, JsonEncodedText property, ReadOnlySpan<byte> name, bool nullWhenMissing)
    {
        if (!TryGet(name, out var f))
        {
            if (nullWhenMissing) writer.WriteNull(property);
            else { writer.WriteStartArray(property); writer.WriteEndArray(); }
            return;
        }
        var slice = _json.AsSpan(f.Start, f.Length);
        var reader = new Utf8JsonReader(slice);
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartArray) throw new JsonException($"'{property}' is not a list.");
        writer.WriteStartArray(property);
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType == JsonTokenType.Null) { writer.WriteNullValue(); continue; }
            writer.WriteStartObject();
            WriteObjectFields(writer, slice, ref reader, PersonFields, PersonProperties);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
    }

    /// <summary>
    /// A list of objects (or null when missing), each written by <paramref name="writeItem"/> from its
    /// own located fields: for nested shapes with more than strings (agenda changes).
    /// </summary>
    public void WriteObjects(Utf8JsonWriter writer, JsonEncodedText property, ReadOnlySpan<byte> name, Action<Utf8JsonWriter, StoredFields> writeItem)
    {
        if (!TryGet(name, out var f)) { writer.WriteNull(property); return; }
        var reader = new Utf8JsonReader(_json.AsSpan(f.Start, f.Length));
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartArray) throw new JsonException($"'{property}' is not a list.");
        var item = _item ??= new StoredFields();
        writer.WriteStartArray(property);
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType == JsonTokenType.Null) { writer.WriteNullValue(); continue; }
            var start = (int)reader.TokenStartIndex;
            reader.Skip();
            item.Parse(_json, f.Start + start, (int)reader.BytesConsumed - start);
            writer.WriteStartObject();
            writeItem(writer, item);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
    }

    private StoredFields? _item;

    /// <summary>Links (label and URL), or null when missing.</summary>
    public void WriteLinks(Utf8JsonWriter writer, JsonEncodedText property, ReadOnlySpan<byte> name)
    {
        if (!TryGet(name, out var f)) { writer.WriteNull(property); return; }
        var slice = _json.AsSpan(f.Start, f.Length);
        var reader = new Utf8JsonReader(slice);
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartArray) throw new JsonException($"'{property}' is not a list.");
        writer.WriteStartArray(property);
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            writer.WriteStartObject();
            WriteObjectFields(writer, slice, ref reader, LinkFields, LinkProperties);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
    }

    /// <summary>One person (a facilitator), or null: name, affiliation and ORCID only.</summary>
    public void WritePerson(Utf8JsonWriter writer, JsonEncodedText property, ReadOnlySpan<byte> name) =>
        WriteObject(writer, property, name, PersonFields, PersonProperties);

    /// <summary>A venue, or null: name, city, country.</summary>
    public void WriteVenue(Utf8JsonWriter writer, JsonEncodedText property, ReadOnlySpan<byte> name) =>
        WriteObject(writer, property, name, VenueFields, VenueProperties);

    private static readonly byte[][] PersonFields = ["name"u8.ToArray(), "affiliation"u8.ToArray(), "orcid"u8.ToArray()];
    private static readonly JsonEncodedText[] PersonProperties = [PublicNames.Name, PublicNames.Affiliation, PublicNames.Orcid];
    private static readonly byte[][] LinkFields = ["label"u8.ToArray(), "url"u8.ToArray()];
    private static readonly JsonEncodedText[] LinkProperties = [PublicNames.Label, PublicNames.Url];
    private static readonly byte[][] VenueFields = ["name"u8.ToArray(), "city"u8.ToArray(), "country"u8.ToArray()];
    private static readonly JsonEncodedText[] VenueProperties = [PublicNames.Name, PublicNames.City, PublicNames.Country];

    private void WriteObject(Utf8JsonWriter writer, JsonEncodedText property, ReadOnlySpan<byte> name, byte[][] fields, JsonEncodedText[] properties)
    {
        if (!TryGet(name, out var f)) { writer.WriteNull(property); return; }
        var slice = _json.AsSpan(f.Start, f.Length);
        var reader = new Utf8JsonReader(slice);
        reader.Read();
        writer.WriteStartObject(property);
        WriteObjectFields(writer, slice, ref reader, fields, properties);
        writer.WriteEndObject();
    }

    /// <summary>
    /// From the object the reader is on, writes the string fields named <paramref name="fields"/> (in
    /// that order, null when missing) as <paramref name="properties"/>; every other field is dropped.
    /// </summary>
    private static void WriteObjectFields(Utf8JsonWriter writer, ReadOnlySpan<byte> slice, ref Utf8JsonReader reader, byte[][] fields,
        JsonEncodedText[] properties)
    {
        if (reader.TokenType != JsonTokenType.StartObject) throw new JsonException("Expected a JSON object.");
        Span<Field> found = stackalloc Field[fields.Length];
        found.Clear();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var which = -1;
            for (var i = 0; i < fields.Length && which < 0; i++)
                if (reader.ValueTextEquals(fields[i])) which = i;
            reader.Read();
            if (which >= 0 && reader.TokenType is not (JsonTokenType.StartObject or JsonTokenType.StartArray))
                found[which] = new Field(0, 0, reader.TokenType, (int)reader.TokenStartIndex, reader.ValueSpan.Length + (reader.TokenType == JsonTokenType.String ? 2 : 0), reader.ValueIsEscaped);
            else reader.Skip();
        }
        for (var i = 0; i < fields.Length; i++)
        {
            var f = found[i];
            if (f.Token is JsonTokenType.None or JsonTokenType.Null) writer.WriteNull(properties[i]);
            else if (f.Token == JsonTokenType.String && !f.Escaped) writer.WriteString(properties[i], slice.Slice(f.Start + 1, f.Length - 2));
            else
            {
                var value = new Utf8JsonReader(slice.Slice(f.Start, f.Length));
                value.Read();
                writer.WriteString(properties[i], value.GetString());
            }
        }
    }
}
