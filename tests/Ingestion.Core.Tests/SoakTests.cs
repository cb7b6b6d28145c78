using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Ingestion.Core.Models;
using Ingestion.Core.Sessions;
using Ingestion.Core.Tests.Support;
using Ingestion.Emulator;
using Xunit.Abstractions;

namespace Ingestion.Core.Tests;

/// <summary>
/// The soak of issue 5: 200 files in 10 batches, two of them over the chunk threshold, through the emulator with
/// faults injected (and without, for the baseline), in <see cref="Rounds"/> rounds on fresh emulators (the fault seed
/// moves on each round). Every file must arrive byte-identical, every batch reach active, and the Catalog hold exactly
/// the batches made. Each run appends one line of figures to <c>artifacts/soak/soak.txt</c> under the repository root
/// (<c>.ci/run</c> prints it; xunit keeps test output out of the console).
/// </summary>
public partial class SoakTests(ITestOutputHelper output)
{
    private const int Rounds = 3;
    private const int Batches = 10;
    private const int FilesPerBatch = 20;
    private const int FileThrottle = 4;
    private const int BatchThrottle = 2;
    private const long LargeFileBytes = 3L << 20;

    /// <summary>10% 5xx, 5% 429 (Retry-After 1 s), 2% resets (half on the request, half on the answer), 1% lost answers.</summary>
    public static readonly FaultOptions Faults = new()
    {
        Seed = 5,
        ServerErrorRate = 0.10,
        ThrottleRate = 0.05,
        RetryAfterSeconds = 1,
        ResetRequestRate = 0.01,
        ResetResponseRate = 0.01,
        LostResponseRate = 0.01,
    };

    private static readonly RetrySettings Retry = new()
    {
        MaxRetries = 8,
        RetryDelay = TimeSpan.FromMilliseconds(50),
        AttemptTimeout = TimeSpan.FromSeconds(30),
        OverallTimeout = TimeSpan.FromMinutes(2),
    };

    private static readonly UploadOptions Upload = new()
    {
        ChunkThreshold = 1L << 20,
        ChunkSize = 256L << 10,
        ThrottleLimit = 4,
        JournalFolder = Path.Combine(Path.GetTempPath(), "ingestion-core-tests", "soak-journals"),
    };

    private static readonly WaitOptions Wait = new()
    {
        InitialInterval = TimeSpan.FromMilliseconds(50),
        MaxInterval = TimeSpan.FromMilliseconds(250),
        Timeout = TimeSpan.FromMinutes(2),
    };

    [Fact]
    public Task Soak_with_faults() => RunAsync("faults", Faults);

    [Fact]
    public Task Soak_baseline_without_faults() => RunAsync("baseline", FaultOptions.None);

    private async Task RunAsync(string name, FaultOptions faults)
    {
        using var dir = new TempDirectory();
        var plan = WriteFiles(dir.Path);
        var rounds = new List<Figures>();
        for (var round = 0; round < Rounds; round++)
        {
            var figures = await RoundAsync(name, faults with { Seed = faults.Seed + round }, plan);
            output.WriteLine($"round {round + 1}: {figures}");
            rounds.Add(figures);
        }

        var total = rounds.Aggregate((a, b) => a + b);
        var line = string.Create(CultureInfo.InvariantCulture,
            $"{DateTimeOffset.UtcNow:u} soak {name} ({(faults.AnyRequestFault ? $"{faults with { Seed = 0 }},retry-after={faults.RetryAfterSeconds},seeds {faults.Seed}-{faults.Seed + Rounds - 1}" : "no faults")}): {Rounds} rounds of " +
            $"{plan.Sum(b => b.Length)} files in {Batches} batches; {total}; per round {string.Join(" / ", rounds.Select(r => r.Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)))} s");
        output.WriteLine(line);
        AppendFigures(line);

        if (faults.AnyRequestFault)
        {
            // Over all rounds (a rare fault may miss one round): every kind configured was really injected, and retried.
            Assert.True(total.ServerErrors > 0 && total.Throttles > 0 && total.ResetRequests > 0 && total.ResetResponses > 0 && total.Lost > 0, $"a fault kind was never injected: {total}");
            Assert.True(total.Retries > 0);
        }
    }

    /// <summary>One run of the scenario against a fresh emulator; asserts, then returns what it counted.</summary>
    private static async Task<Figures> RoundAsync(string name, FaultOptions faults, string[][] plan)
    {
        await using var emulator = await TestEmulator.StartAsync();

        // The dataset is set-up, not under test (creating one is not idempotent and has no reconciliation).
        IngestDataset dataset;
        using (var setup = await emulator.ConnectAsync(retry: Retry))
        {
            dataset = await setup.ProfileDatasetAsync("soak " + name);
        }

        await emulator.SetFaultsAsync(faults);
        var log = new ListLog();
        var clock = Stopwatch.StartNew();
        var made = new ConcurrentDictionary<string, (IngestBatch Batch, IngestStatus Status, string[] Files)>();
        using (IngestLog.Begin(log))
        {
            // Connecting is in scope too: the first token goes through the faults like every other call.
            using var session = await emulator.ConnectAsync(retry: Retry);
            await Parallel.ForEachAsync(plan, new ParallelOptions { MaxDegreeOfParallelism = BatchThrottle }, async (files, ct) =>
            {
                var batch = await session.NewBatchAsync(dataset.Id);
                // Files within a batch go FileThrottle at a time; the large ones send their chunks in parallel too.
                await Parallel.ForEachAsync(files, new ParallelOptions { MaxDegreeOfParallelism = FileThrottle, CancellationToken = ct }, async (file, token) =>
                    await session.Batches.UploadFileAsync(batch.Id, dataset.Id, file, null, Upload, null, token));
                await session.Batches.CompleteBatchAsync(batch.Id, ct);
                var status = await session.Catalog.WaitForBatchAsync(batch.Id, Wait, null, ct);
                made[batch.Id] = (batch, status, files);
            });
        }

        clock.Stop();
        var counters = await emulator.FaultCountersAsync();
        await emulator.SetFaultsAsync(FaultOptions.None);
        var figures = new Figures(
            clock.Elapsed,
            log.Lines.Count(IsRetrying),
            log.Lines.Count(l => l.Contains("so it was reconciled", StringComparison.Ordinal) || l.Contains("completed the file and its answer was lost", StringComparison.Ordinal)),
            counters["requests"],
            counters["serverError"],
            counters["throttle"],
            counters["resetRequest"],
            counters["resetResponse"],
            counters["lostResponse"]);

        // Every batch made by the test reached active, and it made exactly as many as planned.
        Assert.Equal(Batches, made.Count);
        Assert.All(made.Values, m => Assert.True(m.Status.IsSuccess, $"{m.Batch.Id} is {m.Status.Status}"));

        // Every file arrived byte-identical.
        foreach (var (batch, _, files) in made.Values)
        {
            var stored = emulator.StoredFiles(batch.Id).ToDictionary(f => f.Name);
            Assert.Equal(files.Length, stored.Count);
            foreach (var file in files)
            {
                Assert.True(stored.TryGetValue(Path.GetFileName(file), out var copy), $"{file} missing from {batch.Id}");
                Assert.Equal(Sha256(file), Sha256(copy.FullPath));
            }
        }

        // The Catalog holds exactly the batches the test made: no duplicates behind a lost answer.
        var catalog = await emulator.GetJsonAsync($"data/foundation/catalog/batches?dataSet={dataset.Id}&limit=100");
        var held = catalog.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetProperty("externalId").GetString());
        Assert.Equal(made.Keys.Order(), held.Keys.Order());
        Assert.Equal(held.Count, held.Values.Distinct().Count());

        if (!faults.AnyRequestFault)
        {
            Assert.Equal(0, figures.Retries);
        }

        return figures;
    }

    private sealed record Figures(TimeSpan Elapsed, int Retries, int Reconciled, long Requests, long ServerErrors, long Throttles, long ResetRequests, long ResetResponses, long Lost)
    {
        public static Figures operator +(Figures a, Figures b) => new(
            a.Elapsed + b.Elapsed, a.Retries + b.Retries, a.Reconciled + b.Reconciled, a.Requests + b.Requests, a.ServerErrors + b.ServerErrors,
            a.Throttles + b.Throttles, a.ResetRequests + b.ResetRequests, a.ResetResponses + b.ResetResponses, a.Lost + b.Lost);

        public override string ToString() => string.Create(CultureInfo.InvariantCulture,
            $"{Elapsed.TotalSeconds:0.0} s; client retries {Retries}, reconciled {Reconciled}; requests {Requests}, injected 5xx {ServerErrors}, " +
            $"429 {Throttles}, reset-request {ResetRequests}, reset-response {ResetResponses}, lost {Lost}");
    }

    /// <summary>The line every retry strategy of the engine writes: "{method} {path} failed ({reason}); attempt n of m in s s."</summary>
    private static bool IsRetrying(string line) => RetryLine().IsMatch(line);

    [System.Text.RegularExpressions.GeneratedRegex(@"^\S+ \S+ failed \(.*\); attempt \d+ of \d+ in [\d.]+ s\.$")]
    private static partial System.Text.RegularExpressions.Regex RetryLine();

    /// <summary>Batches of files: 20 small JSON files each; the first file of batches 0 and 5 is ~3 MiB, over the chunk threshold.</summary>
    private static string[][] WriteFiles(string folder)
    {
        var records = JsonNode.Parse(File.ReadAllText(Samples.Profiles))!.AsArray();
        var next = 0;
        string Record()
        {
            var record = records[next % records.Count]!.DeepClone();
            record["_id"] = "soak-" + next.ToString(CultureInfo.InvariantCulture);
            next++;
            return record.ToJsonString();
        }

        var plan = new string[Batches][];
        for (var b = 0; b < Batches; b++)
        {
            plan[b] = new string[FilesPerBatch];
            for (var f = 0; f < FilesPerBatch; f++)
            {
                var large = f == 0 && b % 5 == 0;
                var text = new StringBuilder();
                do
                {
                    text.Append(Record()).Append('\n');
                }
                while (large ? text.Length < LargeFileBytes : text.Length < 2000);

                var path = Path.Combine(folder, $"b{b:00}-f{f:00}.json");
                File.WriteAllText(path, text.ToString());
                plan[b][f] = path;
            }
        }

        return plan;
    }

    private static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexString(SHA256.HashData(stream));
    }

    private static void AppendFigures(string line)
    {
        var folder = Path.Combine(Samples.Root, "artifacts", "soak");
        Directory.CreateDirectory(folder);
        File.AppendAllText(Path.Combine(folder, "soak.txt"), line + Environment.NewLine);
    }
}
