using System.Diagnostics;
using System.Globalization;
using System.Text;
using Ingestion.Core.Aep;
using Ingestion.Core.Conversion;
using Ingestion.Core.Models;
using Ingestion.Core.Sessions;

// Throughput of the conversion layer, in Release:
//   dotnet run -c Release --project bench/Ingestion.Bench -- generate /tmp/bench/people.csv 1000000
//   dotnet run -c Release --project bench/Ingestion.Bench -- csv-to-parquet /tmp/bench/people.csv /tmp/bench/people.parquet
// Upload throughput against an emulator: bench/upload.sh
return args.FirstOrDefault() switch
{
    "generate" when args.Length >= 2 => Generate(args[1], args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 1_000_000),
    "csv-to-parquet" when args.Length >= 3 => CsvToParquet(args[1], args[2], args.Skip(3).ToArray()),
    "csv-scan" when args.Length >= 2 => Scan(args[1]),
    "upload" when args.Length >= 2 => await Upload(args[1], args.Skip(2).ToArray()),
    _ => Usage(),
};

static int Usage()
{
    Console.WriteLine("""
        Ingestion.Bench
          generate <csv> [rows]                      writes a 10-column CSV (ids, emails, names, dates, timestamps, ints,
                                                     doubles with nulls, a low-cardinality country, booleans); default 1,000,000 rows
          csv-to-parquet <csv> <parquet> [options]   converts (CSV, or JSON by extension) with an inferred schema; prints rows/s, bytes, peak working set
            --compression snappy|gzip|none           default snappy
            --row-group-size <bytes>                 default 64 MiB
            --sample <rows>                          default 1000
            --repeat <n>                             convert n times, report each (the first includes JIT warm-up)
          csv-scan <csv>                             only reads the CSV (the parsing share of a conversion)
          upload <file> [options]                    creates a dataset (or takes --dataset) and a batch, uploads the file; prints MB/s, peak working set
            --endpoint, --client-id, --client-secret, --org, --sandbox    the platform (an emulator's ready line has them all)
            --chunk-size <bytes>                     default 64 MiB
            --throttle <n>                           chunks in flight, default 4
            --chunk-threshold <bytes>                larger files go in chunks; default 256 MiB
            --warm-up                                first sends a 32 MiB file the same way, untimed, so the timed
                                                     upload runs compiled code as a long-lived PowerShell session does
        """);
    return 2;
}

static int Generate(string path, int rows)
{
    Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
    string[] first = ["Ada", "Grace", "Linus", "Margaret", "Alan", "Barbara", "Dennis", "Frances", "Ken", "Radia", "José", "Zoë"];
    string[] last = ["Lovelace", "Hopper", "Torvalds", "Hamilton", "Turing", "Liskov", "Ritchie", "Allen", "Thompson", "Perlman"];
    string[] countries = ["US", "GB", "FR", "DE", "CA", "JP", "BR", "IN"];
    var random = new Random(42);
    var start = new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    var clock = Stopwatch.StartNew();
    using var writer = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 20);
    writer.Write("id,email,first_name,last_name,birth_date,signup,visits,score,country,active\n");
    var line = new StringBuilder(256);
    for (var i = 0; i < rows; i++)
    {
        var f = first[random.Next(first.Length)];
        var l = last[random.Next(last.Length)];
        line.Clear();
        line.Append(CultureInfo.InvariantCulture, $"{1_000_000 + i},{f.ToLowerInvariant()}.{l.ToLowerInvariant()}{i}@example.com,{f},{l},");
        line.Append(new DateOnly(1950, 1, 1).AddDays(random.Next(20_000)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)).Append(',');
        line.Append(start.AddSeconds(random.Next(150_000_000)).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)).Append(',');
        line.Append(random.Next(10_000).ToString(CultureInfo.InvariantCulture)).Append(',');
        if (random.Next(10) != 0)
        {
            line.Append((random.NextDouble() * 1000).ToString("0.###", CultureInfo.InvariantCulture));
        }

        line.Append(',').Append(countries[random.Next(countries.Length)]).Append(',').Append(random.Next(2) == 0 ? "true" : "false").Append('\n');
        writer.Write(line);
    }

    writer.Flush();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"wrote {rows:N0} rows, {new FileInfo(path).Length:N0} bytes to {path} in {clock.Elapsed.TotalSeconds:0.00} s"));
    return 0;
}

static int CsvToParquet(string csv, string parquet, string[] options)
{
    string? Option(string name)
    {
        var index = Array.IndexOf(options, name);
        return index >= 0 && index + 1 < options.Length ? options[index + 1] : null;
    }

    var compression = Enum.Parse<ParquetCompression>(Option("--compression") ?? "snappy", ignoreCase: true);
    var rowGroupSize = long.Parse(Option("--row-group-size") ?? ConversionOptions.DefaultRowGroupSize.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
    var sample = int.Parse(Option("--sample") ?? "1000", CultureInfo.InvariantCulture);
    var repeat = int.Parse(Option("--repeat") ?? "1", CultureInfo.InvariantCulture);
    var input = new FileInfo(csv).Length;
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{Environment.ProcessorCount} processors, .NET {Environment.Version}, {compression}, row groups {rowGroupSize:N0} bytes, input {input:N0} bytes"));
    for (var run = 1; run <= repeat; run++)
    {
        var clock = Stopwatch.StartNew();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var allocated = GC.GetTotalAllocatedBytes(precise: false);
        var collections = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));
        var result = ParquetConverter.ConvertFile(csv, parquet, null, new ConversionOptions
        {
            Compression = compression,
            RowGroupSize = rowGroupSize,
            SampleSize = sample,
            Overwrite = true,
        });
        var elapsed = clock.Elapsed.TotalSeconds;
        var process = Process.GetCurrentProcess();
        process.Refresh();
        var cpuSeconds = (process.TotalProcessorTime - cpu).TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"run {run}: {result.Rows:N0} rows in {elapsed:0.000} s = {result.Rows / elapsed:N0} rows/s ({input / elapsed / 1048576:0.0} MiB/s of input, CPU {cpuSeconds:0.00} s); " +
            $"{result.RowGroups} row group(s), {result.Bytes:N0} bytes of Parquet; peak working set {process.PeakWorkingSet64 / 1048576.0:0} MiB; " +
            $"allocated {(GC.GetTotalAllocatedBytes(precise: false) - allocated) / 1048576.0:0} MiB, GCs gen0/1/2 {GC.CollectionCount(0) - collections.Item1}/{GC.CollectionCount(1) - collections.Item2}/{GC.CollectionCount(2) - collections.Item3}, " +
            $"heap after last GC {GC.GetGCMemoryInfo().HeapSizeBytes / 1048576.0:0} MiB, committed {GC.GetGCMemoryInfo().TotalCommittedBytes / 1048576.0:0} MiB"));
    }

    return 0;
}

static int Scan(string csv)
{
    var clock = Stopwatch.StartNew();
    using var reader = new CsvReader(File.OpenRead(csv), csv);
    long rows = 0, bytes = 0;
    while (reader.Read())
    {
        rows++;
        for (var i = 0; i < reader.FieldCount; i++)
        {
            bytes += reader.GetUtf8(i).Length;
        }
    }

    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"scanned {rows:N0} records ({bytes:N0} field bytes) in {clock.Elapsed.TotalSeconds:0.000} s = {rows / clock.Elapsed.TotalSeconds:N0} rows/s"));
    return 0;
}

static async Task<int> Upload(string file, string[] options)
{
    string? Option(string name)
    {
        var index = Array.IndexOf(options, name);
        return index >= 0 && index + 1 < options.Length ? options[index + 1] : null;
    }

    string Required(string name) => Option(name) ?? throw new ArgumentException($"{name} is required");

    var chunkSize = long.Parse(Option("--chunk-size") ?? UploadOptions.DefaultChunkSize.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
    var throttle = int.Parse(Option("--throttle") ?? UploadOptions.DefaultThrottleLimit.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
    var threshold = long.Parse(Option("--chunk-threshold") ?? BatchIngestionClient.MaxSmallFileBytes.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
    var secret = new System.Security.SecureString();
    foreach (var c in Required("--client-secret"))
    {
        secret.AppendChar(c);
    }

    secret.MakeReadOnly();
    using var session = await IngestSession.ConnectAsync(
        new AepConnectionOptions
        {
            PlatformEndpoint = new Uri(Required("--endpoint")),
            ClientId = Required("--client-id"),
            ClientSecret = secret,
            OrganizationId = Required("--org"),
            Sandbox = Required("--sandbox"),
        },
        CancellationToken.None);
    var datasetId = Option("--dataset");
    if (datasetId is null)
    {
        var dataset = await session.Catalog.CreateDatasetAsync("bench " + Guid.NewGuid().ToString("N")[..8], Option("--schema") ?? "https://ns.adobe.com/emulator/schemas/demo-profile", null, CancellationToken.None);
        datasetId = dataset.Id;
    }

    var batch = await session.Batches.CreateBatchAsync(new NewBatchRequest { DatasetId = datasetId, Format = IngestFormat.Parquet }, CancellationToken.None);
    var journals = Path.Combine(Path.GetTempPath(), "ingestion-bench-journals-" + Environment.ProcessId);
    var length = new FileInfo(file).Length;
    var uploadOptions = new UploadOptions { ChunkSize = chunkSize, ThrottleLimit = throttle, ChunkThreshold = threshold, JournalFolder = journals };
    if (options.Contains("--warm-up"))
    {
        var warm = Path.Combine(Path.GetTempPath(), "ingestion-bench-warm-up-" + Environment.ProcessId + ".bin");
        try
        {
            await File.WriteAllBytesAsync(warm, new byte[32 * 1024 * 1024]);
            // Chunked whatever its size, in chunks small enough that every part of the path runs several times.
            await session.Batches.UploadFileAsync(batch.Id, datasetId, warm, "warm-up.parquet", uploadOptions with { ChunkThreshold = 0, ChunkSize = 1024 * 1024 }, null, CancellationToken.None);
            await session.Batches.UploadFileAsync(batch.Id, datasetId, warm, "warm-up-put.parquet", uploadOptions with { ChunkThreshold = BatchIngestionClient.MaxSmallFileBytes }, null, CancellationToken.None);
        }
        finally
        {
            File.Delete(warm);
        }
    }

    var clock = Stopwatch.StartNew();
    var result = await session.Batches.UploadFileAsync(
        batch.Id,
        datasetId,
        file,
        "data.parquet",
        uploadOptions,
        null,
        CancellationToken.None);
    var elapsed = clock.Elapsed.TotalSeconds;
    var process = Process.GetCurrentProcess();
    process.Refresh();
    var mode = length > threshold ? $"chunked {chunkSize:N0} x{throttle}" : "single PUT";
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"dataset {datasetId} batch {batch.Id}: {mode}, {result.Bytes:N0} bytes in {elapsed:0.000} s = {length / elapsed / 1e6:0.0} MB/s; peak working set {process.PeakWorkingSet64 / 1048576.0:0} MiB"));
    return 0;
}
