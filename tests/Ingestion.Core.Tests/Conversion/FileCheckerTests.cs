using Ingestion.Core.Conversion;
using Ingestion.Core.Errors;
using Ingestion.Core.Tests.Support;
using Ingestion.Parquet;
using static Ingestion.Core.Tests.Conversion.ConversionFixtures;

namespace Ingestion.Core.Tests.Conversion;

/// <summary>Checking files against a dataset's schema before upload, and reading Parquet footers.</summary>
public class FileCheckerTests
{
    private static Models.FileCheckReport Check(string path, DataSchema schema, bool multiLine = false) =>
        FileChecker.Check(path, schema, new FileCheckOptions { MultiLineJson = multiLine, DatasetId = "D1", SchemaId = "S1" });

    [Fact]
    public void The_samples_pass_against_their_schemas()
    {
        var csv = Check(Samples.Loyalty, LoyaltySchema());
        Assert.True(csv.IsValid, string.Join('\n', csv.Problems));
        Assert.Equal(40, csv.Rows);
        Assert.Equal("Csv", csv.Format);
        Assert.Equal("D1", csv.DatasetId);

        var json = Check(Samples.Profiles, ProfileSchema(), multiLine: true);
        Assert.True(json.IsValid, string.Join('\n', json.Problems));
        Assert.Equal(14, json.Rows);
    }

    [Fact]
    public void A_json_array_without_multi_line_json_is_flagged()
    {
        var report = Check(Samples.Profiles, ProfileSchema());

        var problem = Assert.Single(report.Problems);
        Assert.Equal(string.Empty, problem.Field);
        Assert.Contains("-MultiLineJson", problem.Message);
        Assert.False(report.IsValid);
    }

    [Fact]
    public void Pretty_printed_objects_without_multi_line_json_are_flagged()
    {
        using var temp = new TempDirectory();
        var path = temp.Write("pretty.json", "{\n  \"_id\": \"a\"\n}\n");

        Assert.Contains(Check(path, ProfileSchema()).Problems, p => p.Message.Contains("pretty-printed"));
        Assert.True(Check(path, ProfileSchema(), multiLine: true).IsValid);
    }

    [Fact]
    public void Csv_problems_name_field_and_row()
    {
        using var temp = new TempDirectory();
        var path = temp.Write("bad.csv", "customerId,points,tier,colour\nC1,12,gold,red\nC2,lots,silver,blue\nC3,1.5,,green\nC4\n");

        var report = Check(path, LoyaltySchema());

        Assert.False(report.IsValid);
        Assert.Collection(report.Problems,
            p => Assert.Equal(("colour", (long?)null), (p.Field, p.Row)),
            p => Assert.Equal(("points", (long?)2), (p.Field, p.Row)),
            p => Assert.Equal(("points", (long?)3), (p.Field, p.Row)),
            p => Assert.Equal((string.Empty, (long?)4), (p.Field, p.Row)));
        Assert.Contains("not a field of the dataset's schema", report.Problems[0].Message);
        Assert.Contains("\"lots\", which is not a number", report.Problems[1].Message);
        Assert.Contains("which has a fraction", report.Problems[2].Message);
        Assert.Contains("has 1 values but the header has 4 columns", report.Problems[3].Message);
    }

    [Fact]
    public void Json_problems_follow_aep_conversion_rules_and_recurring_ones_are_counted()
    {
        using var temp = new TempDirectory();
        var path = temp.Write("bad.jsonl", string.Join('\n',
            "{\"_id\":\"a\",\"person\":{\"gender\":\"robot\",\"shoe\":41},\"loyalty\":{\"points\":\"12\",\"joined\":\"soon\"}}",
            "{\"_id\":5,\"person\":{\"shoe\":42},\"identityMap\":{\"ECID\":[{\"id\":\"x\",\"primary\":\"yes\"}]}}",
            "{\"_id\":\"c\",\"person\":{\"shoe\":43},\"loyalty\":{\"points\":true}}") + "\n");

        var report = Check(path, ProfileSchema());

        var byField = report.Problems.ToDictionary(p => p.Field + "@" + p.Row);
        Assert.Contains("allowed values are male, female", byField["person.gender@1"].Message);
        Assert.Equal(3, byField["person.shoe@1"].Occurrences);
        Assert.Contains("not defined", byField["person.shoe@1"].Message);
        Assert.Contains("ISO 8601", byField["loyalty.joined@1"].Message);
        Assert.Contains("numbers", byField["_id@2"].Message);
        Assert.Contains("strings to booleans", byField["identityMap.ECID[].primary@2"].Message);
        Assert.Contains("booleans", byField["loyalty.points@3"].Message);
        Assert.DoesNotContain(report.Problems, p => p.Field == "loyalty.points" && p.Row == 1);
    }

    [Fact]
    public void A_converted_parquet_file_passes_and_a_foreign_one_shows_its_columns()
    {
        using var temp = new TempDirectory();
        var good = Convert(temp, Samples.Profiles, Xdm(ProfileSchema()), "good.parquet");
        var goodReport = Check(good.Path, ProfileSchema());
        Assert.True(goodReport.IsValid, string.Join('\n', goodReport.Problems));
        Assert.Equal(14, goodReport.Rows);
        Assert.Equal("Parquet", goodReport.Format);

        var inferred = Convert(temp, Samples.Loyalty, name: "loyalty.parquet");
        var report = Check(inferred.Path, ProfileSchema());
        Assert.False(report.IsValid);
        Assert.Contains(report.Problems, p => p.Field == "customerId" && p.Row is null && p.Message.Contains("not defined"));
        Assert.Single(report.Problems, p => p.Field == "points");

        var loyalty = Check(inferred.Path, LoyaltySchema());
        Assert.True(loyalty.IsValid, string.Join('\n', loyalty.Problems));
    }

    [Fact]
    public void A_file_that_is_not_parquet_cannot_be_checked()
    {
        using var temp = new TempDirectory();
        var path = temp.Write("fake.parquet", "not parquet at all");

        var error = Assert.Throws<IngestionException>(() => Check(path, ProfileSchema()));

        Assert.Equal(IngestErrorKind.InvalidData, error.Kind);
        Assert.Contains("not a readable Parquet file", error.Message);
    }

    [Fact]
    public void Inspect_summarises_schema_row_groups_codecs_and_statistics()
    {
        using var temp = new TempDirectory();
        var result = Convert(temp, Samples.Loyalty);

        var info = ParquetFiles.Inspect(result.Path);

        Assert.Equal(40, info.Rows);
        Assert.Equal(1, info.RowGroups);
        Assert.Equal("SNAPPY", info.Codecs);
        Assert.StartsWith("Ingestion version", info.CreatedBy);
        Assert.Equal(result.Bytes, info.Bytes);
        Assert.Contains("optional int64 points", info.Schema);
        var points = info.Columns.Single(c => c.Path == "points");
        Assert.Equal("INT64", points.PhysicalType);
        Assert.Equal("OPTIONAL", points.Repetition);
        Assert.Equal(0, points.Nulls);
        Assert.Equal(40, points.Values);
        Assert.IsType<long>(points.Min);
        Assert.True((long)points.Min! <= (long)points.Max!);
        var purchase = info.Columns.Single(c => c.Path == "lastPurchase");
        Assert.Equal("INT64 TIMESTAMP(MICROS,UTC)", purchase.Type);
        Assert.Equal(new DateTime(2026, 1, 1, 0, 15, 0, DateTimeKind.Utc), purchase.Min);
        Assert.Contains("RLE_DICTIONARY", info.Columns.Single(c => c.Path == "tier").Encodings);
        Assert.Equal(40, Assert.Single(info.RowGroupDetails).Rows);
    }

    [Fact]
    public void Reference_files_inspect_and_read()
    {
        var pdf = SharedData("experience-platform-etl-reference", "pdfTest.parquet");
        var info = ParquetFiles.Inspect(pdf);
        Assert.Equal(1, info.Rows);
        using (var reader = ParquetReader.Open(pdf))
        {
            Assert.Equal(reader.Schema.Columns.Count, info.Columns.Count);
        }

        Assert.Single(ParquetFiles.ReadRows(pdf));
        Assert.Equal(2, ParquetFiles.ReadRows(SharedData("experience-platform-etl-reference", "test_snappy.parquet"), 2).Count());
    }
}
