using System.Text.Json.Nodes;
using Ingestion.Core.Conversion;
using Ingestion.Core.Models;
using Ingestion.Core.Tests.Support;
using Ingestion.Parquet;

namespace Ingestion.Core.Tests.Conversion;

/// <summary>Paths of the sample and reference files, and short ways to convert and read back.</summary>
internal static class ConversionFixtures
{
    private static readonly Lazy<string> root = new(() => Path.GetDirectoryName(Path.GetDirectoryName(Samples.Profiles))!);

    public static string RepositoryRoot => root.Value;

    /// <summary>The shared third-party data, next to the repository (../shared/data).</summary>
    public static string SharedData(params string[] parts) =>
        Path.Combine([Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared", "data")), .. parts]);

    public static string CrmCsv => SharedData("experience-platform-etl-reference", "CRM_profiles.csv");

    public static string CrmJson => SharedData("experience-platform-etl-reference", "CRM_profiles.json");

    public static JsonObject BuiltInSchema(string name) =>
        (JsonObject)JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryRoot, "src", "Ingestion.Emulator", "BuiltIn", name + ".schema.json")))!;

    public static DataSchema ProfileSchema() => XdmSchemaReader.Read(BuiltInSchema("demo-profile"), Samples.ProfileSchema);

    public static DataSchema LoyaltySchema() => XdmSchemaReader.Read(BuiltInSchema("demo-loyalty-csv"), Samples.LoyaltySchema);

    public static ConversionOptions Xdm(DataSchema schema, IReadOnlyDictionary<string, string?>? mapping = null) => new()
    {
        Schema = schema,
        SchemaSource = "test schema",
        SchemaFromXdm = true,
        Mapping = mapping,
    };

    public static ParquetConversionResult Convert(TempDirectory temp, string source, ConversionOptions? options = null, string name = "out.parquet") =>
        ParquetConverter.ConvertFile(source, temp.File(name), null, options ?? new ConversionOptions());

    public static List<Dictionary<string, object?>> Rows(string parquet) => ParquetReader.ReadAllRows(parquet);

    public static ParquetSchema SchemaOf(string parquet)
    {
        using var reader = ParquetReader.Open(parquet);
        return reader.Schema;
    }

    public static object? At(Dictionary<string, object?> row, string dottedPath)
    {
        object? value = row;
        foreach (var part in dottedPath.Split('.'))
        {
            value = value is Dictionary<string, object?> map ? map.GetValueOrDefault(part) : null;
        }

        return value;
    }
}
