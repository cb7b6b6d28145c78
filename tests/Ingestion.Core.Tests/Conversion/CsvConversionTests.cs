using Ingestion.Core.Conversion;
using Ingestion.Core.Errors;
using Ingestion.Core.Tests.Support;
using Ingestion.Parquet;
using static Ingestion.Core.Tests.Conversion.ConversionFixtures;

namespace Ingestion.Core.Tests.Conversion;

/// <summary>CSV to Parquet: inference, widening, conflicts, given schemas, mapping and name matching, round trips.</summary>
public class CsvConversionTests
{
    private static DataType TypeOf(Models.ParquetConversionResult result, string field) =>
        SchemaJson.Parse(result.Schema, "result").Find(field)!.Type;

    [Fact]
    public void The_loyalty_sample_infers_its_types_and_reads_back_row_for_row()
    {
        using var temp = new TempDirectory();

        var result = Convert(temp, Samples.Loyalty);

        Assert.Equal(Samples.LoyaltyRecords, result.Rows);
        Assert.Equal(1, result.RowGroups);
        Assert.Equal(new FileInfo(result.Path).Length, result.Bytes);
        Assert.Equal("Csv", result.SourceFormat);
        Assert.Equal("Snappy", result.Compression);
        Assert.Equal("inferred from all 40 records", result.SchemaSource);
        Assert.Empty(result.UnmatchedColumns);
        Assert.Equal(DataType.String, TypeOf(result, "customerId"));
        Assert.Equal(DataType.Int64, TypeOf(result, "points"));
        Assert.Equal(DataType.Timestamp, TypeOf(result, "lastPurchase"));
        Assert.Contains("optional int64 lastPurchase (TIMESTAMP(MICROS,UTC))", result.ParquetSchema);

        var rows = Rows(result.Path);
        var source = new List<string[]>();
        using (var reader = new CsvReader(File.OpenRead(Samples.Loyalty), Samples.Loyalty))
        {
            reader.Read();
            while (reader.Read())
            {
                source.Add(reader.GetStrings());
            }
        }

        Assert.Equal(source.Count, rows.Count);
        Assert.Equal("C5000", rows[0]["customerId"]);
        Assert.Equal("Lovelace", rows[0]["lastName"]);
        Assert.Equal(5632L, rows[0]["points"]);
        Assert.Equal(new DateTime(2026, 1, 1, 0, 15, 0, DateTimeKind.Utc), rows[0]["lastPurchase"]);
        for (var i = 0; i < rows.Count; i++)
        {
            Assert.Equal(source[i][0], rows[i]["customerId"]);
            Assert.Equal(long.Parse(source[i][5]), rows[i]["points"]);
        }
    }

    [Fact]
    public void Columns_widen_to_fit_every_value_and_keep_codes_as_text()
    {
        using var temp = new TempDirectory();
        var csv = temp.Write("types.csv", string.Join('\n',
            "flag,count,ratio,mixed_num,day,moment,day_or_moment,zip,big_id,free,empty,text_flag",
            "true,1,1.5,1,2024-01-31,2024-01-31T10:00:00Z,2024-01-31,02134,87098882279810196101440938110216748923,a,,yes",
            "FALSE,-2,2,2.25,2024-02-29,2024-02-29T10:00:00.123456+02:00,2024-02-01T00:00:00Z,12345,1,b,,no",
            ",,,,,,,,,,,") + "\n");

        var result = Convert(temp, csv);

        Assert.Equal(DataType.Boolean, TypeOf(result, "flag"));
        Assert.Equal(DataType.Int64, TypeOf(result, "count"));
        Assert.Equal(DataType.Double, TypeOf(result, "ratio"));
        Assert.Equal(DataType.Double, TypeOf(result, "mixed_num"));
        Assert.Equal(DataType.Date, TypeOf(result, "day"));
        Assert.Equal(DataType.Timestamp, TypeOf(result, "moment"));
        Assert.Equal(DataType.Timestamp, TypeOf(result, "day_or_moment"));
        Assert.Equal(DataType.String, TypeOf(result, "zip"));
        Assert.Equal(DataType.String, TypeOf(result, "big_id"));
        Assert.Equal(DataType.String, TypeOf(result, "free"));
        Assert.Equal(DataType.String, TypeOf(result, "empty"));
        Assert.Equal(DataType.String, TypeOf(result, "text_flag"));

        var rows = Rows(result.Path);
        Assert.Equal(true, rows[0]["flag"]);
        Assert.Equal(false, rows[1]["flag"]);
        Assert.Equal(1.0, rows[0]["mixed_num"]);
        Assert.Equal(new DateOnly(2024, 2, 29), rows[1]["day"]);
        Assert.Equal(new DateTime(2024, 2, 29, 8, 0, 0, DateTimeKind.Utc).AddTicks(1_234_560), rows[1]["moment"]);
        Assert.Equal(new DateTime(2024, 1, 31, 0, 0, 0, DateTimeKind.Utc), rows[0]["day_or_moment"]);
        Assert.Equal("02134", rows[0]["zip"]);
        Assert.Equal("87098882279810196101440938110216748923", rows[0]["big_id"]);
        Assert.All(rows[2].Values, Assert.Null);
    }

    [Fact]
    public void A_value_after_the_sample_that_does_not_fit_fails_naming_row_line_and_column()
    {
        using var temp = new TempDirectory();
        var csv = temp.Write("late.csv", "id,amount\n1,10\n2,20\n3,lots\n4,40\n");

        var error = Assert.Throws<IngestionException>(() => Convert(temp, csv, new ConversionOptions { SampleSize = 2 }));

        Assert.Equal(IngestErrorKind.InvalidData, error.Kind);
        Assert.Contains("row 3 (line 4), column 'amount'", error.Message);
        Assert.Contains("'lots' is not an integer", error.Message);
        Assert.Contains("-SampleSize", error.Message);
        Assert.Contains("-AllowStringFallback", error.Message);
        Assert.False(File.Exists(temp.File("out.parquet")));
        Assert.Single(Directory.GetFiles(temp.Path));
    }

    [Fact]
    public void With_string_fallback_a_late_conflict_rereads_the_whole_file()
    {
        using var temp = new TempDirectory();
        var csv = temp.Write("late.csv", "id,amount,ratio\n1,10,1\n2,20,2\n3,lots,2.5\n4,40,4\n");

        var result = Convert(temp, csv, new ConversionOptions { SampleSize = 2, AllowStringFallback = true });

        Assert.Equal("inferred from all 4 records", result.SchemaSource);
        Assert.Equal(DataType.String, TypeOf(result, "amount"));
        Assert.Equal(DataType.Double, TypeOf(result, "ratio"));
        Assert.Contains(result.Warnings, w => w.Contains("read again", StringComparison.Ordinal) && w.Contains("row 3", StringComparison.Ordinal));
        Assert.Equal(["10", "20", "lots", "40"], Rows(result.Path).Select(r => r["amount"]));
    }

    [Fact]
    public void Dotted_headers_and_mapping_targets_nest_an_inferred_schema()
    {
        using var temp = new TempDirectory();
        var csv = temp.Write("nested.csv", "person.name.first,F_LAST,age,drop_me\nAda,Lovelace,36,x\nGrace,,85,y\n");

        var result = Convert(temp, csv, new ConversionOptions { Mapping = new Dictionary<string, string?> { ["f_last"] = "person.name.last", ["drop_me"] = null } });

        var schema = SchemaOf(result.Path);
        Assert.Equal(["person.name.first", "person.name.last", "age"], schema.Columns.Select(c => c.DottedPath));
        var rows = Rows(result.Path);
        Assert.Equal("Lovelace", At(rows[0], "person.name.last"));
        Assert.Null(At(rows[1], "person.name.last"));
        Assert.Equal("Grace", At(rows[1], "person.name.first"));
        Assert.Contains("F_LAST -> person.name.last", result.MatchedColumns);
    }

    [Fact]
    public void Columns_find_xdm_fields_by_name_ignoring_case_and_separators_and_the_rest_are_reported()
    {
        using var temp = new TempDirectory();
        var csv = temp.Write("people.csv", "ID,first_name,LastName,Loyalty-Points,birth date,city,email,shoe_size\nP1,Ada,Lovelace,12,1815-12-10,London,ada@example.com,38\nP2,,Hopper,,,,,\n");

        var result = Convert(temp, csv, Xdm(ProfileSchema()));

        Assert.Equal(["email", "shoe_size"], result.UnmatchedColumns);
        Assert.Contains(result.Warnings, w => w.Contains("'email'") && w.Contains("-Mapping"));
        Assert.Contains("first_name -> person.name.firstName", result.MatchedColumns);
        Assert.Contains("Loyalty-Points -> loyalty.points", result.MatchedColumns);
        Assert.Contains("birth date -> person.birthDate", result.MatchedColumns);
        Assert.Contains("city -> homeAddress.city", result.MatchedColumns);
        Assert.Contains("ID -> _id", result.MatchedColumns);

        var rows = Rows(result.Path);
        Assert.Equal("Ada", At(rows[0], "person.name.firstName"));
        Assert.Equal(12L, At(rows[0], "loyalty.points"));
        Assert.Equal(new DateOnly(1815, 12, 10), At(rows[0], "person.birthDate"));
        Assert.Equal("London", At(rows[0], "homeAddress.city"));

        // A struct whose columns are all empty is null, not an empty object; its sibling values stay.
        Assert.Null(rows[1]["loyalty"]);
        Assert.Null(rows[1]["homeAddress"]);
        Assert.Null(At(rows[1], "person.name.firstName"));
        Assert.Equal("Hopper", At(rows[1], "person.name.lastName"));
        Assert.Null(rows[1]["identityMap"]);
    }

    [Fact]
    public void An_ambiguous_name_is_reported_and_mapping_resolves_it()
    {
        using var temp = new TempDirectory();
        var schema = SchemaJson.Parse("""
            { "fields": [
                { "name": "id", "type": "string" },
                { "name": "home", "type": "struct", "fields": [ { "name": "city", "type": "string" } ] },
                { "name": "work", "type": "struct", "fields": [ { "name": "city", "type": "string" } ] } ] }
            """, "s");
        var csv = temp.Write("c.csv", "id,city\n1,Paris\n");

        var unmapped = Convert(temp, csv, new ConversionOptions { Schema = schema, Mapping = new Dictionary<string, string?>() }, "a.parquet");
        Assert.Equal(["city"], unmapped.UnmatchedColumns);
        Assert.Contains(unmapped.Warnings, w => w.Contains("home.city, work.city"));

        var mapped = Convert(temp, csv, new ConversionOptions { Schema = schema, Mapping = new Dictionary<string, string?> { ["CITY"] = "work.city" } }, "b.parquet");
        Assert.Empty(mapped.UnmatchedColumns);
        Assert.Equal("Paris", At(Rows(mapped.Path)[0], "work.city"));
    }

    [Fact]
    public void The_crm_reference_file_maps_onto_the_demo_profile_schema()
    {
        using var temp = new TempDirectory();
        var mapping = new Dictionary<string, string?>
        {
            ["F_NAME"] = "person.name.firstName",
            ["L_NAME"] = "person.name.lastName",
            ["GENDER"] = "person.gender",
            ["DOB"] = "person.birthDate",
            ["EMAIL"] = "personalEmail.address",
            ["PHONE"] = "mobilePhone.number",
            ["ID1"] = "_id",
            ["ZIP"] = "homeAddress.postalCode",
        };

        var result = Convert(temp, CrmCsv, Xdm(ProfileSchema(), mapping));

        Assert.Equal(259, result.Rows);
        Assert.Contains("CITY -> homeAddress.city", result.MatchedColumns);
        Assert.Contains("COUNTRY -> homeAddress.country", result.MatchedColumns);
        Assert.Equal(["TITLE", "MONTH_AND_DATE", "YOB", "ID2", "ID3", "ID4", "EMAIL2", "STREET", "STATE", "LAT", "LONG"], result.UnmatchedColumns);
        var first = Rows(result.Path)[0];
        Assert.Equal("Ewart", At(first, "person.name.firstName"));
        Assert.Equal(new DateOnly(2004, 9, 25), At(first, "person.birthDate"));
        Assert.Equal("ebennedsenex@jiathis.com", At(first, "personalEmail.address"));
        Assert.Equal("36205", At(first, "homeAddress.postalCode"));
        Assert.Equal("71a16013-d805-7ece-9ac4-8f2cd66e8eaa", first["_id"]);
    }

    [Fact]
    public void The_crm_reference_file_infers_without_losing_ids_or_codes()
    {
        using var temp = new TempDirectory();

        var result = Convert(temp, CrmCsv, new ConversionOptions { Compression = ParquetCompression.Gzip });

        Assert.Equal(259, result.Rows);
        Assert.Equal(DataType.Date, TypeOf(result, "DOB"));
        Assert.Equal(DataType.Int64, TypeOf(result, "YOB"));
        Assert.Equal(DataType.Double, TypeOf(result, "LAT"));
        Assert.Equal(DataType.String, TypeOf(result, "ID2"));
        Assert.Equal(DataType.String, TypeOf(result, "ZIP"));
        Assert.Equal(DataType.String, TypeOf(result, "MONTH_AND_DATE"));
        var rows = Rows(result.Path);
        Assert.Equal(259, rows.Count);
        Assert.Equal("Québec", rows[2]["STATE"]);
        Assert.Equal(-85.7922905, rows[0]["LONG"]);
        Assert.Equal("50829196174854544323574004005273946998", rows[1]["ID2"]);
        using var reader = ParquetReader.Open(result.Path);
        Assert.All(reader.RowGroups[0].Columns, c => Assert.Equal(CompressionCodec.Gzip, c.Codec));
    }

    [Theory]
    [InlineData("points\nlots\n", "column 'points': field 'loyalty.points' expects an integer but got 'lots'")]
    [InlineData("joined\nyesterday\n", "field 'loyalty.joined' expects a date-time")]
    [InlineData("birthDate\n2024-02-30\n", "field 'person.birthDate' expects a date (yyyy-MM-dd) but got '2024-02-30'")]
    public void A_value_that_does_not_convert_to_the_xdm_type_names_row_and_field(string csv, string expected)
    {
        using var temp = new TempDirectory();
        var path = temp.Write("bad.csv", csv);

        var error = Assert.Throws<IngestionException>(() => Convert(temp, path, Xdm(ProfileSchema())));

        Assert.Equal(IngestErrorKind.InvalidData, error.Kind);
        Assert.Contains("row 1 (line 2)", error.Message);
        Assert.Contains(expected, error.Message);
        Assert.False(File.Exists(temp.File("out.parquet")));
    }

    [Fact]
    public void Aep_conversions_apply_to_a_given_schema()
    {
        using var temp = new TempDirectory();
        var schema = SchemaJson.Parse("""
            { "fields": [
                { "name": "n", "type": "int64" }, { "name": "s", "type": "int16" }, { "name": "d", "type": "date" },
                { "name": "t", "type": "timestamp" }, { "name": "f", "type": "boolean" }, { "name": "x", "type": "double" } ] }
            """, "s");
        var csv = temp.Write("c.csv", "n,s,d,t,f,x\n007,-12,2024-05-31T23:00:00-02:00,1717200000000,TRUE,1e3\n,,,2024-05-31 12:00:00,,\n");

        var rows = Rows(Convert(temp, csv, new ConversionOptions { Schema = schema }).Path);

        Assert.Equal(7L, rows[0]["n"]);
        Assert.Equal((short)-12, rows[0]["s"]);
        Assert.Equal(new DateOnly(2024, 5, 31), rows[0]["d"]);
        Assert.Equal(DateTime.UnixEpoch.AddMilliseconds(1717200000000), rows[0]["t"]);
        Assert.Equal(true, rows[0]["f"]);
        Assert.Equal(1000.0, rows[0]["x"]);
        Assert.Equal(new DateTime(2024, 5, 31, 12, 0, 0, DateTimeKind.Utc), rows[1]["t"]);

        var range = temp.Write("r.csv", "s\n40000\n");
        var error = Assert.Throws<IngestionException>(() => Convert(temp, range, new ConversionOptions { Schema = schema }, "r.parquet"));
        Assert.Contains("an integer from -32768 to 32767 (int16)", error.Message);
    }

    [Fact]
    public void A_required_field_needs_a_value_and_a_column()
    {
        using var temp = new TempDirectory();
        var schema = SchemaJson.Parse("""{ "fields": [ { "name": "id", "type": "string", "nullable": false }, { "name": "v", "type": "int64" } ] }""", "s");

        var empty = temp.Write("e.csv", "id,v\nA,1\n,2\n");
        var error = Assert.Throws<IngestionException>(() => Convert(temp, empty, new ConversionOptions { Schema = schema }));
        Assert.Contains("row 2 (line 3), column 'id': field 'id' is required", error.Message);

        var missing = temp.Write("m.csv", "v\n1\n");
        error = Assert.Throws<IngestionException>(() => Convert(temp, missing, new ConversionOptions { Schema = schema }));
        Assert.Contains("Field 'id' is required", error.Message);
    }

    [Fact]
    public void Mapping_mistakes_are_refused_before_anything_is_written()
    {
        using var temp = new TempDirectory();
        var csv = temp.Write("c.csv", "F_NAME,L_NAME\nAda,Lovelace\n");

        var typo = Assert.Throws<IngestionException>(() => Convert(temp, csv, Xdm(ProfileSchema(), new Dictionary<string, string?> { ["F_NAME"] = "person.name.fristName" })));
        Assert.Contains("'person.name.fristName', which is not a field of the schema", typo.Message);
        Assert.Contains("Did you mean 'person.name.firstName'", typo.Message);

        var container = Assert.Throws<IngestionException>(() => Convert(temp, csv, Xdm(ProfileSchema(), new Dictionary<string, string?> { ["F_NAME"] = "person.name" })));
        Assert.Contains("of type object", container.Message);

        var missing = Assert.Throws<IngestionException>(() => Convert(temp, csv, Xdm(ProfileSchema(), new Dictionary<string, string?> { ["FIRST"] = "person.name.firstName" })));
        Assert.Contains("-Mapping names column 'FIRST'", missing.Message);

        var twice = Assert.Throws<IngestionException>(() => Convert(temp, csv, Xdm(ProfileSchema(), new Dictionary<string, string?> { ["F_NAME"] = "_id", ["L_NAME"] = "_id" })));
        Assert.Contains("two sources to '_id'", twice.Message);
        Assert.Single(Directory.GetFiles(temp.Path));
    }

    [Fact]
    public void Structural_csv_errors_name_the_line()
    {
        using var temp = new TempDirectory();
        var short_ = temp.Write("short.csv", "a,b\n1,2\n3\n");
        var error = Assert.Throws<IngestionException>(() => Convert(temp, short_));
        Assert.Contains("row 2 (line 3): the row has 1 values but the header has 2 columns", error.Message);

        var duplicate = temp.Write("dup.csv", "a,a\n1,2\n");
        error = Assert.Throws<IngestionException>(() => Convert(temp, duplicate));
        Assert.Contains("names column 'a' more than once", error.Message);
    }

    [Fact]
    public void Delimiter_encoding_and_blank_lines()
    {
        using var temp = new TempDirectory();
        var latin = temp.Write("latin.csv", System.Text.Encoding.Latin1.GetBytes("name;city\nJosé;Montréal\n\nZoë;Köln\n"));

        var result = Convert(temp, latin, new ConversionOptions { Delimiter = ';', Encoding = ConversionOptions.ResolveEncoding("iso-8859-1") });

        Assert.Equal(2, result.Rows);
        Assert.Equal(["Montréal", "Köln"], Rows(result.Path).Select(r => r["city"]));

        var tsv = temp.Write("t.tsv", "a\tb\n1\tx\n");
        Assert.Equal(1L, Rows(Convert(temp, tsv, name: "t.parquet").Path)[0]["a"]);
    }

    [Fact]
    public void Small_row_groups_split_the_file_and_an_existing_destination_needs_overwrite()
    {
        using var temp = new TempDirectory();
        var lines = Enumerable.Range(1, 5000).Select(i => $"{i},name{i % 7},{i * 0.5}");
        var csv = temp.Write("many.csv", "id,name,half\n" + string.Join('\n', lines) + "\n");

        var result = Convert(temp, csv, new ConversionOptions { RowGroupSize = 16 * 1024 });
        Assert.True(result.RowGroups > 2, $"{result.RowGroups} row groups");
        Assert.Equal(5000, Rows(result.Path).Count);

        var exists = Assert.Throws<IngestionException>(() => Convert(temp, csv));
        Assert.Contains("already exists; use -Force", exists.Message);
        var replaced = Convert(temp, csv, new ConversionOptions { Overwrite = true });
        Assert.Equal(1, replaced.RowGroups);
    }

    [Fact]
    public void A_cancelled_conversion_leaves_nothing_behind()
    {
        using var temp = new TempDirectory();
        var csv = temp.Write("big.csv", "id\n" + string.Join('\n', Enumerable.Range(0, 200_000)) + "\n");
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        Assert.ThrowsAny<OperationCanceledException>(() => ParquetConverter.ConvertFile(csv, temp.File("x.parquet"), null, new ConversionOptions(), null, cancelled.Token));

        Assert.Equal([csv], Directory.GetFiles(temp.Path));
    }
}
