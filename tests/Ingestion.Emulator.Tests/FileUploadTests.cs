using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Ingestion.Emulator.Tests.Infrastructure;

namespace Ingestion.Emulator.Tests;

public sealed class FileUploadTests
{
    private const string Line = """{"_id":"p1"}""";

    private static async Task<(TestEmulator Emulator, string Dataset, string Batch)> BatchAsync()
    {
        var emulator = await TestEmulator.StartAsync();
        var dataset = await emulator.CreateDatasetAsync();
        var batch = await emulator.CreateBatchAsync(dataset);
        return (emulator, dataset, batch);
    }

    private static async Task<List<KeyValuePair<string, string>>> HeadersAsync(TestEmulator emulator, string contentType = "application/octet-stream")
    {
        var token = await emulator.GetTokenAsync();
        return
        [
            new("Authorization", "Bearer " + token),
            new("x-api-key", emulator.Host.Credentials.ClientId),
            new("x-gw-ims-org-id", emulator.Host.Credentials.OrganizationId),
            new("x-sandbox-name", emulator.Host.Credentials.Sandbox),
            new("Content-Type", contentType),
        ];
    }

    [Fact]
    public async Task First_upload_is_201_and_a_replacement_is_200()
    {
        var (emulator, dataset, batch) = await BatchAsync();
        await using var _ = emulator;

        using var first = await emulator.UploadAsync(batch, dataset, "data.json", Encoding.UTF8.GetBytes(Line));
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal("""{"name":"data.json","sizeInBytes":12}""", await first.Content.ReadAsStringAsync());

        using var second = await emulator.UploadAsync(batch, dataset, "data.json", Encoding.UTF8.GetBytes(Line + "\n" + Line));
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal("""{"name":"data.json","sizeInBytes":25}""", await second.Content.ReadAsStringAsync());

        var stored = Path.Combine(emulator.DataDirectory, "batches", batch, "files", dataset, "data.json");
        Assert.Equal(Line + "\n" + Line, await File.ReadAllTextAsync(stored));
    }

    [Theory]
    [InlineData("with%20space.json", "with space.json")]
    [InlineData("%E6%97%A5%E6%9C%AC%E8%AA%9E/donn%C3%A9es.json", "日本語/données.json")]
    [InlineData("part1=a/part2=b/x.parquet", "part1=a/part2=b/x.parquet")]
    [InlineData("a+b(1)%5Bx%5D.json", "a+b(1)[x].json")]
    public async Task Names_with_spaces_unicode_and_folders_are_kept_as_given(string encoded, string name)
    {
        var (emulator, dataset, batch) = await BatchAsync();
        await using var _ = emulator;

        using var response = await emulator.UploadAsync(batch, dataset, encoded, Encoding.UTF8.GetBytes(Line));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(name, (string)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["name"]!);

        var stored = Path.Combine([emulator.DataDirectory, "batches", batch, "files", dataset, .. name.Split('/')]);
        Assert.True(File.Exists(stored), stored);
    }

    [Fact]
    public async Task Names_no_file_system_accepts_are_escaped_on_disk_but_reported_as_given()
    {
        var (emulator, dataset, batch) = await BatchAsync();
        await using var _ = emulator;

        using var response = await emulator.UploadAsync(batch, dataset, "a%3Ab%2Ac%3F%25.json", Encoding.UTF8.GetBytes(Line));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("a:b*c?%.json", (string)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["name"]!);
        Assert.True(File.Exists(Path.Combine(emulator.DataDirectory, "batches", batch, "files", dataset, "a%3Ab%2Ac%3F%25.json")));

        Assert.Equal(HttpStatusCode.OK, (await emulator.SignalAsync(batch, "COMPLETE")).Status);
        Assert.Equal("active", (string)(await emulator.WaitForFinalAsync(batch))["status"]!);
    }

    [Fact]
    public async Task Names_differing_only_in_case_are_two_files()
    {
        var (emulator, dataset, batch) = await BatchAsync();
        await using var _ = emulator;

        using (var upper = await emulator.UploadAsync(batch, dataset, "Data.json", Encoding.UTF8.GetBytes(Line)))
        using (var lower = await emulator.UploadAsync(batch, dataset, "data.json", Encoding.UTF8.GetBytes(Line + "\n" + Line)))
        {
            Assert.Equal(HttpStatusCode.Created, upper.StatusCode);
            Assert.Equal(HttpStatusCode.Created, lower.StatusCode);
        }

        Assert.Equal(HttpStatusCode.OK, (await emulator.SignalAsync(batch, "COMPLETE")).Status);
        var final = await emulator.WaitForFinalAsync(batch);
        Assert.Equal(3, (int)final["recordCount"]!);
        Assert.Equal(2, (int)final["metrics"]!["inputFileCount"]!);
    }

    [Fact]
    public async Task A_name_cannot_be_both_a_file_and_a_folder()
    {
        var (emulator, dataset, batch) = await BatchAsync();
        await using var _ = emulator;

        using var file = await emulator.UploadAsync(batch, dataset, "part", Encoding.UTF8.GetBytes(Line));
        using var nested = await emulator.UploadAsync(batch, dataset, "part/x.json", Encoding.UTF8.GetBytes(Line));

        Assert.Equal(HttpStatusCode.Created, file.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, nested.StatusCode);
        Assert.Contains("'part'", await nested.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("../escape.json", "'..'")]
    [InlineData("a/../../escape.json", "'..'")]
    [InlineData("%2E%2E/escape.json", "'..'")]
    [InlineData("./x.json", "'.'")]
    [InlineData("a/./x.json", "'.'")]
    [InlineData("a//x.json", "empty segment")]
    [InlineData("a/", "empty segment")]
    [InlineData("", "empty")]
    [InlineData("bad%01name.json", "control character U+0001")]
    [InlineData("tab%09name.json", "control character U+0009")]
    public async Task Unusable_paths_are_400_naming_the_problem(string encoded, string expected)
    {
        var (emulator, dataset, batch) = await BatchAsync();
        await using var _ = emulator;

        var response = await RawHttp.SendAsync(
            emulator.Endpoint, "PUT", "/" + TestEmulator.FilePath(batch, dataset, encoded), await HeadersAsync(emulator), Encoding.UTF8.GetBytes(Line));

        Assert.Equal(400, response.Status);
        Assert.Contains(expected, response.Body);
        Assert.Empty(FilesOf(emulator, batch));
    }

    [Fact]
    public async Task A_NUL_in_the_path_is_400()
    {
        var (emulator, dataset, batch) = await BatchAsync();
        await using var _ = emulator;

        // Kestrel itself refuses a decoded NUL in the request target, before the emulator sees the request.
        var response = await RawHttp.SendAsync(
            emulator.Endpoint, "PUT", "/" + TestEmulator.FilePath(batch, dataset, "bad%00name.json"), await HeadersAsync(emulator), Encoding.UTF8.GetBytes(Line));

        Assert.Equal(400, response.Status);
        Assert.Empty(FilesOf(emulator, batch));
    }

    [Fact]
    public async Task Paths_longer_than_1024_characters_are_400()
    {
        var (emulator, dataset, batch) = await BatchAsync();
        await using var _ = emulator;

        var name = string.Join('/', Enumerable.Repeat(new string('a', 100), 11));
        using var response = await emulator.UploadAsync(batch, dataset, name, Encoding.UTF8.GetBytes(Line));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("1024", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Long_single_names_are_stored_under_a_shortened_disk_name()
    {
        var (emulator, dataset, batch) = await BatchAsync();
        await using var _ = emulator;

        var name = new string('é', 300) + ".json";
        using var response = await emulator.UploadAsync(batch, dataset, Uri.EscapeDataString(name), Encoding.UTF8.GetBytes(Line));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(name, (string)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["name"]!);
        Assert.Equal(HttpStatusCode.OK, (await emulator.SignalAsync(batch, "COMPLETE")).Status);
        Assert.Equal("active", (string)(await emulator.WaitForFinalAsync(batch))["status"]!);
    }

    [Fact]
    public async Task Upload_to_an_unknown_batch_is_404()
    {
        var (emulator, dataset, _) = await BatchAsync();
        await using var __ = emulator;

        using var response = await emulator.UploadAsync("01JD5Z0000000000000000000X", dataset, "a.json", Encoding.UTF8.GetBytes(Line));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("01JD5Z0000000000000000000X", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Upload_under_another_dataset_is_400()
    {
        var (emulator, dataset, batch) = await BatchAsync();
        await using var _ = emulator;
        var other = await emulator.CreateDatasetAsync();

        using var response = await emulator.UploadAsync(batch, other, "a.json", Encoding.UTF8.GetBytes(Line));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var detail = await response.Content.ReadAsStringAsync();
        Assert.Contains(dataset, detail);
        Assert.Contains(other, detail);
    }

    [Fact]
    public async Task Upload_after_complete_is_400_naming_the_status()
    {
        await using var emulator = await TestEmulator.StartAsync(processingDelay: TimeSpan.FromHours(1));
        var dataset = await emulator.CreateDatasetAsync();
        var batch = await emulator.CreateBatchAsync(dataset);
        await emulator.UploadOkAsync(batch, dataset, "a.json", Line);
        await emulator.SignalAsync(batch, "COMPLETE");

        using var response = await emulator.UploadAsync(batch, dataset, "b.json", Encoding.UTF8.GetBytes(Line));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("staging", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_declared_size_over_256_MiB_is_refused_before_the_body_is_sent()
    {
        var (emulator, dataset, batch) = await BatchAsync();
        await using var _ = emulator;
        var headers = await HeadersAsync(emulator);
        headers.Add(new("Content-Length", "268435457"));
        headers.Add(new("Expect", "100-continue"));

        var response = await RawHttp.SendHeadOnlyAsync(emulator.Endpoint, "PUT", "/" + TestEmulator.FilePath(batch, dataset, "big.parquet"), headers);

        Assert.Equal(413, response.Status);
        Assert.DoesNotContain("100 Continue", response.Headers);
        Assert.Contains("268435456", response.Body);
    }

    [Fact]
    public async Task Exactly_256_MiB_declared_is_not_refused_up_front()
    {
        var (emulator, dataset, batch) = await BatchAsync();
        await using var _ = emulator;
        var headers = await HeadersAsync(emulator);
        headers.Add(new("Content-Length", "268435456"));
        headers.Add(new("Expect", "100-continue"));

        // The server asks for the body: the limit is inclusive.
        var response = await RawHttp.SendHeadOnlyAsync(emulator.Endpoint, "PUT", "/" + TestEmulator.FilePath(batch, dataset, "big.parquet"), headers);
        Assert.Equal(100, response.Status);
    }

    [Fact]
    public async Task A_streamed_body_without_length_is_cut_off_at_256_MiB_and_leaves_nothing_behind()
    {
        var (emulator, dataset, batch) = await BatchAsync();
        await using var _ = emulator;

        var content = new StreamContent(new PatternStream(268435456L + 1));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var request = await emulator.RequestAsync(HttpMethod.Put, TestEmulator.FilePath(batch, dataset, "big.json"), content);
        request.Headers.TransferEncodingChunked = true;

        HttpStatusCode? status = null;
        try
        {
            using var response = await emulator.Http.SendAsync(request);
            status = response.StatusCode;
        }
        catch (HttpRequestException)
        {
            // The server may close the connection while the client is still sending.
        }

        Assert.True(status is null or HttpStatusCode.RequestEntityTooLarge, $"got {status}");
        Assert.Empty(FilesOf(emulator, batch));
    }

    [Fact]
    public async Task An_aborted_upload_leaves_nothing_half_written()
    {
        var (emulator, dataset, batch) = await BatchAsync();
        await using var _ = emulator;
        var headers = await HeadersAsync(emulator);
        headers.Add(new("Content-Length", "100000"));

        await RawHttp.SendTruncatedAsync(emulator.Endpoint, "PUT", "/" + TestEmulator.FilePath(batch, dataset, "partial.json"), headers, new byte[1000]);
        await Task.Delay(300);

        Assert.False(File.Exists(Path.Combine(emulator.DataDirectory, "batches", batch, "files", dataset, "partial.json")));
        Assert.Empty(FilesOf(emulator, batch));

        // The batch is still usable.
        await emulator.UploadOkAsync(batch, dataset, "partial.json", Line);
    }

    /// <summary>Everything under the batch folder except its state file.</summary>
    private static List<string> FilesOf(TestEmulator emulator, string batch) =>
        Directory.EnumerateFiles(Path.Combine(emulator.DataDirectory, "batches", batch), "*", SearchOption.AllDirectories)
            .Where(f => !f.EndsWith("batch.json", StringComparison.Ordinal))
            .ToList();

    /// <summary>A long stream of bytes that exists only while it is read.</summary>
    private sealed class PatternStream(long length) : Stream
    {
        private long _position;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = (int)Math.Min(count, length - _position);
            buffer.AsSpan(offset, n).Fill((byte)'x');
            _position += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
