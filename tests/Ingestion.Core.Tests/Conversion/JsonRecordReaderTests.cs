using System.Text;
using Ingestion.Core.Conversion;
using Ingestion.Core.Errors;

namespace Ingestion.Core.Tests.Conversion;

public class JsonRecordReaderTests
{
    private static List<Dictionary<string, object?>> ReadAll(string text, JsonLayout layout = JsonLayout.Auto, int maxRecordBytes = 1 << 20)
    {
        using var reader = new JsonRecordReader(new MemoryStream(Encoding.UTF8.GetBytes(text)), "test.json", layout, maxRecordBytes);
        var records = new List<Dictionary<string, object?>>();
        while (reader.Read(out var record))
        {
            records.Add(record);
        }

        return records;
    }

    [Fact]
    public void Reads_json_lines_with_typed_values()
    {
        var records = ReadAll("""
            {"id":1,"name":"a","score":1.5,"ok":true,"none":null}
            {"id":9223372036854775807,"big":18446744073709551616,"tags":["x","y"],"nested":{"k":[1,{"z":false}]}}
            """);

        Assert.Equal(2, records.Count);
        Assert.Equal(1L, records[0]["id"]);
        Assert.Equal("a", records[0]["name"]);
        Assert.Equal(1.5, records[0]["score"]);
        Assert.Equal(true, records[0]["ok"]);
        Assert.Null(records[0]["none"]);
        Assert.True(records[0].ContainsKey("none"));
        Assert.Equal(long.MaxValue, records[1]["id"]);
        Assert.IsType<double>(records[1]["big"]);
        Assert.Equal(new List<object?> { "x", "y" }, records[1]["tags"]);
        var nested = Assert.IsType<Dictionary<string, object?>>(records[1]["nested"]);
        var k = Assert.IsType<List<object?>>(nested["k"]);
        Assert.Equal(1L, k[0]);
        Assert.Equal(false, Assert.IsType<Dictionary<string, object?>>(k[1])["z"]);
    }

    [Fact]
    public void Reads_a_pretty_printed_array_and_reports_each_records_line()
    {
        using var reader = new JsonRecordReader(File.OpenRead(Support.Samples.Profiles), Support.Samples.Profiles);
        var lines = new List<long>();
        while (reader.Read(out var record))
        {
            Assert.StartsWith("profile-", (string)record["_id"]!);
            lines.Add(reader.Line);
        }

        Assert.Equal(JsonLayout.Array, reader.Layout);
        Assert.Equal(14, lines.Count);
        Assert.Equal(2, lines[0]);
        Assert.True(lines.SequenceEqual(lines.Order()) && lines.Distinct().Count() == 14);
    }

    [Fact]
    public void A_large_array_streams_through_a_small_buffer()
    {
        var text = "[" + string.Join(",\n", Enumerable.Range(0, 5000).Select(i => $$"""{"i":{{i}},"pad":"{{new string('p', 50)}}"}""")) + "]";

        var records = ReadAll(text, JsonLayout.Array, maxRecordBytes: 4096);

        Assert.Equal(5000, records.Count);
        Assert.Equal(4999L, records[^1]["i"]);
    }

    [Fact]
    public void An_empty_array_and_an_empty_file_have_no_records()
    {
        Assert.Empty(ReadAll("[ ]"));
        Assert.Empty(ReadAll(""));
        Assert.Empty(ReadAll("\n\n"));
    }

    [Fact]
    public void An_array_where_lines_are_required_says_how_to_fix_it()
    {
        var ex = Assert.Throws<IngestionException>(() => ReadAll("""[{"a":1}]""", JsonLayout.Lines));

        Assert.Equal(IngestErrorKind.InvalidData, ex.Kind);
        Assert.Contains("-MultiLineJson", ex.Message);
    }

    [Theory]
    [InlineData("{\"a\":1}\n{\"a\":}\n", "line 2", "not valid JSON")]
    [InlineData("{\"a\":1}\n{\"a\":\n", "line 3", "not valid JSON")]
    [InlineData("[{\"a\":1}{\"a\":2}]", "line 1", "',' or ']'")]
    [InlineData("[{\"a\":1},\n{\"a\":2}", "line 2", "closing ']'")]
    [InlineData("[{\"a\":1}] x", "line 1", "after the array")]
    [InlineData("{\"a\":1}\n42\n", "line 2", "not an object")]
    [InlineData("this is not json", "line 1", "not valid JSON")]
    public void Malformed_json_names_the_line(string text, string where, string what)
    {
        var ex = Assert.Throws<IngestionException>(() => ReadAll(text));

        Assert.Contains(where, ex.Message);
        Assert.Contains(what, ex.Message);
        Assert.Equal("test.json", ex.Target);
    }

    [Fact]
    public void A_record_over_the_limit_is_refused()
    {
        var text = $$"""{"a":"{{new string('x', 10_000)}}"}""";

        var ex = Assert.Throws<IngestionException>(() => ReadAll(text, maxRecordBytes: 4096));

        Assert.Contains("longer than", ex.Message);
    }
}
