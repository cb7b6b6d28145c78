using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Ingestion.Emulator.Tests.Infrastructure;

namespace Ingestion.Emulator.Tests;

public sealed class LargeFileUploadTests
{
    private static async Task<(TestEmulator Emulator, string Dataset, string Batch)> BatchAsync(string? dataDirectory = null)
    {
        var emulator = await TestEmulator.StartAsync(dataDirectory);
        var dataset = await emulator.CreateDatasetAsync();
        var batch = await emulator.CreateBatchAsync(dataset);
        return (emulator, dataset, batch);
    }

    /// <summary>JSON Lines of about <paramref name="approximateBytes"/> bytes, so a completed batch can be processed.</summary>
    private static byte[] JsonLines(int approximateBytes)
    {
        var text = new StringBuilder();
        for (var i = 0; text.Length < approximateBytes; i++)
        {
            text.Append("{\"_id\":\"p").Append(i).Append("\"}\n");
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }

    private static Task<HttpResponseMessage> InitializeAsync(TestEmulator emulator, string batch, string dataset, string name) =>
        emulator.SendAsync(HttpMethod.Post, TestEmulator.FilePath(batch, dataset, name) + "?action=INITIALIZE");

    private static Task<HttpResponseMessage> CompleteFileAsync(TestEmulator emulator, string batch, string dataset, string name) =>
        emulator.SendAsync(HttpMethod.Post, TestEmulator.FilePath(batch, dataset, name) + "?action=COMPLETE");

    private static Task<HttpResponseMessage> HeadAsync(TestEmulator emulator, string batch, string dataset, string name) =>
        emulator.SendAsync(HttpMethod.Head, TestEmulator.FilePath(batch, dataset, name));

    /// <summary>PATCHes <c>data[start..end]</c> (inclusive) with <c>Content-Range: bytes start-end[/total]</c>.</summary>
    private static Task<HttpResponseMessage> PatchAsync(
        TestEmulator emulator, string batch, string dataset, string name, byte[] data, long start, long end, bool withTotal = true)
    {
        var body = new ByteArrayContent(data, (int)start, (int)(end - start + 1));
        body.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        body.Headers.TryAddWithoutValidation("Content-Range", withTotal ? $"bytes {start}-{end}/{data.Length}" : $"bytes {start}-{end}");
        return emulator.SendAsync(HttpMethod.Patch, TestEmulator.FilePath(batch, dataset, name), body);
    }

    private static async Task PatchOkAsync(TestEmulator emulator, string batch, string dataset, string name, byte[] data, long start, long end, bool withTotal = true)
    {
        using var response = await PatchAsync(emulator, batch, dataset, name, data, start, end, withTotal);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"PATCH {start}-{end} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : null;

    private static string StoredFile(TestEmulator emulator, string batch, string dataset, string name) =>
        Path.Combine([emulator.DataDirectory, "batches", batch, "files", dataset, .. name.Split('/')]);

    [Fact]
    public async Task Chunks_sent_out_of_order_and_in_parallel_make_the_file_byte_for_byte()
    {
        var (emulator, dataset, batch) = await BatchAsync();
        await using var _ = emulator;
        var data = JsonLines(300_000);
        const int chunk = 40_000;

        using (var init = await InitializeAsync(emulator, batch, dataset, "big/profiles.json"))
        {
            Assert.Equal(HttpStatusCode.Created, init.StatusCode);
            Assert.Equal(string.Empty, await init.Content.ReadAsStringAsync());
        }

        var chunks = Enumerable.Range(0, (data.Length + chunk - 1) / chunk)
            .Select(i => (Start: (long)i * chunk, End: Math.Min((long)(i + 1) * chunk, data.Length) - 1))
            .Reverse()
            .ToList();
        await Task.WhenAll(chunks.Select(c => PatchOkAsync(emulator, batch, dataset, "big/profiles.json", data, c.Start, c.End)));

        using (var head = await HeadAsync(emulator, batch, dataset, "big/profiles.json"))
        {
            Assert.Equal(HttpStatusCode.OK, head.StatusCode);
            Assert.Equal($"bytes 0-{data.Length - 1}", Header(head, "Range"));
            Assert.Equal($"0-{data.Length - 1}", Header(head, "x-emulator-received-ranges"));
        }

        using (var complete = await CompleteFileAsync(emulator, batch, dataset, "big/profiles.json"))
        {
            Assert.Equal(HttpStatusCode.Created, complete.StatusCode);
            Assert.Equal($$"""{"name":"big/profiles.json","sizeInBytes":{{data.Length}}}""", await complete.Content.ReadAsStringAsync());
        }

        var stored = await File.ReadAllBytesAsync(StoredFile(emulator, batch, dataset, "big/profiles.json"));
        Assert.Equal(Convert.ToHexString(SHA256.HashData(data)), Convert.ToHexString(SHA256.HashData(stored)));

        Assert.Equal(HttpStatusCode.OK, (await emulator.SignalAsync(batch, "COMPLETE")).Status);
        var final = await emulator.WaitForFinalAsync(batch);
        Assert.Equal("active", (string)final["status"]!);
        Assert.Equal(Encoding.UTF8.GetString(data).Count(c => c == '\n'), (int)final["recordCount"]!);
    }

    [Fact]
    public async Task Each_PATCH_answers_the_contiguous_prefix_and_every_received_range()
    {
        var (emulator, dataset, batch) = await BatchAsync();
        await using var _ = emulator;
        var data = RandomNumberGenerator.GetBytes(1000);
        (await InitializeAsync(emulator, batch, dataset, "f.bin")).Dispose();

        using (var later = await PatchAsync(emulator, batch, dataset, "f.bin", data, 500, 699, withTotal: false))
        {
            Assert.Equal(HttpStatusCode.OK, later.StatusCode);
            Assert.Null(Header(later, "Range"));
            Assert.Equal("500-699", Header(later, "x-emulator-received-ranges"));
        }

        using (var first = await PatchAsync(emulator, batch, dataset, "f.bin", data, 0, 99))
        {
            Assert.Equal("bytes 0-99", Header(first, "Range"));
            Assert.Equal("0-99,500-699", Header(first, "x-emulator-received-ranges"));
        }

        using (var adjacent = await PatchAsync(emulator, batch, dataset, "f.bin", data, 100, 499))
        {
            Assert.Equal("bytes 0-699", Header(adjacent, "Range"));
            Assert.Equal("0-699", Header(adjacent, "x-emulator-received-ranges"));
        }
    }

    [Fact]
    public async Task A_gap_is_refused_at_COMPLETE_naming_the_missing_bytes_and_can_then_be_filled()
    {
        var (emulator, dataset, batch) = await BatchAsync();
        await using var _ = emulator;
        var data = RandomNumberGenerator.GetBytes(300);
        (await InitializeAsync(emulator, batch, dataset, "f.bin")).Dispose();
        await PatchOkAsync(emulator, batch, dataset, "f.bin", data, 0, 99);
        await PatchOkAsync(emulator, batch, dataset, "f.bin", data, 200, 299);

        using (var refused = await CompleteFileAsync(emulator, batch, dataset, "f.bin"))
        {
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Contains("missing bytes 100-199", await refused.Content.ReadAsStringAsync());
        }

        await PatchOkAsync(emulator, batch, dataset, "f.bin", data, 100, 199);
        using var completed = await CompleteFileAsync(emulator, batch, dataset, "f.bin");
        Assert.Equal(HttpStatusCode.Created, completed.StatusCode);
        Assert.Equal(data, await File.ReadAllBytesAsync(StoredFile(emulator, batch, dataset, "f.bin")));
    }

    [Fact]
    public async Task A_missing_tail_of_the_declared_total_is_refused_at_COMPLETE()
    {
        var (emulator, dataset, batch) = await BatchAsync();
        await using var _ = emulator;
        var data = RandomNumberGenerator.GetBytes(300);
        (await InitializeAsync(emulator, batch, dataset, "f.bin")).Dispose();
        await PatchOkAsync(emulator, batch, dataset, "f.bin", data, 0, 199);

        using var refused = await CompleteFileAsync(emulator, batch, dataset, "f.bin");
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("missing bytes 200-299 of the 300 declared", await refused.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Overlapping_chunks_are_accepted_by_PATCH_and_refused_at_COMPLETE_with_the_range_named()
    {
        var (emulator, dataset, batch) = await BatchAsync();
        await using var _ = emulator;
        var data = RandomNumberGenerator.GetBytes(300);
        (await InitializeAsync(emulator, batch, dataset, "f.bin")).Dispose();
        await PatchOkAsync(emulator, batch, dataset, "f.bin", data, 0, 149);
        await PatchOkAsync(emulator, batch, dataset, "f.bin", data, 100, 299);

        using var refused = await CompleteFileAsync(emulator, batch, dataset, "f.bin");
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var text = await refused.Content.ReadAsStringAsync();
        Assert.Contains("bytes 100-299 overlap bytes 0-149", text);
        Assert.Contains("bytes 100-149 were sent twice", text);
    }

    [Fact]
    public async Task The_same_chunk_sent_twice_is_one_chunk_and_the_file_completes()
    {
        var (emulator, dataset, batch) = await BatchAsync();
        await using var _ = emulator;
        var data = RandomNumberGenerator.GetBytes(300);
        (await InitializeAsync(emulator, batch, dataset, "f.bin")).Dispose();
        await PatchOkAsync(emulator, batch, dataset, "f.bin", data, 0, 149);
        await PatchOkAsync(emulator, batch, dataset, "f.bin", data, 0, 149);
        await PatchOkAsync(emulator, batch, dataset, "f.bin", data, 150, 299);

        using var completed = await CompleteFileAsync(emulator, batch, dataset, "f.bin");

        Assert.Equal(HttpStatusCode.Created, completed.StatusCode);
    }

    [Fact]
    public async Task A_chunk_over_512000000_bytes_is_refused_with_413_before_its_body_is_sent()
    {
        var (emulator, dataset, batch) = await BatchAsync();
        await using var _ = emulator;
        (await InitializeAsync(emulator, batch, dataset, "huge.bin")).Dispose();
        var token = await emulator.GetTokenAsync();

        var response = await RawHttp.SendHeadOnlyAsync(emulator.Endpoint, "PATCH", "/" + TestEmulator.FilePath(batch, dataset, "huge.bin"),
        [
            new("Authorization", "Bearer " + token),
            new("x-api-key", emulator.Host.Credentials.ClientId),
            new("x-gw-ims-org-id", emulator.Host.Credentials.OrganizationId),
            new("x-sandbox-name", emulator.Host.Credentials.Sandbox),
            new("Content-Type", "application/octet-stream"),
            new("Content-Range", "bytes 0-512000000"),
            new("Content-Length", "512000001"),
            new("Expect", "100-continue"),
        ]);

        Assert.Equal(413, response.Status);
        Assert.Contains("512000000", response.Body);
        Assert.DoesNotContain("100 Continue", response.Headers);
    }

    [Theory]
    [InlineData(null, "required")]
    [InlineData("bytes=0-9", "'bytes=0-9'")]
    [InlineData("bytes 9-0", "'bytes 9-0'")]
    [InlineData("bytes 0-9/5", "'bytes 0-9/5'")]
    [InlineData("bytes a-b", "'bytes a-b'")]
    public async Task A_missing_or_garbled_Content_Range_is_400_naming_the_header(string? contentRange, string expected)
    {
        var (emulator, dataset, batch) = await BatchAsync();
        await using var _ = emulator;
        (await InitializeAsync(emulator, batch, dataset, "f.bin")).Dispose();

        var body = new ByteArrayContent(new byte[10]);
        body.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        if (contentRange is not null)
        {
            body.Headers.TryAddWithoutValidation("Content-Range", contentRange);
        }

        using var response = await emulator.SendAsync(HttpMethod.Patch, TestEmulator.FilePath(batch, dataset, "f.bin"), body);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        Assert.Contains("Content-Range", text);
        Assert.Contains(expected, text);
    }

    [Fact]
    public async Task A_body_whose_length_differs_from_the_range_is_400()
    {
        var (emulator, dataset, batch) = await BatchAsync();
        await using var _ = emulator;
        (await InitializeAsync(emulator, batch, dataset, "f.bin")).Dispose();

        var body = new ByteArrayContent(new byte[10]);
        body.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        body.Headers.TryAddWithoutValidation("Content-Range", "bytes 0-19");
        using var response = await emulator.SendAsync(HttpMethod.Patch, TestEmulator.FilePath(batch, dataset, "f.bin"), body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("covers 20 bytes", await response.Content.ReadAsStringAsync());
        using var head = await HeadAsync(emulator, batch, dataset, "f.bin");
        Assert.Equal("none", Header(head, "x-emulator-received-ranges"));
    }

    [Fact]
    public async Task PATCH_and_HEAD_of_a_file_never_initialized_are_404()
    {
        var (emulator, dataset, batch) = await BatchAsync();
        await using var _ = emulator;

        using var patch = await PatchAsync(emulator, batch, dataset, "nope.bin", new byte[10], 0, 9);
        Assert.Equal(HttpStatusCode.NotFound, patch.StatusCode);
        Assert.Contains("INITIALIZE", await patch.Content.ReadAsStringAsync());

        using var head = await HeadAsync(emulator, batch, dataset, "nope.bin");
        Assert.Equal(HttpStatusCode.NotFound, head.StatusCode);

        using var complete = await CompleteFileAsync(emulator, batch, dataset, "nope.bin");
        Assert.Equal(HttpStatusCode.NotFound, complete.StatusCode);
    }

    [Fact]
    public async Task PATCH_after_COMPLETE_is_refused_as_already_completed_and_HEAD_reports_the_whole_file()
    {
        var (emulator, dataset, batch) = await BatchAsync();
        await using var _ = emulator;
        var data = RandomNumberGenerator.GetBytes(64);
        (await InitializeAsync(emulator, batch, dataset, "f.bin")).Dispose();
        await PatchOkAsync(emulator, batch, dataset, "f.bin", data, 0, 63);
        Assert.Equal(HttpStatusCode.Created, (await CompleteFileAsync(emulator, batch, dataset, "f.bin")).StatusCode);

        using var patch = await PatchAsync(emulator, batch, dataset, "f.bin", data, 0, 63);
        Assert.Equal(HttpStatusCode.BadRequest, patch.StatusCode);
        Assert.Contains("already completed", await patch.Content.ReadAsStringAsync());

        using var again = await CompleteFileAsync(emulator, batch, dataset, "f.bin");
        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
        Assert.Contains("already completed", await again.Content.ReadAsStringAsync());

        using var head = await HeadAsync(emulator, batch, dataset, "f.bin");
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal("bytes 0-63", Header(head, "Range"));
    }

    [Fact]
    public async Task INITIALIZE_again_on_a_file_in_progress_is_200_and_keeps_its_chunks()
    {
        var (emulator, dataset, batch) = await BatchAsync();
        await using var _ = emulator;
        var data = RandomNumberGenerator.GetBytes(100);
        Assert.Equal(HttpStatusCode.Created, (await InitializeAsync(emulator, batch, dataset, "f.bin")).StatusCode);
        await PatchOkAsync(emulator, batch, dataset, "f.bin", data, 0, 49);

        Assert.Equal(HttpStatusCode.OK, (await InitializeAsync(emulator, batch, dataset, "f.bin")).StatusCode);
        using var head = await HeadAsync(emulator, batch, dataset, "f.bin");
        Assert.Equal("bytes 0-49", Header(head, "Range"));
    }

    [Fact]
    public async Task A_restart_between_chunks_keeps_the_received_ranges()
    {
        using var directory = new TempDirectory();
        var data = RandomNumberGenerator.GetBytes(5000);
        string dataset, batch;
        var (first, d, b) = await BatchAsync(directory.Path);
        (dataset, batch) = (d, b);
        await using (first)
        {
            (await InitializeAsync(first, batch, dataset, "part=1/f.bin")).Dispose();
            await PatchOkAsync(first, batch, dataset, "part=1/f.bin", data, 0, 1999);
            await PatchOkAsync(first, batch, dataset, "part=1/f.bin", data, 3000, 4999);
        }

        await using var second = await TestEmulator.StartAsync(directory.Path);
        using (var head = await HeadAsync(second, batch, dataset, "part=1/f.bin"))
        {
            Assert.Equal(HttpStatusCode.OK, head.StatusCode);
            Assert.Equal("bytes 0-1999", Header(head, "Range"));
            Assert.Equal("0-1999,3000-4999", Header(head, "x-emulator-received-ranges"));
        }

        await PatchOkAsync(second, batch, dataset, "part=1/f.bin", data, 2000, 2999);
        Assert.Equal(HttpStatusCode.Created, (await CompleteFileAsync(second, batch, dataset, "part=1/f.bin")).StatusCode);
        Assert.Equal(data, await File.ReadAllBytesAsync(StoredFile(second, batch, dataset, "part=1/f.bin")));
    }

    [Fact]
    public async Task Batch_COMPLETE_with_a_large_file_in_progress_is_refused_naming_it()
    {
        var (emulator, dataset, batch) = await BatchAsync();
        await using var _ = emulator;
        await emulator.UploadOkAsync(batch, dataset, "small.json", """{"_id":"p1"}""");
        (await InitializeAsync(emulator, batch, dataset, "unfinished.json")).Dispose();

        var (status, body) = await emulator.SignalAsync(batch, "COMPLETE");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("large file 'unfinished.json' is still being uploaded", (string)body!["detail"]!);
        Assert.Equal("loading", (string)(await emulator.GetBatchAsync(batch))["status"]!);

        var data = Encoding.UTF8.GetBytes("""{"_id":"p2"}""" + "\n");
        await PatchOkAsync(emulator, batch, dataset, "unfinished.json", data, 0, data.Length - 1);
        Assert.Equal(HttpStatusCode.Created, (await CompleteFileAsync(emulator, batch, dataset, "unfinished.json")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await emulator.SignalAsync(batch, "COMPLETE")).Status);
        Assert.Equal(2, (int)(await emulator.WaitForFinalAsync(batch))["recordCount"]!);
    }

    /// <summary>0 bytes: INITIALIZE then COMPLETE with no chunk (a PATCH cannot carry 0 bytes) is an empty file, as a PUT of an empty body is.</summary>
    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 1)]
    [InlineData(2, 1)]
    [InlineData(1000, 1000)]
    [InlineData(1001, 1000)]
    [InlineData(2999, 1000)]
    [InlineData(3000, 1000)]
    public async Task Sizes_around_chunk_boundaries_are_stored_exactly(int size, int chunk)
    {
        var (emulator, dataset, batch) = await BatchAsync();
        await using var _ = emulator;
        var data = RandomNumberGenerator.GetBytes(size);
        (await InitializeAsync(emulator, batch, dataset, "f.bin")).Dispose();
        for (var start = 0; start < size; start += chunk)
        {
            await PatchOkAsync(emulator, batch, dataset, "f.bin", data, start, Math.Min(start + chunk, size) - 1);
        }

        using var complete = await CompleteFileAsync(emulator, batch, dataset, "f.bin");
        Assert.Equal(HttpStatusCode.Created, complete.StatusCode);
        Assert.Equal(size, (long)JsonNode.Parse(await complete.Content.ReadAsStringAsync())!["sizeInBytes"]!);
        Assert.Equal(data, await File.ReadAllBytesAsync(StoredFile(emulator, batch, dataset, "f.bin")));
    }

    [Fact]
    public async Task Large_file_steps_respect_the_batch_state_and_dataset()
    {
        var (emulator, dataset, batch) = await BatchAsync();
        await using var _ = emulator;
        var other = await emulator.CreateDatasetAsync();

        using (var mismatch = await InitializeAsync(emulator, batch, other, "f.bin"))
        {
            Assert.Equal(HttpStatusCode.BadRequest, mismatch.StatusCode);
        }

        using (var badPath = await InitializeAsync(emulator, batch, dataset, "a//b.bin"))
        {
            Assert.Equal(HttpStatusCode.BadRequest, badPath.StatusCode);
        }

        (await InitializeAsync(emulator, batch, dataset, "f.bin")).Dispose();
        Assert.Equal(HttpStatusCode.OK, (await emulator.SignalAsync(batch, "ABORT")).Status);

        using var patch = await PatchAsync(emulator, batch, dataset, "f.bin", new byte[4], 0, 3);
        Assert.Equal(HttpStatusCode.BadRequest, patch.StatusCode);
        Assert.Contains("loading", await patch.Content.ReadAsStringAsync());
        using var init = await InitializeAsync(emulator, batch, dataset, "g.bin");
        Assert.Equal(HttpStatusCode.BadRequest, init.StatusCode);
    }

    [Fact]
    public async Task Large_file_steps_pass_the_gateway_checks()
    {
        var (emulator, dataset, batch) = await BatchAsync();
        await using var _ = emulator;

        using var response = await emulator.Http.PostAsync(TestEmulator.FilePath(batch, dataset, "f.bin") + "?action=INITIALIZE", null);
        Assert.True(response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden, $"answered {(int)response.StatusCode}");
    }
}
