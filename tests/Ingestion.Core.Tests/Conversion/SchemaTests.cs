using System.Text.Json.Nodes;
using Ingestion.Core.Conversion;
using Ingestion.Core.Errors;
using Ingestion.Core.Tests.Support;
using Ingestion.Parquet;
using static Ingestion.Core.Tests.Conversion.ConversionFixtures;

namespace Ingestion.Core.Tests.Conversion;

/// <summary>The schema file format and the XDM-to-Parquet mapping.</summary>
public class SchemaTests
{
    [Fact]
    public void The_schema_file_format_reads_every_type_and_writes_back_the_same()
    {
        const string json = """
            {
              "fields": [
                { "name": "id", "type": "int64", "nullable": false },
                { "name": "flag", "type": "bool" },
                { "name": "small", "type": "short" },
                { "name": "score", "type": "number", "description": "ignored" },
                { "name": "born", "type": "date" },
                { "name": "seen", "type": "date-time" },
                { "name": "person", "type": "struct", "fields": [ { "name": "name", "type": "string" } ] },
                { "name": "tags", "type": "list", "element": { "type": "string" } },
                { "name": "scores", "type": "map", "value": { "type": "double" } }
              ]
            }
            """;

        var schema = SchemaJson.Parse(json, "s.json");

        Assert.Equal(["id", "flag", "small", "score", "born", "seen", "person", "tags", "scores"], schema.Fields.Select(f => f.Name));
        Assert.Equal(
            [DataType.Int64, DataType.Boolean, DataType.Int16, DataType.Double, DataType.Date, DataType.Timestamp, DataType.Struct, DataType.List, DataType.Map],
            schema.Fields.Select(f => f.Type));
        Assert.False(schema.Fields[0].Nullable);
        Assert.Equal("list<string>", schema.Field("tags")!.TypeName);
        Assert.Equal("map<string, double>", schema.Field("scores")!.TypeName);

        var again = SchemaJson.Parse(schema.ToJson(), "again");
        Assert.Equal(schema.ToJson(), again.ToJson());
        Assert.Equal(schema.Describe(), again.Describe());
    }

    [Theory]
    [InlineData("""{ "fields": [ { "name": "a", "type": "strng" } ] }""", "field 'a' has type 'strng'")]
    [InlineData("""{ "fields": [ { "name": "a", "type": "string", "nulable": false } ] }""", "unknown key \"nulable\"")]
    [InlineData("""{ "fields": [ { "name": "a", "type": "string" }, { "name": "a", "type": "int64" } ] }""", "field 'a' is defined twice")]
    [InlineData("""{ "fields": [ { "name": "p", "type": "struct", "fields": [ { "type": "string" } ] } ] }""", "field 1 of 'p' has no \"name\"")]
    [InlineData("""{ "fields": [ { "name": "t", "type": "list" } ] }""", "field 't' needs \"element\"")]
    [InlineData("""{ "fields": [] }""", "at least one field")]
    [InlineData("""{ "fields": [ { "name": "a", "type": "string" } """, "not valid JSON")]
    public void A_wrong_schema_file_is_refused_naming_the_field(string json, string expected)
    {
        var error = Assert.Throws<IngestionException>(() => SchemaJson.Parse(json, "bad.json"));

        Assert.Equal(IngestErrorKind.InvalidArgument, error.Kind);
        Assert.Contains("bad.json", error.Message);
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void The_demo_profile_xdm_schema_becomes_the_parquet_schema_aep_writes()
    {
        var schema = ProfileSchema();

        Assert.Equal(["_id", "person", "personalEmail", "mobilePhone", "homeAddress", "identityMap", "loyalty"], schema.Fields.Select(f => f.Name));
        Assert.All(schema.Leaves(), leaf => Assert.True(leaf.Field.Nullable));
        Assert.Equal(DataType.Date, schema.Find("person.birthDate")!.Type);
        Assert.Equal(["male", "female", "not_specified", "non_specific"], schema.Find("person.gender")!.Enum);
        Assert.Equal(DataType.Int64, schema.Find("loyalty.points")!.Type);
        Assert.Equal(DataType.Timestamp, schema.Find("loyalty.joined")!.Type);

        // identityMap: additionalProperties of arrays of {id, primary} is MAP<string, LIST<STRUCT>>.
        var identityMap = schema.Field("identityMap")!;
        Assert.Equal(DataType.Map, identityMap.Type);
        Assert.Equal(DataType.List, identityMap.Value!.Type);
        Assert.Equal(["id", "primary"], identityMap.Value.Element!.Fields.Select(f => f.Name));
        Assert.Equal(DataType.Boolean, identityMap.Value.Element.Fields[1].Type);

        var parquet = schema.ToParquet();
        var columns = parquet.Columns.ToDictionary(c => c.DottedPath);
        Assert.Equal(PhysicalType.Int64, columns["loyalty.points"].PhysicalType);
        Assert.Null(columns["loyalty.points"].LogicalType);
        Assert.Equal(LogicalType.Timestamp(TimeUnit.Micros, true), columns["loyalty.joined"].LogicalType);
        Assert.Equal(LogicalType.Date, columns["person.birthDate"].LogicalType);
        Assert.Equal(LogicalType.String, columns["_id"].LogicalType);
        Assert.Contains("identityMap.key_value.key", columns.Keys);
        Assert.Contains("identityMap.key_value.value.list.element.id", columns.Keys);
        Assert.Equal(PhysicalType.Boolean, columns["identityMap.key_value.value.list.element.primary"].PhysicalType);
        Assert.All(parquet.Fields, f => Assert.Equal(Repetition.Optional, f.Repetition));
    }

    [Fact]
    public void Xdm_integer_widths_number_maps_and_skipped_fields()
    {
        var document = (JsonObject)JsonNode.Parse("""
            {
              "$id": "x",
              "type": "object",
              "properties": {
                "a": { "type": "integer", "meta:xdmType": "int" },
                "b": { "type": "integer", "meta:xdmType": "short" },
                "c": { "type": "integer", "meta:xdmType": "byte" },
                "d": { "type": "integer" },
                "e": { "type": ["number", "null"] },
                "f": { "type": "object", "meta:xdmType": "map" },
                "g": { "type": "object" },
                "h": { "type": "array", "items": { "type": "string", "format": "date-time" } },
                "i": { "type": "unknown" },
                "j": { "$ref": "https://ns.adobe.com/xdm/common/address" },
                "_tenant": { "type": "object", "properties": { "x": { "type": "boolean" } } }
              }
            }
            """)!;
        var warnings = new List<string>();

        var schema = XdmSchemaReader.Read(document, "x", warnings);

        Assert.Equal(DataType.Int32, schema.Field("a")!.Type);
        Assert.Equal(DataType.Int16, schema.Field("b")!.Type);
        Assert.Equal(DataType.Int8, schema.Field("c")!.Type);
        Assert.Equal(DataType.Int64, schema.Field("d")!.Type);
        Assert.Equal(DataType.Double, schema.Field("e")!.Type);
        Assert.Equal("map<string, string>", schema.Field("f")!.TypeName);
        Assert.Null(schema.Field("g"));
        Assert.Equal("list<timestamp>", schema.Field("h")!.TypeName);
        Assert.Null(schema.Field("i"));
        Assert.Equal(DataType.Boolean, schema.Find("_tenant.x")!.Type);
        Assert.Null(schema.Field("j"));
        Assert.Equal(3, warnings.Count);
        Assert.Contains(warnings, w => w.Contains("'j' refers to 'https://ns.adobe.com/xdm/common/address'"));
        Assert.Contains(warnings, w => w.Contains("'g'") && w.Contains("without fields"));
        Assert.Contains(warnings, w => w.Contains("'i'") && w.Contains("unknown"));

        var columns = schema.ToParquet().Columns.ToDictionary(c => c.DottedPath);
        Assert.Equal(PhysicalType.Int32, columns["a"].PhysicalType);
        Assert.Equal(LogicalType.Integer(16), columns["b"].LogicalType);
        Assert.Equal(LogicalType.Integer(8), columns["c"].LogicalType);
    }

    [Fact]
    public async Task A_datasets_schema_comes_from_the_registry_through_catalog()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var session = await emulator.ConnectAsync();
        var dataset = await session.ProfileDatasetAsync();

        var xdm = await session.Schemas.GetDatasetSchemaAsync(dataset.Id, CancellationToken.None);
        var schema = XdmSchemaReader.Read(xdm);

        Assert.Equal(ProfileSchema().ToJson(), schema.ToJson());
    }
}
