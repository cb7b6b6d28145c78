using System.Text.Json.Nodes;
using Ingestion.Core.Errors;
using Ingestion.Core.Models;

namespace Ingestion.Core.Conversion;

/// <summary>
/// Turns an XDM JSON Schema (as the Schema Registry returns it fully resolved) into the schema a conversion writes,
/// typed the way AEP's own Parquet writers type XDM: <c>integer</c>/<c>long</c> INT64, <c>int</c> INT32,
/// <c>short</c>/<c>byte</c> INT32 with INT(16)/INT(8), <c>number</c> DOUBLE, <c>string</c> STRING,
/// <c>date</c> DATE, <c>date-time</c> TIMESTAMP(MICROS, UTC), objects structs, arrays lists, maps
/// (<c>meta:xdmType: map</c> or <c>additionalProperties</c>) MAP&lt;string, value&gt;. Every field is optional.
/// </summary>
public static class XdmSchemaReader
{
    private const int MaxDepth = 64;

    public static DataSchema Read(XdmSchema schema, List<string>? warnings = null) => Read(schema.Document, schema.Id, warnings);

    /// <summary>Reads the fields of a schema document; fields that cannot be written are left out with a warning.</summary>
    public static DataSchema Read(JsonObject document, string source, List<string>? warnings = null)
    {
        warnings ??= [];
        var properties = CollectProperties(document, string.Empty, warnings);
        var fields = new List<DataField>();
        foreach (var (name, definition) in properties)
        {
            if (ReadField(name, definition, name, source, warnings, 0) is { } field)
            {
                fields.Add(field);
            }
        }

        if (fields.Count == 0)
        {
            throw new IngestionException(IngestErrorKind.InvalidArgument, string.Format(Messages.XdmSchemaWithoutFields, source)) { Target = source };
        }

        return new DataSchema(fields);
    }

    /// <summary>The properties of an object definition, including those an <c>allOf</c> lists inline.</summary>
    private static List<(string Name, JsonNode? Definition)> CollectProperties(JsonObject definition, string path, List<string> warnings)
    {
        var result = new List<(string, JsonNode?)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        void Add(JsonObject? holder)
        {
            if (holder?["properties"] is JsonObject properties)
            {
                foreach (var (name, value) in properties)
                {
                    if (seen.Add(name))
                    {
                        result.Add((name, value));
                    }
                }
            }
        }

        Add(definition);
        if (definition["allOf"] is JsonArray parts)
        {
            foreach (var part in parts)
            {
                if (part is JsonObject { } reference && reference["properties"] is null && String(reference, "$ref") is { } target)
                {
                    // The full (xed-full) form resolves references; one left means fields the conversion cannot see.
                    warnings.Add(string.Format(Messages.XdmReferenceUnresolved, path.Length == 0 ? "(schema)" : path, target));
                }

                Add(part as JsonObject);
            }
        }

        return result;
    }

    private static DataField? ReadField(string name, JsonNode? node, string path, string source, List<string> warnings, int depth)
    {
        if (node is not JsonObject definition)
        {
            warnings.Add(string.Format(Messages.XdmFieldSkipped, path, "its definition is not a JSON object"));
            return null;
        }

        if (depth > MaxDepth)
        {
            throw new IngestionException(IngestErrorKind.InvalidArgument, string.Format(Messages.XdmSchemaTooDeep, source, path, MaxDepth)) { Target = source };
        }

        var xdmType = String(definition, "meta:xdmType");
        var format = String(definition, "format");
        var type = TypeOf(definition);
        switch (type)
        {
            case "object":
                {
                    if (xdmType == "map" || definition["additionalProperties"] is JsonObject || (definition["additionalProperties"] is JsonValue v && v.TryGetValue<bool>(out var any) && any && definition["properties"] is null))
                    {
                        var value = definition["additionalProperties"] is JsonObject values
                            ? ReadField("value", values, path + "{}", source, warnings, depth + 1)
                            : new DataField("value", DataType.String);
                        return value is null ? null : DataField.Map(name, value);
                    }

                    var children = new List<DataField>();
                    foreach (var (childName, childDefinition) in CollectProperties(definition, path, warnings))
                    {
                        if (ReadField(childName, childDefinition, path + "." + childName, source, warnings, depth + 1) is { } child)
                        {
                            children.Add(child);
                        }
                    }

                    if (children.Count == 0)
                    {
                        warnings.Add(string.Format(Messages.XdmFieldSkipped, path, "it is an object without fields"));
                        return null;
                    }

                    return DataField.Struct(name, children);
                }

            case "array":
                {
                    var element = definition["items"] is JsonObject items
                        ? ReadField("element", items, path + "[]", source, warnings, depth + 1)
                        : new DataField("element", DataType.String);
                    return element is null ? null : DataField.List(name, element);
                }

            case "integer":
                return new DataField(name, xdmType switch
                {
                    "int" => DataType.Int32,
                    "short" => DataType.Int16,
                    "byte" => DataType.Int8,
                    _ => DataType.Int64,
                });

            case "number":
                return new DataField(name, xdmType is "int" ? DataType.Int32 : xdmType is "long" ? DataType.Int64 : DataType.Double);

            case "boolean":
                return new DataField(name, DataType.Boolean);

            case "string":
                {
                    if (format == "date-time" || xdmType == "date-time")
                    {
                        return new DataField(name, DataType.Timestamp);
                    }

                    if (format == "date" || xdmType == "date")
                    {
                        return new DataField(name, DataType.Date);
                    }

                    return new DataField(name, DataType.String) { Enum = Enum(definition) };
                }

            default:
                warnings.Add(String(definition, "$ref") is { } target
                    ? string.Format(Messages.XdmReferenceUnresolved, path, target)
                    : string.Format(Messages.XdmFieldSkipped, path, type is null ? "it has no type" : $"its type '{type}' is not one XDM defines"));
                return null;
        }
    }

    /// <summary>The JSON type, from <c>type</c> (a name, or a list with "null") or, without one, from the keys present.</summary>
    private static string? TypeOf(JsonObject definition)
    {
        switch (definition["type"])
        {
            case JsonValue value when value.TryGetValue<string>(out var single):
                return single;
            case JsonArray list:
                return list.Select(t => t is JsonValue v && v.TryGetValue<string>(out var s) ? s : null).FirstOrDefault(s => s is not null and not "null");
        }

        return String(definition, "meta:xdmType") switch
        {
            "map" or "object" => "object",
            "array" => "array",
            "string" or "date" or "date-time" => "string",
            "int" or "long" or "short" or "byte" => "integer",
            "number" or "double" or "float" => "number",
            "boolean" => "boolean",
            _ when definition["properties"] is not null || definition["additionalProperties"] is not null || definition["allOf"] is not null => "object",
            _ when definition["items"] is not null => "array",
            _ => null,
        };
    }

    private static IReadOnlyList<string>? Enum(JsonObject definition)
    {
        if (definition["enum"] is not JsonArray values)
        {
            return null;
        }

        var list = new List<string>();
        foreach (var value in values)
        {
            if (value is not JsonValue v || !v.TryGetValue<string>(out var s))
            {
                return null;
            }

            list.Add(s);
        }

        return list;
    }

    private static string? String(JsonObject definition, string key) =>
        definition[key] is JsonValue value && value.TryGetValue<string>(out var s) ? s : null;
}
