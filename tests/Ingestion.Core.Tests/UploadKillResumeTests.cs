using System.Diagnostics;
using System.Security.Cryptography;
using Ingestion.Core.Models;
using Ingestion.Core.Tests.Support;
using Ingestion.Core.Uploads;

namespace Ingestion.Core.Tests;

/// <summary>Runs only on Linux, where the test kills a child process with SIGKILL.</summary>
public sealed class LinuxFactAttribute : FactAttribute
{
    public LinuxFactAttribute()
    {
        if (!OperatingSystem.IsLinux())
        {
            Skip = "Kills the uploading process with SIGKILL: Linux only.";
        }
    }
}

/// <summary>
/// Resuming after the uploading process itself dies (SIGKILL: no finally, no last journal write), against an
/// in-process emulator. The upload runs in tools/Ingestion.UploadProbe, built with this project.
/// </summary>
public class UploadKillResumeTests
{
    private const int Chunk = 1024;
    private const int Chunks = 400;
    private const int Size = ((Chunks - 1) * Chunk) + 11;

    [LinuxFact]
    public async Task An_upload_whose_process_is_killed_resumes_with_only_the_chunks_its_journal_lacks()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var handler = new RecordingHandler();
        using var session = await emulator.ConnectAsync(handler);
        using var dir = new TempDirectory();
        var journals = dir.File("journals");
        var dataset = await session.ProfileDatasetAsync();
        var batch = await session.NewBatchAsync(dataset.Id, IngestFormat.Parquet);
        var bytes = new byte[Size];
        new Random(Size).NextBytes(bytes);
        var local = dir.Write("data.bin", bytes);

        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[]
        {
            ProbePath(), emulator.Endpoint.ToString(), emulator.Credentials.ClientId, emulator.Credentials.ClientSecret,
            emulator.Credentials.OrganizationId, emulator.Credentials.Sandbox, batch.Id, batch.DatasetId, local, "data.parquet",
            journals, Chunk.ToString(System.Globalization.CultureInfo.InvariantCulture), "25",
        })
        {
            start.ArgumentList.Add(arg);
        }

        using var probe = Process.Start(start)!;
        var stderr = probe.StandardError.ReadToEndAsync();
        var stdout = probe.StandardOutput.ReadToEndAsync();
        try
        {
            // The journal is written at most once a second while chunks arrive: wait for one that holds some.
            var deadline = Stopwatch.StartNew();
            while (UploadJournal.List(journals).SingleOrDefault() is not { ChunksConfirmed: > 0 })
            {
                if (probe.HasExited)
                {
                    Assert.Fail($"The probe exited ({probe.ExitCode}) before the journal held a chunk: {await stdout} {await stderr}");
                }

                Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(60), "No chunk was confirmed in the journal within 60 s.");
                await Task.Delay(20);
            }
        }
        finally
        {
            // SIGKILL on Linux.
            probe.Kill(entireProcessTree: true);
            await probe.WaitForExitAsync();
        }

        Assert.NotEqual(0, probe.ExitCode);
        Assert.DoesNotContain("uploaded", await stdout);
        var journal = Assert.Single(UploadJournal.List(journals));
        Assert.InRange(journal.ChunksConfirmed, 1, Chunks - 1);
        Assert.Equal(Chunks, journal.ChunksTotal);
        Assert.Empty(Directory.GetFiles(journals, "*.tmp"));

        await session.Batches.UploadFileAsync(
            batch.Id,
            batch.DatasetId,
            local,
            "data.parquet",
            new UploadOptions { ChunkThreshold = 0, ChunkSize = Chunk, ThrottleLimit = 1, JournalFolder = journals },
            null,
            CancellationToken.None);

        // In this session: no INITIALIZE (the file is in progress), and one PATCH per chunk the journal did not hold.
        Assert.Equal(Chunks - journal.ChunksConfirmed, handler.Count(HttpMethod.Patch, "/files/"));
        Assert.DoesNotContain(handler.Requests, r => r.Uri.Query.Contains("INITIALIZE", StringComparison.Ordinal));
        Assert.Equal(SHA256.HashData(bytes), SHA256.HashData(File.ReadAllBytes(Assert.Single(emulator.StoredFiles(batch.Id)).FullPath)));
        Assert.Empty(UploadJournal.List(journals));
    }

    /// <summary>tools/Ingestion.UploadProbe's build output, in the configuration this assembly was built in.</summary>
    private static string ProbePath()
    {
        var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var configuration = output.Parent!.Name;
        var root = output;
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Ingestion.slnx")))
        {
            root = root.Parent;
        }

        Assert.NotNull(root);
        var path = Path.Combine(root.FullName, "tools", "Ingestion.UploadProbe", "bin", configuration, "net10.0", "Ingestion.UploadProbe.dll");
        Assert.True(File.Exists(path), $"The upload probe was not built: {path}");
        return path;
    }
}
