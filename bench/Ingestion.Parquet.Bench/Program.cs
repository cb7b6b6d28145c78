using System.Diagnostics;
using System.Globalization;
using Ingestion.Parquet;

// Writes N generated flat rows (10 columns, the shape of a CSV export) three ways and reads them back,
// printing rows/s, file size and the process's peak working set.
int rows = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1_000_000;
string mode = args.Length > 1 ? args[1] : "all";
var schema = new ParquetSchema(
    PrimitiveField.Int64("id", Repetition.Required),
    PrimitiveField.String("first_name"),
    PrimitiveField.String("email"),
    PrimitiveField.Int32("age"),
    PrimitiveField.Double("score"),
    PrimitiveField.Boolean("active"),
    PrimitiveField.Timestamp("created", TimeUnit.Micros),
    PrimitiveField.String("country"),
    PrimitiveField.Decimal("amount", 9, 2),
    PrimitiveField.String("city"));
string[] names = ["Ada", "Alan", "Grace", "Linus", "Margaret", "Dennis", "Barbara", "Ken", "Frances", "John"];
string[] countries = ["FR", "DE", "US", "GB", "JP", "BR", "IN", "CA", "ES", "IT"];
string[] cities = Enumerable.Range(0, 500).Select(i => "City " + i).ToArray();
var path = Path.Combine(Path.GetTempPath(), "ingestion-parquet-bench.parquet");
long rowGroupMiB = args.Length > 2 ? long.Parse(args[2], CultureInfo.InvariantCulture) : 32;
var options = new ParquetWriterOptions { CreatedBy = "Ingestion.Parquet.Bench", RowGroupSize = rowGroupMiB << 20 };
long baseTicks = new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc).Ticks;

void Report(string label, TimeSpan elapsed)
{
    var size = new FileInfo(path).Length;
    Console.WriteLine($"{label,-34} {rows / elapsed.TotalSeconds,12:N0} rows/s  {elapsed.TotalMilliseconds,8:N0} ms  file {size / 1048576.0,7:N1} MiB  peak WS {Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0,7:N0} MiB");
}

void Typed()
{
    var watch = Stopwatch.StartNew();
    using (var writer = ParquetWriter.Create(path, schema, options))
    {
        var id = writer.GetColumn<long>(0);
        var first = writer.GetByteArrayColumn(1);
        var email = writer.GetByteArrayColumn(2);
        var age = writer.GetColumn<int>(3);
        var score = writer.GetColumn<double>(4);
        var active = writer.GetColumn<bool>(5);
        var created = writer.GetColumn<long>(6);
        var country = writer.GetByteArrayColumn(7);
        var amount = writer.GetColumn<int>(8);
        var city = writer.GetByteArrayColumn(9);
        Span<char> buffer = stackalloc char[64];
        for (int i = 0; i < rows; i++)
        {
            id.Write(i);
            var name = names[i % names.Length];
            first.Write(name);
            name.AsSpan().CopyTo(buffer);
            int n = name.Length;
            buffer[n++] = '.';
            i.TryFormat(buffer[n..], out int digits, provider: CultureInfo.InvariantCulture);
            n += digits;
            "@example.com".AsSpan().CopyTo(buffer[n..]);
            email.Write(buffer[..(n + 12)]);
            if (i % 10 == 0) age.WriteNull(); else age.Write(18 + i % 60);
            score.Write(i * 0.25);
            active.Write(i % 3 != 0);
            created.Write((baseTicks + i * 10_000_000L - DateTime.UnixEpoch.Ticks) / 10);
            country.Write(countries[i % countries.Length]);
            amount.Write(i % 100_000);
            city.Write(cities[i % cities.Length]);
            writer.EndRow();
        }
    }
    Report("write, typed column API", watch.Elapsed);
}

void RowApi()
{
    var watch = Stopwatch.StartNew();
    using (var writer = ParquetWriter.Create(path, schema, options))
    {
        var row = new Dictionary<string, object?>();
        for (int i = 0; i < rows; i++)
        {
            row["id"] = (long)i;
            row["first_name"] = names[i % names.Length];
            row["email"] = names[i % names.Length] + "." + i.ToString(CultureInfo.InvariantCulture) + "@example.com";
            row["age"] = i % 10 == 0 ? null : 18 + i % 60;
            row["score"] = i * 0.25;
            row["active"] = i % 3 != 0;
            row["created"] = new DateTime(baseTicks + i * 10_000_000L, DateTimeKind.Utc);
            row["country"] = countries[i % countries.Length];
            row["amount"] = (i % 100_000) / 100m;
            row["city"] = cities[i % cities.Length];
            writer.WriteRow(row);
        }
    }
    Report("write, row API (dictionaries)", watch.Elapsed);
}

void Read()
{
    var watch = Stopwatch.StartNew();
    long count = 0;
    using (var reader = ParquetReader.Open(path))
    {
        for (int g = 0; g < reader.RowGroups.Count; g++)
        {
            count += reader.ReadRowGroup(g)[0].LevelCount;
        }
    }
    if (count != rows) throw new InvalidOperationException("row count mismatch");
    Report("read, column API", watch.Elapsed);
    watch.Restart();
    using (var reader = ParquetReader.Open(path))
    {
        count = reader.ReadRows().LongCount();
    }
    Report("read, rows as dictionaries", watch.Elapsed);
}

Console.WriteLine($"{rows:N0} rows, {Environment.ProcessorCount} cores, .NET {Environment.Version}, row groups of {rowGroupMiB} MiB buffered");
if (mode is "all" or "typed") { Typed(); Typed(); }
if (mode is "all" or "rows") RowApi();
if (mode is "all" or "read") Read();
File.Delete(path);
