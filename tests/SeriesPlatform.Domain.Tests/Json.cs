using System.Text.Json;
using System.Text.Json.Serialization;

namespace SeriesPlatform.Domain.Tests;

/// <summary>The serializer settings the server and the store use.</summary>
public static class Json
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    public static string Serialize(object value) => JsonSerializer.Serialize(value, value.GetType(), Options);

    public static string Serialize(IEnumerable<object> values) => string.Join("\n", values.Select(Serialize));

    public static T RoundTrip<T>(T value) where T : notnull =>
        (T)JsonSerializer.Deserialize(Serialize(value), value.GetType(), Options)!;
}
