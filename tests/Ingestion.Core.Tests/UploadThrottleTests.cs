using System.Security.Cryptography;
using Ingestion.Core.Models;
using Ingestion.Core.Tests.Support;

namespace Ingestion.Core.Tests;

/// <summary>One throttle shared by the uploads of several files bounds their PUTs and chunks together.</summary>
public class UploadThrottleTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public async Task Files_sharing_a_throttle_never_have_more_requests_in_flight_than_its_limit(int limit)
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var handler = new RecordingHandler();
        using var session = await emulator.ConnectAsync(handler);
        using var dir = new TempDirectory();
        var batch = await session.NewBatchAsync((await session.ProfileDatasetAsync()).Id, IngestFormat.Parquet);
        var inFlight = 0;
        var most = 0;
        handler.Intercept = async (request, token) =>
        {
            if (request.Method != HttpMethod.Put && request.Method != HttpMethod.Patch)
            {
                return null;
            }

            var now = Interlocked.Increment(ref inFlight);
            InterlockedMax(ref most, now);
            try
            {
                // Long enough for any request the throttle wrongly let through to overlap this one.
                await Task.Delay(20, token);
                return await handler.PassOnAsync(request, token);
            }
            finally
            {
                Interlocked.Decrement(ref inFlight);
            }
        };
        using var throttle = new UploadThrottle(limit);
        var options = new UploadOptions { ChunkThreshold = 4096, ChunkSize = 1024, ThrottleLimit = 8, Throttle = throttle, JournalFolder = dir.File("journals") };
        var files = Enumerable.Range(0, 6).Select(i =>
        {
            var bytes = new byte[i % 2 == 0 ? 3000 : 9000];
            new Random(i).NextBytes(bytes);
            return dir.Write($"f{i}.bin", bytes);
        }).ToList();

        await Task.WhenAll(files.Select(f => session.Batches.UploadFileAsync(batch.Id, batch.DatasetId, f, null, options, null, CancellationToken.None)));

        Assert.Equal(limit, most);
        var stored = emulator.StoredFiles(batch.Id).ToDictionary(f => Path.GetFileName(f.FullPath), f => f.FullPath);
        Assert.All(files, f => Assert.Equal(SHA256.HashData(File.ReadAllBytes(f)), SHA256.HashData(File.ReadAllBytes(stored[Path.GetFileName(f)]))));
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }
}
