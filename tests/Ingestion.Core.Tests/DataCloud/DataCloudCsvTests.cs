using System.Text;
using Ingestion.Core.DataCloud;
using Ingestion.Core.Errors;
using Ingestion.Core.Tests.Support;

namespace Ingestion.Core.Tests.DataCloud;

/// <summary>The CSV checks and the split at the upload limit, with the header repeated (and none for delete jobs).</summary>
public class DataCloudCsvTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task A_small_valid_file_is_sent_as_it_is()
    {
        using var temp = new TempDirectory();
        var path = temp.Write("a.csv", "id,name\n1,\"x, y\"\n");
        using var prepared = await DataCloudCsv.PrepareAsync(path, null, true, 1000, null, None);
        Assert.Equal([path], prepared.Parts);
    }

    [Theory]
    [InlineData("order_id;customer_id;amount,currency\n1;2;3,EUR\n", "';'")]
    [InlineData("a\tb\tc\n1\t2\t3\n", "'tab'")]
    [InlineData("a|b|c,d\n1|2|3,4\n", "'|'")]
    public async Task A_header_with_more_of_another_delimiter_than_commas_is_refused(string csv, string named)
    {
        using var temp = new TempDirectory();
        var path = temp.Write("semi.csv", csv);
        var ex = await Assert.ThrowsAsync<IngestionException>(() => DataCloudCsv.PrepareAsync(path, null, true, 1000, null, None));
        Assert.Equal(IngestErrorKind.InvalidData, ex.Kind);
        Assert.Contains(named, ex.Message);
    }

    [Fact]
    public async Task Delimiters_inside_quotes_do_not_count()
    {
        using var temp = new TempDirectory();
        var path = temp.Write("q.csv", "id,\"a;b;c\"\n1,x\n");
        using var prepared = await DataCloudCsv.PrepareAsync(path, null, true, 1000, null, None);
        Assert.Single(prepared.Parts);
    }

    [Theory]
    [InlineData("id,name,amount\n1;x;3\n")]
    [InlineData("id,name\n1,x,3\n2,y\n")]
    [InlineData("id,name\n\n1,\"x\n,y\",9")]
    public async Task A_first_data_row_without_the_headers_field_count_is_refused(string csv)
    {
        using var temp = new TempDirectory();
        var path = temp.Write("rows.csv", csv);
        var ex = await Assert.ThrowsAsync<IngestionException>(() => DataCloudCsv.PrepareAsync(path, null, true, 1000, null, None));
        Assert.Equal(IngestErrorKind.InvalidData, ex.Kind);
        Assert.Contains("first data row", ex.Message);
    }

    [Fact]
    public async Task A_first_data_row_with_a_quoted_newline_and_no_final_newline_passes()
    {
        using var temp = new TempDirectory();
        var path = temp.Write("ok.csv", "id,name\n1,\"x\n,y\"");
        using var prepared = await DataCloudCsv.PrepareAsync(path, null, true, 1000, null, None);
        Assert.Single(prepared.Parts);
    }

    [Fact]
    public async Task A_large_file_is_split_at_row_boundaries_with_the_header_in_every_part()
    {
        using var temp = new TempDirectory();
        var header = "id,comment\r\n";
        var rows = Enumerable.Range(0, 200).Select(i => i % 7 == 0 ? $"{i},\"multi\nline, \"\"quoted\"\"\"\r\n" : $"{i},plain text {i}\r\n").ToList();
        var path = temp.Write("big.csv", header + string.Concat(rows));
        const long limit = 256;
        var warnings = new List<string>();
        using var prepared = await DataCloudCsv.PrepareAsync(path, null, true, limit, new Progress(warnings.Add), None);

        Assert.True(prepared.Parts.Count > 5);
        var data = new StringBuilder();
        foreach (var part in prepared.Parts)
        {
            var bytes = await File.ReadAllBytesAsync(part);
            Assert.True(bytes.Length <= limit, $"{part} has {bytes.Length} bytes");
            var text = Encoding.UTF8.GetString(bytes);
            Assert.StartsWith(header, text);
            Assert.EndsWith("\r\n", text);
            data.Append(text[header.Length..]);
        }

        Assert.Equal(string.Concat(rows), data.ToString());
        Assert.Contains(warnings, w => w.Contains("parts", StringComparison.Ordinal));

        var folder = Path.GetDirectoryName(prepared.Parts[0])!;
        prepared.Dispose();
        Assert.False(Directory.Exists(folder));
    }

    [Fact]
    public async Task Delete_files_have_no_header_and_parts_get_none()
    {
        using var temp = new TempDirectory();
        var rows = string.Concat(Enumerable.Range(0, 50).Select(i => $"key-{i:D4},2026-01-01T00:00:00.000Z\n"));
        var path = temp.Write("delete.csv", rows);
        using var prepared = await DataCloudCsv.PrepareAsync(path, null, false, 200, null, None);
        Assert.True(prepared.Parts.Count > 1);
        Assert.Equal(rows, string.Concat(prepared.Parts.Select(File.ReadAllText)));
    }

    [Fact]
    public async Task The_150_MB_limit_is_one_constant()
    {
        Assert.Equal(150_000_000, DataCloudCsv.MaxUploadBytes);
        using var temp = new TempDirectory();
        var path = temp.Write("a.csv", "id\n1\n");
        using var prepared = await DataCloudCsv.PrepareAsync(path, null, true, DataCloudCsv.MaxUploadBytes, null, None);
        Assert.Single(prepared.Parts);
    }

    [Fact]
    public async Task Invalid_utf8_is_refused_naming_the_line_and_encoding_transcodes()
    {
        using var temp = new TempDirectory();
        var latin1 = Encoding.Latin1.GetBytes("id,name\n1,Müller\n2,Zoë\n");
        var path = temp.Write("latin1.csv", latin1);
        var ex = await Assert.ThrowsAsync<IngestionException>(() => DataCloudCsv.PrepareAsync(path, null, true, 1000, null, None));
        Assert.Equal(IngestErrorKind.InvalidData, ex.Kind);
        Assert.Contains("line 2", ex.Message);
        Assert.Contains("-Encoding", ex.RecommendedAction);

        using var prepared = await DataCloudCsv.PrepareAsync(path, DataCloudCsv.ResolveEncoding("latin1"), true, 1000, null, None);
        Assert.True(prepared.Transcoded);
        Assert.Equal("id,name\n1,Müller\n2,Zoë\n", await File.ReadAllTextAsync(Assert.Single(prepared.Parts)));
    }

    [Fact]
    public async Task A_bom_is_dropped()
    {
        using var temp = new TempDirectory();
        var path = temp.Write("bom.csv", [0xEF, 0xBB, 0xBF, .. "id\n1\n"u8.ToArray()]);
        using var prepared = await DataCloudCsv.PrepareAsync(path, null, true, 1000, null, None);
        Assert.Equal("id\n1\n"u8.ToArray(), await File.ReadAllBytesAsync(Assert.Single(prepared.Parts)));
    }

    [Theory]
    [InlineData("id;name\n1;x\n", "';'")]
    [InlineData("id\tname\n1\tx\n", "'tab'")]
    [InlineData("id,,name\n1,2,3\n", "column 2")]
    [InlineData("id,ID\n1,2\n", "twice")]
    [InlineData("id,name\n1,\"open\n", "never closed")]
    [InlineData("id,name\n", "no data rows")]
    [InlineData("", "empty")]
    public async Task Bad_files_are_refused_before_anything_is_sent(string text, string expected)
    {
        using var temp = new TempDirectory();
        var path = temp.Write("bad.csv", text);
        var ex = await Assert.ThrowsAsync<IngestionException>(() => DataCloudCsv.PrepareAsync(path, null, true, 1000, null, None));
        Assert.Equal(IngestErrorKind.InvalidData, ex.Kind);
        Assert.Contains(expected, ex.Message);
    }

    [Fact]
    public async Task A_row_larger_than_the_limit_is_refused()
    {
        using var temp = new TempDirectory();
        var path = temp.Write("wide.csv", "id,text\n1,short\n2," + new string('x', 300) + "\n");
        var ex = await Assert.ThrowsAsync<IngestionException>(() => DataCloudCsv.PrepareAsync(path, null, true, 100, null, None));
        Assert.Contains("line 3", ex.Message);
    }

    private sealed class Progress(Action<string> report) : IProgress<string>
    {
        public void Report(string value) => report(value);
    }
}
