using Ingestion.Core.Conversion;
using Ingestion.Core.Errors;
using Ingestion.Core.Tests.Support;
using static Ingestion.Core.Tests.Conversion.ConversionFixtures;

namespace Ingestion.Core.Tests.Conversion;

/// <summary>JSON files and pipeline objects to Parquet, through the row API.</summary>
public class RecordConversionTests
{
    [Fact]
    public void The_profiles_sample_converts_against_the_demo_profile_schema_with_its_identity_map()
    {
        using var temp = new TempDirectory();

        var result = Convert(temp, Samples.Profiles, Xdm(ProfileSchema()));

        Assert.Equal(Samples.ProfileRecords, result.Rows);
        Assert.Equal("Json", result.SourceFormat);
        Assert.Empty(result.UnmatchedColumns);
        var rows = Rows(result.Path);
        Assert.Equal(Samples.ProfileRecords, rows.Count);
        var ada = rows[0];
        Assert.Equal("profile-1000", ada["_id"]);
        Assert.Equal("Lovelace", At(ada, "person.name.lastName"));
        Assert.Equal(new DateOnly(1960, 1, 10), At(ada, "person.birthDate"));
        Assert.Equal(42445L, At(ada, "loyalty.points"));
        Assert.Equal(new DateTime(2010, 1, 1, 9, 10, 0, DateTimeKind.Utc), At(ada, "loyalty.joined"));
        var identities = Assert.IsType<Dictionary<object, object?>>(ada["identityMap"]);
        var crm = Assert.IsType<List<object?>>(identities["CRMID"]);
        var primary = Assert.IsType<Dictionary<string, object?>>(Assert.Single(crm));
        Assert.Equal("CRM1000", primary["id"]);
        Assert.Equal(true, primary["primary"]);
    }

    [Fact]
    public void The_crm_json_array_infers_nested_structs_and_lists()
    {
        using var temp = new TempDirectory();

        var result = Convert(temp, CrmJson);

        Assert.Equal(16, result.Rows);
        var schema = SchemaJson.Parse(result.Schema, "r");
        Assert.Equal(DataType.Int64, schema.Find("person.birthYear")!.Type);
        Assert.Equal(DataType.Date, schema.Find("person.birthDate")!.Type);
        Assert.Equal(DataType.Double, schema.Find("homeAddress._schema.latitude")!.Type);
        Assert.Equal("list<struct>", schema.Find("identityMap.ECID")!.TypeName.Replace("list<struct>", "list<struct>"));
        Assert.Equal(["id", "primary"], schema.Find("identityMap.ECID")!.Element!.Fields.Select(f => f.Name));
        var first = Rows(result.Path)[0];
        var ecids = Assert.IsType<List<object?>>(At(first, "identityMap.ECID"));
        Assert.Equal(2, ecids.Count);
        Assert.Equal("55019962992006103186215643814973128178", ((Dictionary<string, object?>)ecids[1]!)["id"]);
    }

    [Fact]
    public void The_crm_json_against_the_demo_profile_reports_what_the_schema_lacks()
    {
        using var temp = new TempDirectory();

        var result = Convert(temp, CrmJson, Xdm(ProfileSchema()));

        Assert.Equal(16, result.Rows);
        Assert.Contains("person.name.courtesyTitle", result.UnmatchedColumns);
        Assert.Contains("person.birthYear", result.UnmatchedColumns);
        Assert.Contains("homePhone", result.UnmatchedColumns);
        Assert.Contains("homeAddress.street1", result.UnmatchedColumns);
        Assert.Contains(result.Warnings, w => w.StartsWith("Field 'homePhone' (16 record(s), first in record 1) was left out", StringComparison.Ordinal));
        var first = Rows(result.Path)[0];
        Assert.Equal("Ewart", At(first, "person.name.firstName"));
        var identities = Assert.IsType<Dictionary<object, object?>>(first["identityMap"]);
        Assert.Equal(["CRMID", "ECID", "LOYALTYID"], identities.Keys.Cast<string>().Order());
    }

    [Fact]
    public void A_type_conflict_in_the_sample_fails_naming_record_and_field_unless_strings_are_allowed()
    {
        using var temp = new TempDirectory();
        var jsonl = temp.Write("c.jsonl", "{\"id\":1,\"zip\":12345}\n{\"id\":2,\"zip\":\"E5A\"}\n{\"id\":3,\"zip\":{\"code\":1}}\n");

        var error = Assert.Throws<IngestionException>(() => Convert(temp, jsonl));
        Assert.Equal(IngestErrorKind.InvalidData, error.Kind);
        Assert.Contains("record 2, field 'zip'", error.Message);
        Assert.Contains("integers from record 1 on, then strings", error.Message);

        var result = Convert(temp, jsonl, new ConversionOptions { AllowStringFallback = true });
        Assert.Equal(["12345", "E5A", "{\"code\":1}"], Rows(result.Path).Select(r => r["zip"]));
    }

    [Fact]
    public void Late_conflicts_and_late_fields_after_the_sample()
    {
        using var temp = new TempDirectory();
        var jsonl = temp.Write("late.jsonl", "{\"a\":1}\n{\"a\":2}\n{\"a\":2.5,\"b\":true}\n");

        var error = Assert.Throws<IngestionException>(() => Convert(temp, jsonl, new ConversionOptions { SampleSize = 2 }));
        Assert.Contains("record 3 (line 3), field 'a': expects int64 (inferred from the first records) but got the number 2.5", error.Message);

        var result = Convert(temp, jsonl, new ConversionOptions { SampleSize = 2, AllowStringFallback = true });
        Assert.Equal("inferred from all 3 records", result.SchemaSource);
        Assert.Equal([1.0, 2.0, 2.5], Rows(result.Path).Select(r => r["a"]));
        Assert.Equal(true, Rows(result.Path)[2]["b"]);

        var later = temp.Write("later.jsonl", "{\"a\":1}\n{\"a\":2}\n{\"a\":3,\"b\":true}\n");
        var reported = Convert(temp, later, new ConversionOptions { SampleSize = 2 }, "r.parquet");
        Assert.Equal(["b"], reported.UnmatchedColumns);
        Assert.Contains(reported.Warnings, w => w.Contains("-SampleSize"));
    }

    [Fact]
    public void Json_values_convert_by_aep_rules_against_a_schema()
    {
        using var temp = new TempDirectory();
        var jsonl = temp.Write("v.jsonl", """
            {"_id":"a","loyalty":{"points":"42","joined":1700000000000},"person":{"birthDate":"1990-05-06T10:00:00Z"}}
            {"_id":"b","loyalty":{"points":7.0}}

            """);

        var rows = Rows(Convert(temp, jsonl, Xdm(ProfileSchema())).Path);

        Assert.Equal(42L, At(rows[0], "loyalty.points"));
        Assert.Equal(DateTime.UnixEpoch.AddMilliseconds(1700000000000), At(rows[0], "loyalty.joined"));
        Assert.Equal(new DateOnly(1990, 5, 6), At(rows[0], "person.birthDate"));
        Assert.Equal(7L, At(rows[1], "loyalty.points"));

        var bad = temp.Write("bad.jsonl", "{\"_id\":\"a\"}\n{\"_id\":5}\n");
        var error = Assert.Throws<IngestionException>(() => Convert(temp, bad, Xdm(ProfileSchema()), "bad.parquet"));
        Assert.Contains("record 2 (line 2), field '_id': expects string but got the number 5", error.Message);
        Assert.Contains("-AllowStringFallback", error.Message);

        var list = temp.Write("list.jsonl", "{\"identityMap\":{\"ECID\":\"not a list\"}}\n");
        error = Assert.Throws<IngestionException>(() => Convert(temp, list, Xdm(ProfileSchema()), "list.parquet"));
        Assert.Contains("field 'identityMap.ECID': expects array", error.Message);
    }

    [Fact]
    public void Flat_json_keys_find_nested_fields_and_mapping_moves_them()
    {
        using var temp = new TempDirectory();
        var jsonl = temp.Write("flat.jsonl", "{\"firstName\":\"Ada\",\"F_LAST\":\"Lovelace\",\"tier\":\"gold\",\"extra\":1}\n");

        var result = Convert(temp, jsonl, Xdm(ProfileSchema(), new Dictionary<string, string?> { ["F_LAST"] = "person.name.lastName" }));

        var row = Rows(result.Path)[0];
        Assert.Equal("Ada", At(row, "person.name.firstName"));
        Assert.Equal("Lovelace", At(row, "person.name.lastName"));
        Assert.Equal("gold", At(row, "loyalty.tier"));
        Assert.Equal(["extra"], result.UnmatchedColumns);
        Assert.Contains("firstName -> person.name.firstName", result.MatchedColumns);
    }

    [Fact]
    public void Pipeline_objects_round_trip_with_dates_decimals_guids_lists_and_nulls()
    {
        using var temp = new TempDirectory();
        var id = Guid.NewGuid();
        var when = new DateTimeOffset(2024, 5, 31, 12, 30, 0, TimeSpan.FromHours(2));
        using var converter = new ObjectParquetConverter(temp.File("objects.parquet"), new ConversionOptions());
        converter.Add(new Dictionary<string, object?>
        {
            ["id"] = id,
            ["name"] = "Ada",
            ["when"] = when,
            ["local"] = new DateTime(2024, 1, 2, 3, 4, 5, DateTimeKind.Utc),
            ["day"] = new DateOnly(2024, 2, 29),
            ["amount"] = 12.5m,
            ["count"] = 3,
            ["tags"] = new List<object?> { "a", "b" },
            ["address"] = new Dictionary<string, object?> { ["city"] = "London", ["zip"] = null },
            ["missing"] = null,
        });
        converter.Add(new Dictionary<string, object?> { ["id"] = Guid.Empty, ["count"] = 4L, ["tags"] = new List<object?>() });

        var result = converter.Complete();

        Assert.Equal(2, result.Rows);
        Assert.Equal("pipeline", result.Source);
        var rows = Rows(result.Path);
        Assert.Equal(id.ToString(), rows[0]["id"]);
        Assert.Equal(when.UtcDateTime, rows[0]["when"]);
        Assert.Equal(new DateOnly(2024, 2, 29), rows[0]["day"]);
        Assert.Equal(12.5, rows[0]["amount"]);
        Assert.Equal(3L, rows[0]["count"]);
        Assert.Equal(["a", "b"], Assert.IsType<List<object?>>(rows[0]["tags"]));
        Assert.Equal("London", At(rows[0], "address.city"));
        Assert.Null(rows[0]["missing"]);
        Assert.Empty(Assert.IsType<List<object?>>(rows[1]["tags"]));
        Assert.Null(rows[1]["address"]);
    }

    [Fact]
    public void Pipeline_objects_after_the_sample_that_do_not_fit_fail_with_the_row()
    {
        using var temp = new TempDirectory();
        using var converter = new ObjectParquetConverter(temp.File("o.parquet"), new ConversionOptions { SampleSize = 2 });
        converter.Add(new Dictionary<string, object?> { ["n"] = 1 });
        converter.Add(new Dictionary<string, object?> { ["n"] = 2 });

        var error = Assert.Throws<IngestionException>(() => converter.Add(new Dictionary<string, object?> { ["n"] = "three" }));

        Assert.Contains("'pipeline', record 3, field 'n'", error.Message);
        Assert.Contains("first 2 objects", error.Message);
        converter.Dispose();
        Assert.Empty(Directory.GetFiles(temp.Path));
    }

    [Fact]
    public void Pipeline_objects_against_an_xdm_schema_with_mapping()
    {
        using var temp = new TempDirectory();
        using var converter = new ObjectParquetConverter(temp.File("o.parquet"), Xdm(ProfileSchema(), new Dictionary<string, string?> { ["Mail"] = "personalEmail.address" }));
        converter.Add(new Dictionary<string, object?> { ["FirstName"] = "Ada", ["Mail"] = "ada@example.com", ["Points"] = "12", ["Joined"] = new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc) });

        var result = converter.Complete();

        var row = Rows(result.Path)[0];
        Assert.Equal("Ada", At(row, "person.name.firstName"));
        Assert.Equal("ada@example.com", At(row, "personalEmail.address"));
        Assert.Equal(12L, At(row, "loyalty.points"));
        Assert.Equal(new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc), At(row, "loyalty.joined"));
        Assert.Empty(result.UnmatchedColumns);
    }

    [Fact]
    public void An_empty_input_is_refused()
    {
        using var temp = new TempDirectory();
        var empty = temp.Write("e.json", "[]");
        var error = Assert.Throws<IngestionException>(() => Convert(temp, empty));
        Assert.Contains("holds no records", error.Message);

        using var converter = new ObjectParquetConverter(temp.File("o.parquet"), new ConversionOptions());
        Assert.Throws<IngestionException>(() => converter.Complete());
    }
}
