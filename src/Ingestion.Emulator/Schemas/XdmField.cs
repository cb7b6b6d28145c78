using System.Text.Json;

namespace Ingestion.Emulator.Schemas;

internal enum XdmKind
{
    Any,
    String,
    Number,
    Integer,
    Boolean,
    Object,
    Array,
}

/// <summary>
/// What ingestion needs to know about one schema field: its JSON type, the XDM refinements that change
/// conversion (dates, integer widths, enums) and, for objects, which keys are allowed.
/// </summary>
internal sealed class XdmField
{
    private static readonly Dictionary<string, XdmField> NoProperties = new(StringComparer.Ordinal);

    public XdmKind Kind { get; private init; }
    public string? XdmType { get; private init; }
    public bool IsDate { get; private init; }
    public bool IsDateTime { get; private init; }
    public long MinInteger { get; private init; } = long.MinValue;
    public long MaxInteger { get; private init; } = long.MaxValue;
    public IReadOnlyList<string>? Enum { get; private init; }
    public IReadOnlyDictionary<string, XdmField> Properties { get; private init; } = NoProperties;

    /// <summary>Maps (<c>meta:xdmType: map</c>) and <c>additionalProperties</c> accept keys the schema does not name.</summary>
    public bool AcceptsAnyKey { get; private init; }

    /// <summary>The schema of a map's values or an array's items; null accepts anything.</summary>
    public XdmField? Values { get; private init; }

    public string Describe() => Kind switch
    {
        XdmKind.String when IsDate => "date",
        XdmKind.String when IsDateTime => "date-time",
        XdmKind.Integer => XdmType ?? "integer",
        XdmKind.Object when AcceptsAnyKey => "map",
        _ => Kind.ToString().ToLowerInvariant(),
    };

    /// <summary>Compiles a field definition; throws <see cref="SchemaDefinitionException"/> naming the path on anything it cannot honour.</summary>
    public static XdmField Parse(JsonElement definition, string path)
    {
        if (definition.ValueKind != JsonValueKind.Object)
        {
            throw new SchemaDefinitionException($"'{path}' must be a JSON object describing a field.");
        }

        if (definition.TryGetProperty("$ref", out _) || definition.TryGetProperty("allOf", out _))
        {
            throw new SchemaDefinitionException(
                $"'{path}' uses $ref/allOf. The emulator's schema registry does not resolve references: define the fields inline under 'properties'.");
        }

        var xdmType = GetString(definition, "meta:xdmType");
        var format = GetString(definition, "format");
        var kind = ParseKind(definition, path);

        return kind switch
        {
            XdmKind.Object => ParseObject(definition, path, xdmType),
            XdmKind.Array => new XdmField
            {
                Kind = XdmKind.Array,
                XdmType = xdmType,
                Values = definition.TryGetProperty("items", out var items) && items.ValueKind == JsonValueKind.Object
                    ? Parse(items, path + "[]")
                    : null,
            },
            XdmKind.Integer => ParseInteger(path, xdmType),
            XdmKind.String => new XdmField
            {
                Kind = XdmKind.String,
                XdmType = xdmType,
                IsDate = format == "date" || xdmType == "date",
                IsDateTime = format == "date-time" || xdmType == "date-time",
                Enum = ParseEnum(definition),
            },
            _ => new XdmField { Kind = kind, XdmType = xdmType },
        };
    }

    private static XdmKind ParseKind(JsonElement definition, string path)
    {
        string? type = null;
        if (definition.TryGetProperty("type", out var typeElement))
        {
            type = typeElement.ValueKind switch
            {
                JsonValueKind.String => typeElement.GetString(),

                // ["string", "null"]: nullability changes nothing here, every field is optional.
                JsonValueKind.Array => typeElement.EnumerateArray()
                    .Where(t => t.ValueKind == JsonValueKind.String && t.GetString() != "null")
                    .Select(t => t.GetString())
                    .SingleOrDefault(),
                _ => throw new SchemaDefinitionException($"'{path}': 'type' must be a string."),
            };
        }

        if (type is null)
        {
            if (definition.TryGetProperty("properties", out _) || definition.TryGetProperty("additionalProperties", out _))
            {
                return XdmKind.Object;
            }

            return definition.TryGetProperty("items", out _) ? XdmKind.Array : XdmKind.Any;
        }

        return type switch
        {
            "string" => XdmKind.String,
            "number" => XdmKind.Number,
            "integer" => XdmKind.Integer,
            "boolean" => XdmKind.Boolean,
            "object" => XdmKind.Object,
            "array" => XdmKind.Array,
            _ => throw new SchemaDefinitionException(
                $"'{path}': type '{type}' is not one of string, number, integer, boolean, object, array."),
        };
    }

    private static XdmField ParseObject(JsonElement definition, string path, string? xdmType)
    {
        var properties = new Dictionary<string, XdmField>(StringComparer.Ordinal);
        if (definition.TryGetProperty("properties", out var propertiesElement))
        {
            if (propertiesElement.ValueKind != JsonValueKind.Object)
            {
                throw new SchemaDefinitionException($"'{path}': 'properties' must be an object.");
            }

            foreach (var property in propertiesElement.EnumerateObject())
            {
                properties[property.Name] = Parse(property.Value, path.Length == 0 ? property.Name : $"{path}.{property.Name}");
            }
        }

        var acceptsAnyKey = xdmType == "map";
        XdmField? values = null;
        if (definition.TryGetProperty("additionalProperties", out var additional))
        {
            if (additional.ValueKind == JsonValueKind.Object)
            {
                acceptsAnyKey = true;
                values = Parse(additional, path + "{}");
            }
            else if (additional.ValueKind == JsonValueKind.True)
            {
                acceptsAnyKey = true;
            }
        }

        return new XdmField
        {
            Kind = XdmKind.Object,
            XdmType = xdmType,
            Properties = properties,
            AcceptsAnyKey = acceptsAnyKey,
            Values = values,
        };
    }

    private static XdmField ParseInteger(string path, string? xdmType) => xdmType switch
    {
        null or "long" => new XdmField { Kind = XdmKind.Integer, XdmType = xdmType },
        "int" => new XdmField { Kind = XdmKind.Integer, XdmType = xdmType, MinInteger = int.MinValue, MaxInteger = int.MaxValue },
        "short" => new XdmField { Kind = XdmKind.Integer, XdmType = xdmType, MinInteger = short.MinValue, MaxInteger = short.MaxValue },
        "byte" => new XdmField { Kind = XdmKind.Integer, XdmType = xdmType, MinInteger = sbyte.MinValue, MaxInteger = sbyte.MaxValue },
        _ => throw new SchemaDefinitionException($"'{path}': meta:xdmType '{xdmType}' does not fit an integer field (use long, int, short or byte)."),
    };

    private static IReadOnlyList<string>? ParseEnum(JsonElement definition)
    {
        if (!definition.TryGetProperty("enum", out var values) || values.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        var list = new List<string>();
        foreach (var value in values.EnumerateArray())
        {
            if (value.ValueKind != JsonValueKind.String)
            {
                return null;
            }

            list.Add(value.GetString()!);
        }

        return list;
    }

    private static string? GetString(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}

/// <summary>A schema the emulator cannot use for validation; the message names the field.</summary>
internal sealed class SchemaDefinitionException(string message) : Exception(message);
