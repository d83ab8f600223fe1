using System.Text.Json;
using SeriesPlatform.Server.Feed;

namespace SeriesPlatform.Server.Tests.Integrations;

public sealed class PageBufferTests
{
    [Fact]
    public void A_page_that_outgrows_its_first_buffer_keeps_every_byte_written_before()
    {
        using var buffer = new PageBuffer(1024);
        using var writer = new Utf8JsonWriter(buffer);
        buffer.Write((byte)'[');
        for (var i = 0; i < 5000; i++)
        {
            if (i > 0) buffer.Write((byte)',');
            writer.WriteStartObject();
            writer.WriteNumber("n", i);
            writer.WriteString("text", new string('x', i % 300));
            writer.WriteEndObject();
            writer.Flush();
            writer.Reset();
        }
        buffer.Write((byte)']');

        using var parsed = JsonDocument.Parse(buffer.WrittenMemory);
        Assert.Equal(Enumerable.Range(0, 5000), parsed.RootElement.EnumerateArray().Select(e => e.GetProperty("n").GetInt32()));
        Assert.All(parsed.RootElement.EnumerateArray(), e => Assert.Equal(e.GetProperty("n").GetInt32() % 300, e.GetProperty("text").GetString()!.Length));
    }
}
