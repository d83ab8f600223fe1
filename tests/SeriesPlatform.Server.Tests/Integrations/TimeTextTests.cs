using System.Text;
using System.Text.Json;
using SeriesPlatform.Server.Feed;

namespace SeriesPlatform.Server.Tests.Integrations;

/// <summary>The feed copies time text that is in the serializer's own form: it must be exactly what parsing and formatting again would give.</summary>
public sealed class TimeTextTests
{
    private static string Written<T>(T value) => JsonSerializer.Serialize(value).Trim('"');

    private static IEnumerable<DateTimeOffset> Instants()
    {
        var random = new Random(42);
        var offsets = new[] { TimeSpan.Zero, TimeSpan.FromHours(9), TimeSpan.FromHours(-5), new TimeSpan(5, 30, 0), new TimeSpan(-3, -30, 0), TimeSpan.FromHours(14) };
        for (var i = 0; i < 2000; i++)
        {
            var ticks = new DateTime(2000, 1, 1).Ticks + (long)(random.NextDouble() * TimeSpan.FromDays(365 * 40).Ticks);
            // Whole seconds, milliseconds, and full tick precision: the fraction is trimmed differently.
            ticks -= (i % 3) switch { 0 => ticks % TimeSpan.TicksPerSecond, 1 => ticks % TimeSpan.TicksPerMillisecond, _ => 0 };
            yield return new DateTimeOffset(ticks, offsets[i % offsets.Length]);
        }
    }

    [Fact]
    public void What_the_serializer_writes_is_recognized_so_the_feed_copies_it()
    {
        foreach (var instant in Instants())
        {
            Assert.True(TimeText.IsCanonicalInstant(Encoding.UTF8.GetBytes(Written(instant))), Written(instant));
            Assert.True(TimeText.IsCanonicalLocal(Encoding.UTF8.GetBytes(Written(instant.DateTime))), Written(instant.DateTime));
            Assert.True(TimeText.IsDate(Encoding.UTF8.GetBytes(Written(DateOnly.FromDateTime(instant.DateTime)))));
        }
    }

    [Theory]
    [InlineData("2022-12-03T14:00:00+00:00", true)]
    [InlineData("2022-12-03T14:00:00.5+05:30", true)]
    [InlineData("2022-12-03T14:00:00.1234567-03:30", true)]
    [InlineData("2022-12-03T14:00:00Z", false)]            // the serializer writes +00:00
    [InlineData("2022-12-03T14:00:00-00:00", false)]       // ... and never -00:00
    [InlineData("2022-12-03T14:00:00.50+00:00", false)]    // trailing zero
    [InlineData("2022-12-03T14:00:00.0+00:00", false)]     // zero fraction
    [InlineData("2022-12-03T14:00:00.12345678+00:00", false)]
    [InlineData("2022-12-03T24:00:00+00:00", false)]
    [InlineData("2022-02-30T10:00:00+00:00", false)]
    [InlineData("2022-12-03T14:00:00+15:00", false)]
    [InlineData("2022-12-03T14:00+00:00", false)]
    [InlineData("2022-12-03 14:00:00+00:00", false)]
    [InlineData("0001-01-01T00:00:00+01:00", false)]       // out of range once the offset applies: the parser decides
    public void Only_the_serializers_own_form_is_copied(string text, bool canonical)
    {
        Assert.Equal(canonical, TimeText.IsCanonicalInstant(Encoding.UTF8.GetBytes(text)));
        if (canonical) Assert.Equal(text, Written(DateTimeOffset.Parse(text, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Theory]
    [InlineData("2022-12-03T09:15:00", true)]
    [InlineData("2022-12-03T09:15:00.123", true)]
    [InlineData("2022-12-03T09:15:00Z", false)]
    [InlineData("2022-12-03T09:15:00.120", false)]
    [InlineData("2022-12-03T09:15", false)]
    [InlineData("2022-13-03T09:15:00", false)]
    public void Local_times_too(string text, bool canonical)
    {
        Assert.Equal(canonical, TimeText.IsCanonicalLocal(Encoding.UTF8.GetBytes(text)));
        if (canonical) Assert.Equal(text, Written(JsonSerializer.Deserialize<DateTime>($"\"{text}\"")));
    }
}
