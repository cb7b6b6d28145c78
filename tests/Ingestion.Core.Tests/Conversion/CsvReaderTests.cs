using System.Text;
using Ingestion.Core.Conversion;
using Ingestion.Core.Errors;

namespace Ingestion.Core.Tests.Conversion;

public class CsvReaderTests
{
    private static List<string[]> ReadAll(string text, CsvOptions? options = null, Encoding? encoding = null) =>
        ReadAll((encoding ?? new UTF8Encoding(false)).GetBytes(text), options);

    private static List<string[]> ReadAll(byte[] bytes, CsvOptions? options = null, int chunk = int.MaxValue)
    {
        using var reader = new CsvReader(new TrickleStream(bytes, chunk), "test.csv", options);
        var records = new List<string[]>();
        while (reader.Read())
        {
            records.Add(reader.GetStrings());
        }

        return records;
    }

    [Theory]
    [InlineData("a,b\n1,2\n")]
    [InlineData("a,b\r\n1,2\r\n")]
    [InlineData("a,b\r1,2\r")]
    [InlineData("a,b\n1,2")]
    [InlineData("\uFEFFa,b\n1,2\n")]
    public void Reads_records_whatever_the_line_ending(string text)
    {
        var records = ReadAll(text);

        Assert.Equal(2, records.Count);
        Assert.Equal(["a", "b"], records[0]);
        Assert.Equal(["1", "2"], records[1]);
    }

    [Fact]
    public void Quoted_fields_hold_delimiters_line_breaks_and_doubled_quotes()
    {
        var records = ReadAll("id,text\n1,\"a, b\"\n2,\"line one\nline two\"\n3,\"say \"\"hi\"\"\"\n4,\"\"\n");

        Assert.Equal(["1", "a, b"], records[1]);
        Assert.Equal(["2", "line one\nline two"], records[2]);
        Assert.Equal(["3", "say \"hi\""], records[3]);
        Assert.Equal(["4", ""], records[4]);
    }

    [Fact]
    public void Line_numbers_count_line_breaks_inside_quotes()
    {
        using var reader = new CsvReader(new MemoryStream("h\n\"a\nb\nc\"\nnext\n"u8.ToArray()), "x.csv");
        Assert.True(reader.Read());
        Assert.Equal(1, reader.Line);
        Assert.True(reader.Read());
        Assert.Equal(2, reader.Line);
        Assert.True(reader.Read());
        Assert.Equal(5, reader.Line);
        Assert.Equal("next", reader.GetString(0));
        Assert.Equal(3, reader.Record);
        Assert.False(reader.Read());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(7)]
    public void Records_split_across_reads_parse_the_same(int chunk)
    {
        var text = "id,name,note\n1,\"Smith, Jr.\",\"x\"\"y\"\n2,plain,\"multi\r\nline\"\r\n3,,last";
        var expected = ReadAll(Encoding.UTF8.GetBytes(text));

        var trickled = ReadAll(Encoding.UTF8.GetBytes(text), chunk: chunk);

        Assert.Equal(expected, trickled);
        Assert.Equal(4, trickled.Count);
        Assert.Equal(["3", "", "last"], trickled[3]);
    }

    [Fact]
    public void Empty_fields_and_a_trailing_delimiter_are_kept()
    {
        var records = ReadAll("a,,c,\n,,,\n");

        Assert.Equal(["a", "", "c", ""], records[0]);
        Assert.Equal(["", "", "", ""], records[1]);
    }

    [Fact]
    public void A_record_larger_than_the_initial_buffer_is_read_whole()
    {
        var big = new string('x', 3 * 1024 * 1024);
        var records = ReadAll($"a,b\n\"{big}\",2\n");

        Assert.Equal(big, records[1][0]);
        Assert.Equal("2", records[1][1]);
    }

    [Fact]
    public void Another_delimiter_can_be_given()
    {
        var records = ReadAll("a;b\n\"1;x\";2\n", new CsvOptions { Delimiter = ';' });

        Assert.Equal(["1;x", "2"], records[1]);
    }

    [Fact]
    public void A_legacy_encoding_is_transcoded()
    {
        var latin1 = Encoding.Latin1;
        var records = ReadAll("name\nZürich\n", new CsvOptions { Encoding = latin1 }, latin1);

        Assert.Equal("Zürich", records[1][0]);
    }

    [Fact]
    public void Invalid_utf8_names_the_line_and_the_way_out()
    {
        var bytes = Encoding.Latin1.GetBytes("name\nok\nZürich\n");

        var ex = Assert.Throws<IngestionException>(() => ReadAll(bytes));

        Assert.Equal(IngestErrorKind.InvalidData, ex.Kind);
        Assert.Contains("line 3", ex.Message);
        Assert.Contains("-Encoding", ex.Message);
        Assert.Equal("test.csv", ex.Target);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(5)]
    public void Multibyte_characters_split_across_reads_are_valid(int chunk)
    {
        var records = ReadAll(Encoding.UTF8.GetBytes("city,note\nZürich,日本 😀\nSão Paulo,ok"), chunk: chunk);

        Assert.Equal(["Zürich", "日本 😀"], records[1]);
        Assert.Equal(["São Paulo", "ok"], records[2]);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(int.MaxValue)]
    public void An_invalid_byte_fails_the_record_that_holds_it_whatever_the_reads(int chunk)
    {
        var bytes = Encoding.UTF8.GetBytes("a\nok\nfine\nbad\nlater\n");
        bytes[Array.IndexOf(bytes, (byte)'b')] = 0xFF;
        using var reader = new CsvReader(new TrickleStream(bytes, chunk), "test.csv");
        Assert.True(reader.Read());
        Assert.True(reader.Read());
        Assert.True(reader.Read());

        var ex = Assert.Throws<IngestionException>(() => reader.Read());

        Assert.Contains("line 4", ex.Message);
    }

    [Fact]
    public void A_truncated_sequence_at_the_very_end_is_invalid()
    {
        var bytes = Encoding.UTF8.GetBytes("a\nZ\u00fc");
        var ex = Assert.Throws<IngestionException>(() => ReadAll(bytes[..^1]));

        Assert.Contains("line 2", ex.Message);
    }

    [Theory]
    [InlineData("a,b\n1,\"open\n2,3\n", "line 2", "never closed")]
    [InlineData("a,b\n1,x\"y\n", "line 2, field 2", "quote inside an unquoted field")]
    [InlineData("a,b\n1,\"x\"y\n", "line 2, field 2", "after the closing quote")]
    public void Malformed_quotes_name_line_and_field(string text, string where, string what)
    {
        var ex = Assert.Throws<IngestionException>(() => ReadAll(text));

        Assert.Contains(where, ex.Message);
        Assert.Contains(what, ex.Message);
    }

    [Fact]
    public void A_missing_closing_quote_does_not_buffer_the_whole_file()
    {
        var text = "a\n\"" + new string('x', 200_000);

        var ex = Assert.Throws<IngestionException>(() => ReadAll(text, new CsvOptions { MaxRecordBytes = 64 * 1024 }));

        Assert.Contains("longer than", ex.Message);
    }

    [Theory]
    [InlineData('"')]
    [InlineData('\n')]
    [InlineData('é')]
    public void Impossible_delimiters_are_refused(char delimiter)
    {
        var ex = Assert.Throws<IngestionException>(() => new CsvReader(new MemoryStream(), "x.csv", new CsvOptions { Delimiter = delimiter }));

        Assert.Equal(IngestErrorKind.InvalidArgument, ex.Kind);
    }

    [Fact]
    public void An_empty_file_has_no_records()
    {
        Assert.Empty(ReadAll(""));
        Assert.Empty(ReadAll("\uFEFF"));
    }

    [Fact]
    public void The_sample_file_reads_with_its_quoted_comma()
    {
        var path = Support.Samples.Loyalty;
        using var reader = new CsvReader(File.OpenRead(path), path);
        var rows = 0;
        string? quoted = null;
        while (reader.Read())
        {
            Assert.Equal(7, reader.FieldCount);
            rows++;
            if (reader.GetString(3).Contains(','))
            {
                quoted = reader.GetString(3);
            }
        }

        Assert.Equal(41, rows);
        Assert.Equal("Hopper, Jr.", quoted);
    }

    /// <summary>Hands out at most <c>chunk</c> bytes per read, as a network stream may.</summary>
    private sealed class TrickleStream(byte[] data, int chunk) : MemoryStream(data)
    {
        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, chunk));

        public override int Read(Span<byte> buffer) => base.Read(buffer[..Math.Min(buffer.Length, chunk)]);
    }
}
