using System.Text;
using System.Text.Json;
using Ingestion.Core.Errors;

namespace Ingestion.Core.Conversion;

/// <summary>
/// The schema file format of <c>ConvertTo-IngestParquet -Schema</c>:
/// <code>
/// { "fields": [
///     { "name": "id", "type": "int64", "nullable": false },
///     { "name": "person", "type": "struct", "fields": [ { "name": "firstName", "type": "string" } ] },
///     { "name": "tags", "type": "list", "element": { "type": "string" } },
///     { "name": "scores", "type": "map", "value": { "type": "double" } } ] }
/// </code>
/// Types: boolean, int8, int16, int32, int64, double, string, date, timestamp, struct, list, map (keys are strings).
/// XDM and common spellings are accepted too (integer, long, int, short, byte, number, float, bool, date-time,
/// object, array). <c>nullable</c> defaults to true; <c>description</c> is allowed and ignored.
/// </summary>
public static class SchemaJson
{
    private static readonly Dictionary<string, DataType> TypeNames = new(StringComparer.OrdinalIgnoreCase)
    {
        ["boolean"] = DataType.Boolean,
        ["bool"] = DataType.Boolean,
        ["int8"] = DataType.Int8,
        ["byte"] = DataType.Int8,
        ["int16"] = DataType.Int16,
        ["short"] = DataType.Int16,
        ["int32"] = DataType.Int32,
        ["int"] = DataType.Int32,
        ["int64"] = DataType.Int64,
        ["long"] = DataType.Int64,
        ["integer"] = DataType.Int64,
        ["double"] = DataType.Double,
        ["number"] = DataType.Double,
        ["float"] = DataType.Double,
        ["string"] = DataType.String,
        ["text"] = DataType.String,
        ["date"] = DataType.Date,
        ["timestamp"] = DataType.Timestamp,
        ["date-time"] = DataType.Timestamp,
        ["datetime"] = DataType.Timestamp,
        ["struct"] = DataType.Struct,
        ["object"] = DataType.Struct,
        ["list"] = DataType.List,
        ["array"] = DataType.List,
        ["map"] = DataType.Map,
    };

    private static readonly HashSet<string> FieldKeys = new(StringComparer.Ordinal) { "name", "type", "nullable", "fields", "element", "value", "description" };

    /// <summary>The canonical names, as the error message lists them.</summary>
    public const string CanonicalTypes = "boolean, int8, int16, int32, int64, double, string, date, timestamp, struct, list, map";

    public static string NameOf(DataType type) => type switch
    {
        DataType.Boolean => "boolean",
        DataType.Int8 => "int8",
        DataType.Int16 => "int16",
        DataType.Int32 => "int32",
        DataType.Int64 => "int64",
        DataType.Double => "double",
        DataType.String => "string",
        DataType.Date => "date",
        DataType.Timestamp => "timestamp",
        DataType.Struct => "struct",
        DataType.List => "list",
        _ => "map",
    };

    public static DataSchema ReadFile(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new IngestionException(IngestErrorKind.InvalidArgument, string.Format(Messages.SchemaFileUnreadable, path, ex.Message), ex) { Target = path };
        }

        return Parse(text, path);
    }

    /// <summary>Reads a schema document; <paramref name="source"/> names it in errors.</summary>
    public static DataSchema Parse(string json, string source)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException ex)
        {
            throw Error(source, string.Format(Messages.SchemaFileNotJson, source, ex.Message));
        }

        using (document)
        {
            var root = document.RootElement;
            var fields = root.ValueKind switch
            {
                JsonValueKind.Object when root.TryGetProperty("fields", out var list) => list,
                JsonValueKind.Array => root,
                _ => throw Error(source, string.Format(Messages.SchemaFileNoFields, source)),
            };
            var parsed = ReadFields(fields, source, string.Empty);
            if (parsed.Count == 0)
            {
                throw Error(source, string.Format(Messages.SchemaFileNoFields, source));
            }

            return new DataSchema(parsed);
        }
    }

    public static string Write(DataSchema schema)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("fields");
            foreach (var field in schema.Fields)
            {
                WriteField(writer, field, withName: true);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void WriteField(Utf8JsonWriter writer, DataField field, bool withName)
    {
        writer.WriteStartObject();
        if (withName)
        {
            writer.WriteString("name", field.Name);
        }

        writer.WriteString("type", NameOf(field.Type));
        if (!field.Nullable)
        {
            writer.WriteBoolean("nullable", false);
        }

        switch (field.Type)
        {
            case DataType.Struct:
                writer.WriteStartArray("fields");
                foreach (var child in field.Fields)
                {
                    WriteField(writer, child, withName: true);
                }

                writer.WriteEndArray();
                break;
            case DataType.List:
                writer.WritePropertyName("element");
                WriteField(writer, field.Element!, withName: false);
                break;
            case DataType.Map:
                writer.WritePropertyName("value");
                WriteField(writer, field.Value!, withName: false);
                break;
        }

        writer.WriteEndObject();
    }

    private static List<DataField> ReadFields(JsonElement list, string source, string parent)
    {
        if (list.ValueKind != JsonValueKind.Array)
        {
            throw Error(source, string.Format(Messages.SchemaFileFieldsNotArray, source, parent.Length == 0 ? "the schema" : $"field '{parent}'"));
        }

        var fields = new List<DataField>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var index = 0;
        foreach (var item in list.EnumerateArray())
        {
            index++;
            var name = item.ValueKind == JsonValueKind.Object && item.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString() : null;
            if (string.IsNullOrEmpty(name))
            {
                throw Error(source, string.Format(Messages.SchemaFileFieldWithoutName, source, index, parent.Length == 0 ? "the schema" : $"'{parent}'"));
            }

            var path = parent.Length == 0 ? name : parent + "." + name;
            if (!seen.Add(name))
            {
                throw Error(source, string.Format(Messages.SchemaFileDuplicateField, source, path));
            }

            fields.Add(ReadField(item, name, path, source));
        }

        return fields;
    }

    private static DataField ReadField(JsonElement item, string name, string path, string source)
    {
        if (item.ValueKind != JsonValueKind.Object)
        {
            throw Error(source, string.Format(Messages.SchemaFileFieldNotObject, source, path));
        }

        foreach (var property in item.EnumerateObject())
        {
            if (!FieldKeys.Contains(property.Name))
            {
                throw Error(source, string.Format(Messages.SchemaFileUnknownKey, source, path, property.Name));
            }
        }

        var typeName = item.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
        if (typeName is null || !TypeNames.TryGetValue(typeName, out var type))
        {
            throw Error(source, string.Format(Messages.SchemaFileUnknownType, source, path, typeName ?? "(none)", CanonicalTypes));
        }

        var nullable = true;
        if (item.TryGetProperty("nullable", out var n))
        {
            nullable = n.ValueKind switch
            {
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                _ => throw Error(source, string.Format(Messages.SchemaFileNullableNotBoolean, source, path)),
            };
        }

        switch (type)
        {
            case DataType.Struct:
                if (!item.TryGetProperty("fields", out var children))
                {
                    throw Error(source, string.Format(Messages.SchemaFileStructWithoutFields, source, path));
                }

                var fields = ReadFields(children, source, path);
                if (fields.Count == 0)
                {
                    throw Error(source, string.Format(Messages.SchemaFileStructWithoutFields, source, path));
                }

                return DataField.Struct(name, fields, nullable);
            case DataType.List:
                return DataField.List(name, ReadInner(item, "element", "element", path, source), nullable);
            case DataType.Map:
                return DataField.Map(name, ReadInner(item, "value", "value", path, source), nullable);
            default:
                return new DataField(name, type, nullable);
        }
    }

    private static DataField ReadInner(JsonElement item, string key, string name, string path, string source)
    {
        if (!item.TryGetProperty(key, out var inner) || inner.ValueKind != JsonValueKind.Object)
        {
            throw Error(source, string.Format(Messages.SchemaFileMissingInner, source, path, key));
        }

        return ReadField(inner, name, $"{path}.{key}", source);
    }

    private static IngestionException Error(string source, string message) =>
        new(IngestErrorKind.InvalidArgument, message) { Target = source };
}
