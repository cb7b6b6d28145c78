using System.Text;
using Ingestion.Core.Conversion;

namespace Ingestion.Core.Tests.Conversion;

/// <summary>The UTF-8 value parsers behind CSV conversion and inference.</summary>
public class TextValuesTests
{
    private static byte[] U(string text) => Encoding.UTF8.GetBytes(text);

    [Theory]
    [InlineData("true", (int)TextClass.Boolean)]
    [InlineData("FALSE", (int)TextClass.Boolean)]
    [InlineData("0", (int)TextClass.Int64)]
    [InlineData("-42", (int)TextClass.Int64)]
    [InlineData("007", (int)TextClass.String)]
    [InlineData("+5", (int)TextClass.String)]
    [InlineData("9223372036854775808", (int)TextClass.String)]
    [InlineData("1.5", (int)TextClass.Double)]
    [InlineData("-0.25", (int)TextClass.Double)]
    [InlineData("1e3", (int)TextClass.Double)]
    [InlineData("00.5", (int)TextClass.String)]
    [InlineData("NaN", (int)TextClass.String)]
    [InlineData("2024-02-29", (int)TextClass.Date)]
    [InlineData("2024-1-5", (int)TextClass.Date)]
    [InlineData("2023-02-29", (int)TextClass.String)]
    [InlineData("2024-05-31T12:00:00Z", (int)TextClass.Timestamp)]
    [InlineData("2024-05-31 12:00:00.123+02:00", (int)TextClass.Timestamp)]
    [InlineData("2024-05-31T12:00", (int)TextClass.String)]
    [InlineData("2024-05-31T24:00:00Z", (int)TextClass.String)]
    [InlineData("", (int)TextClass.Empty)]
    [InlineData("hello", (int)TextClass.String)]
    public void Text_is_classified_narrowest_first(string text, int expected) =>
        Assert.Equal((TextClass)expected, TextValues.Classify(U(text)));

    [Fact]
    public void Json_strings_refine_only_to_dates_and_date_times() =>
        Assert.Equal([TextClass.String, TextClass.String, TextClass.Date], new[] { "12", "true", "2024-01-01" }.Select(s => TextValues.Classify(s, scalars: false)));

    [Theory]
    [InlineData("1970-01-01T00:00:00Z", true, 0L)]
    [InlineData("1970-01-01T01:00:00+01:00", true, 0L)]
    [InlineData("1970-01-01T00:00:00.0000019Z", true, 1L)]
    [InlineData("1969-12-31T23:59:59.5Z", true, -500_000L)]
    [InlineData("1970-01-02", false, 86_400_000_000L)]
    [InlineData("1970-01-01T00:00:01", false, 1_000_000L)]
    [InlineData("1500", false, 1_500_000L)]
    public void Timestamps_are_microseconds_in_utc(string text, bool strict, long micros)
    {
        Assert.True(TextValues.TryParseTimestamp(U(text), strict, out var parsed));
        Assert.Equal(micros, parsed);
    }

    [Theory]
    [InlineData("1970-01-02")]
    [InlineData("1970-01-01T00:00:01")]
    [InlineData("1500")]
    public void Strict_timestamps_need_a_time_and_a_zone(string text) =>
        Assert.False(TextValues.TryParseTimestamp(U(text), strict: true, out _));

    [Theory]
    [InlineData("1970-01-01", 0)]
    [InlineData("2000-03-01", 11017)]
    [InlineData("1969-12-31", -1)]
    [InlineData("0001-01-01", -719162)]
    public void Dates_are_days_since_the_epoch(string text, int days)
    {
        Assert.True(TextValues.TryParseDate(U(text), out var parsed));
        Assert.Equal(days, parsed);
        Assert.Equal(DateOnly.ParseExact(text, "yyyy-MM-dd"), TextValues.FromDays(parsed));
    }

    [Fact]
    public void A_date_time_string_gives_its_own_calendar_date_to_a_date_field()
    {
        Assert.True(TextValues.TryParseDateLenient(U("2024-05-31T23:30:00-05:00"), out var days));
        Assert.Equal(new DateOnly(2024, 5, 31), TextValues.FromDays(days));
    }
}
