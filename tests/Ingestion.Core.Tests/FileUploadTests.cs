using System.Security.Cryptography;
using Ingestion.Core.Aep;
using Ingestion.Core.Errors;
using Ingestion.Core.Models;
using Ingestion.Core.Tests.Support;

namespace Ingestion.Core.Tests;

public class FileUploadTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Theory]
    [InlineData("with space.json")]
    [InlineData("données été.json")]
    [InlineData("hash#1.json")]
    [InlineData("what?.json")]
    [InlineData("100%.json")]
    [InlineData("100%25.json")]
    [InlineData("a+b&c=d;e.json")]
    [InlineData("part1=a/part2=b/x.json")]
    [InlineData("日本/ファイル.json")]
    public async Task Remote_names_arrive_exactly_as_given(string remoteName)
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var session = await emulator.ConnectAsync();
        var dataset = await session.ProfileDatasetAsync();
        var batch = await session.NewBatchAsync(dataset.Id, multiLine: true);

        var result = await session.Batches.UploadFileAsync(batch.Id, dataset.Id, Samples.Profiles, remoteName, null, None);

        Assert.Equal(remoteName, result.RemoteName);
        var stored = Assert.Single(emulator.StoredFiles(batch.Id));
        Assert.Equal(remoteName, stored.Name);
        Assert.Equal(Sha256(Samples.Profiles), Sha256(stored.FullPath));
    }

    [Fact]
    public async Task Names_differing_only_in_escapes_stay_apart()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var session = await emulator.ConnectAsync();
        var dataset = await session.ProfileDatasetAsync();
        var batch = await session.NewBatchAsync(dataset.Id, multiLine: true);
        using var dir = new TempDirectory();
        var a = dir.Write("a.json", "[]");
        var b = dir.Write("b.json", "[{}]");

        await session.Batches.UploadFileAsync(batch.Id, dataset.Id, a, "x y.json", null, None);
        await session.Batches.UploadFileAsync(batch.Id, dataset.Id, b, "x%20y.json", null, None);

        var stored = emulator.StoredFiles(batch.Id).ToDictionary(f => f.Name);
        Assert.Equal(2, stored.Count);
        Assert.Equal("[]", File.ReadAllText(stored["x y.json"].FullPath));
        Assert.Equal("[{}]", File.ReadAllText(stored["x%20y.json"].FullPath));
    }

    [Fact]
    public async Task The_local_file_name_is_the_default_remote_name()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var session = await emulator.ConnectAsync();
        var dataset = await session.ProfileDatasetAsync();
        var batch = await session.NewBatchAsync(dataset.Id, multiLine: true);
        using var dir = new TempDirectory();
        var local = dir.Write("données été.json", File.ReadAllBytes(Samples.Profiles));

        var result = await session.UploadAsync(batch, local);

        Assert.Equal("données été.json", result.RemoteName);
        Assert.Equal("données été.json", Assert.Single(emulator.StoredFiles(batch.Id)).Name);
    }

    public static TheoryData<string> BadNames => new()
    {
        "",
        "..",
        ".",
        "../escape.json",
        "a/../b.json",
        "a/./b.json",
        "a//b.json",
        "/rooted.json",
        "folder/",
        "back\\slash.json",
        "bell\u0007.json",
        "new\nline.json",
        "nul\u0000.json",
        new string('n', 1025),
    };

    [Theory]
    [MemberData(nameof(BadNames), DisableDiscoveryEnumeration = true)]
    public async Task Bad_remote_names_are_refused_before_any_request(string remoteName)
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var handler = new RecordingHandler();
        using var session = await emulator.ConnectAsync(handler);
        var dataset = await session.ProfileDatasetAsync();
        var batch = await session.NewBatchAsync(dataset.Id, multiLine: true);
        var before = handler.Requests.Count;

        var ex = await Assert.ThrowsAsync<IngestionException>(() =>
            session.Batches.UploadFileAsync(batch.Id, dataset.Id, Samples.Profiles, remoteName, null, None));

        Assert.Equal(IngestErrorKind.InvalidArgument, ex.Kind);
        Assert.Equal(remoteName, ex.Target);
        Assert.Null(ex.StatusCode);
        Assert.Equal(before, handler.Requests.Count);
    }

    [Fact]
    public async Task An_empty_file_is_stored_empty()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var session = await emulator.ConnectAsync();
        var dataset = await session.ProfileDatasetAsync();
        var batch = await session.NewBatchAsync(dataset.Id);
        using var dir = new TempDirectory();
        var empty = dir.Write("empty.json", Array.Empty<byte>());

        var result = await session.UploadAsync(batch, empty);

        Assert.Equal(0, result.Bytes);
        var stored = Assert.Single(emulator.StoredFiles(batch.Id));
        Assert.Equal(0, stored.Size);
        Assert.Equal(0, new FileInfo(stored.FullPath).Length);
    }

    [Fact]
    public async Task A_missing_local_file_is_not_found_before_any_request()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var handler = new RecordingHandler();
        using var session = await emulator.ConnectAsync(handler);
        var dataset = await session.ProfileDatasetAsync();
        var batch = await session.NewBatchAsync(dataset.Id);
        using var dir = new TempDirectory();
        var missing = dir.File("nope.json");
        var before = handler.Requests.Count;

        var ex = await Assert.ThrowsAsync<IngestionException>(() => session.UploadAsync(batch, missing));

        Assert.Equal(IngestErrorKind.NotFound, ex.Kind);
        Assert.Equal(missing, ex.Target);
        Assert.Contains(missing, ex.Message);
        Assert.Null(ex.StatusCode);
        Assert.Equal(before, handler.Requests.Count);
    }

    [Fact]
    public async Task Content_arrives_byte_identical_and_progress_reaches_the_total()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var session = await emulator.ConnectAsync();
        var dataset = await session.ProfileDatasetAsync();
        var batch = await session.NewBatchAsync(dataset.Id, IngestFormat.Parquet);
        using var dir = new TempDirectory();
        var bytes = new byte[3 * 1024 * 1024 + 17];
        new Random(42).NextBytes(bytes);
        var local = dir.Write("random.bin", bytes);
        var progress = new SyncProgress();

        var result = await session.Batches.UploadFileAsync(batch.Id, dataset.Id, local, "random.parquet", progress, None);

        Assert.Equal(bytes.Length, result.Bytes);
        var stored = Assert.Single(emulator.StoredFiles(batch.Id));
        Assert.Equal(bytes.Length, stored.Size);
        Assert.Equal(SHA256.HashData(bytes), SHA256.HashData(File.ReadAllBytes(stored.FullPath)));
        Assert.Equal(new TransferProgress(local, 0, bytes.Length), progress.Reports[0]);
        Assert.Equal(new TransferProgress(local, bytes.Length, bytes.Length), progress.Reports[^1]);
        Assert.True(progress.Reports.Zip(progress.Reports.Skip(1)).All(p => p.First.BytesSent <= p.Second.BytesSent));
    }

    [Fact]
    public async Task Uploading_the_same_name_again_replaces_the_file()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var session = await emulator.ConnectAsync();
        var dataset = await session.ProfileDatasetAsync();
        var batch = await session.NewBatchAsync(dataset.Id);
        using var dir = new TempDirectory();
        var first = dir.Write("first.json", """{"_id":"1"}""");
        var second = dir.Write("second.json", """{"_id":"2"}""");

        await session.Batches.UploadFileAsync(batch.Id, dataset.Id, first, "x.json", null, None);
        await session.Batches.UploadFileAsync(batch.Id, dataset.Id, second, "x.json", null, None);

        var stored = Assert.Single(emulator.StoredFiles(batch.Id));
        Assert.Equal("""{"_id":"2"}""", File.ReadAllText(stored.FullPath));
    }

    [Fact]
    public async Task A_file_that_grows_during_the_upload_is_refused_and_not_retried()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var handler = new RecordingHandler();
        using var session = await emulator.ConnectAsync(handler);
        var dataset = await session.ProfileDatasetAsync();
        var batch = await session.NewBatchAsync(dataset.Id);
        using var dir = new TempDirectory();
        var local = dir.Write("growing.json", """{"_id":"1"}""" + "\n");
        handler.BeforeSend = request =>
        {
            if (request.Method == HttpMethod.Put)
            {
                File.AppendAllText(local, """{"_id":"2"}""" + "\n");
            }
        };

        var ex = await Assert.ThrowsAsync<IngestionException>(() => session.UploadAsync(batch, local));

        Assert.Equal(IngestErrorKind.InvalidArgument, ex.Kind);
        Assert.Equal(local, ex.Target);
        Assert.Contains("changed size", ex.Message);
        Assert.Equal(1, handler.Count(HttpMethod.Put, "/files/"));
        Assert.Empty(emulator.StoredFiles(batch.Id));
    }

    [Fact]
    public async Task A_file_deleted_after_it_was_measured_is_not_found_and_not_retried()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var handler = new RecordingHandler();
        using var session = await emulator.ConnectAsync(handler);
        var dataset = await session.ProfileDatasetAsync();
        var batch = await session.NewBatchAsync(dataset.Id);
        using var dir = new TempDirectory();
        var local = dir.Write("vanishing.json", """{"_id":"1"}""" + "\n");
        handler.BeforeSend = request =>
        {
            if (request.Method == HttpMethod.Put)
            {
                File.Delete(local);
            }
        };

        var ex = await Assert.ThrowsAsync<IngestionException>(() => session.UploadAsync(batch, local));

        Assert.Equal(IngestErrorKind.NotFound, ex.Kind);
        Assert.Equal(local, ex.Target);
        Assert.Equal(1, handler.Count(HttpMethod.Put, "/files/"));
        Assert.Empty(emulator.StoredFiles(batch.Id));
    }

    [Fact]
    public async Task Upload_to_a_batch_of_another_dataset_is_refused_by_the_service()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var session = await emulator.ConnectAsync();
        var dataset = await session.ProfileDatasetAsync();
        var other = await session.ProfileDatasetAsync();
        var batch = await session.NewBatchAsync(dataset.Id);

        var ex = await Assert.ThrowsAsync<IngestionException>(() =>
            session.Batches.UploadFileAsync(batch.Id, other.Id, Samples.Profiles, null, null, None));

        Assert.Equal(IngestErrorKind.InvalidArgument, ex.Kind);
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, ex.StatusCode);
        Assert.Contains(other.Id, ex.ServiceMessage);
    }

    private static string Sha256(string path) => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)));

    private sealed class SyncProgress : IProgress<TransferProgress>
    {
        public List<TransferProgress> Reports { get; } = [];

        public void Report(TransferProgress value) => Reports.Add(value);
    }
}
