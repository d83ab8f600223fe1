using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace SeriesPlatform.EventStore;

/// <summary>
/// Maps stable event type names to CLR records. The log stores the name and a schema version,
/// never a CLR type name, so classes can be renamed freely; older shapes are brought up to date
/// by upcasters when read.
/// </summary>
public sealed class EventTypeRegistry
{
    private readonly Dictionary<string, Registration> _byName = new(StringComparer.Ordinal);
    private readonly Dictionary<Type, Registration> _byType = new();
    private readonly Dictionary<(string Name, int From), Func<JsonObject, JsonObject>> _upcasters = new();

    public EventTypeRegistry(JsonSerializerOptions? options = null)
    {
        Json = options ?? DefaultJsonOptions();
    }

    public JsonSerializerOptions Json { get; }

    public static JsonSerializerOptions DefaultJsonOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        };
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
        return options;
    }

    public EventTypeRegistry Register<T>(string name, int schemaVersion = 1) => Register(typeof(T), name, schemaVersion);

    public EventTypeRegistry Register(Type type, string name, int schemaVersion = 1)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentOutOfRangeException.ThrowIfLessThan(schemaVersion, 1);
        if (_byName.ContainsKey(name)) throw new InvalidOperationException($"Event type '{name}' is registered twice.");
        var registration = new Registration(name, type, schemaVersion);
        _byName[name] = registration;
        _byType[type] = registration;
        return this;
    }

    /// <summary>Turns the JSON of <paramref name="name"/> at schema version <paramref name="fromVersion"/> into version fromVersion + 1.</summary>
    public EventTypeRegistry Upcast(string name, int fromVersion, Func<JsonObject, JsonObject> upcast)
    {
        _upcasters[(name, fromVersion)] = upcast;
        return this;
    }

    public (string Name, int SchemaVersion) NameOf(Type type) =>
        _byType.TryGetValue(type, out var r)
            ? (r.Name, r.SchemaVersion)
            : throw new InvalidOperationException($"{type.Name} is not a registered event type.");

    public bool IsKnown(string name) => _byName.ContainsKey(name);

    public Type? TypeOf(string name) => _byName.TryGetValue(name, out var r) ? r.Type : null;

    public string Serialize(object data) => JsonSerializer.Serialize(data, data.GetType(), Json);

    /// <summary>The event as UTF-8 JSON, as the driver sends it (no UTF-16 string in between).</summary>
    public byte[] SerializeToUtf8(object data) => JsonSerializer.SerializeToUtf8Bytes(data, data.GetType(), Json);

    /// <summary>Reads stored JSON as the current CLR type, upcasting older schema versions; unknown types stay JSON.</summary>
    public object Deserialize(string name, int schemaVersion, string json) => Deserialize(name, schemaVersion, Encoding.UTF8.GetBytes(json));

    /// <summary>The same from UTF-8, as the driver reads it.</summary>
    public object Deserialize(string name, int schemaVersion, byte[] json)
    {
        if (!_byName.TryGetValue(name, out var registration))
            return JsonDocument.Parse(json).RootElement.Clone();
        if (schemaVersion < registration.SchemaVersion)
        {
            var node = JsonNode.Parse(json)!.AsObject();
            for (var v = schemaVersion; v < registration.SchemaVersion; v++)
            {
                if (!_upcasters.TryGetValue((name, v), out var upcast))
                    throw new InvalidOperationException($"No upcaster for '{name}' from schema version {v}.");
                node = upcast(node);
            }
            return node.Deserialize(registration.Type, Json)!;
        }
        return JsonSerializer.Deserialize(json, registration.Type, Json)!;
    }

    /// <summary>
    /// The stored JSON of <paramref name="name"/> in the current schema version: as is when it already
    /// is (or the type is unknown), otherwise upcast, for readers that work on the JSON itself.
    /// </summary>
    public byte[] ToCurrentJson(string name, int schemaVersion, byte[] json)
    {
        if (!_byName.TryGetValue(name, out var registration) || schemaVersion >= registration.SchemaVersion) return json;
        var node = JsonNode.Parse(json)!.AsObject();
        for (var v = schemaVersion; v < registration.SchemaVersion; v++)
        {
            if (!_upcasters.TryGetValue((name, v), out var upcast))
                throw new InvalidOperationException($"No upcaster for '{name}' from schema version {v}.");
            node = upcast(node);
        }
        return JsonSerializer.SerializeToUtf8Bytes(node, Json);
    }

    private sealed record Registration(string Name, Type Type, int SchemaVersion);
}
