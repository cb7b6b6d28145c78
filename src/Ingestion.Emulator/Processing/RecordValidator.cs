using System.Text.Json;
using Ingestion.Emulator.Schemas;

namespace Ingestion.Emulator.Processing;

/// <summary>
/// Checks one JSON record against a schema the way AEP's ingestion validates XDM: every field must be
/// defined (maps and additionalProperties excepted), values must have or convert to the field's type.
/// Every field is optional, so null is always fine.
/// </summary>
internal static class RecordValidator
{
    /// <summary>Enough to explain a record; a record with hundreds of wrong fields is one failed record either way.</summary>
    private const int MaxProblemsPerRecord = 10;

    public static List<FieldProblem> Validate(JsonElement record, XdmField schema)
    {
        var problems = new List<FieldProblem>();
        if (record.ValueKind != JsonValueKind.Object)
        {
            problems.Add(new FieldProblem(string.Empty, $"the record is a JSON {Kind(record)}, not an object"));
            return problems;
        }

        Visit(record, schema, string.Empty, problems);
        return problems;
    }

    private static void Visit(JsonElement value, XdmField field, string path, List<FieldProblem> problems)
    {
        if (problems.Count >= MaxProblemsPerRecord || value.ValueKind == JsonValueKind.Null || field.Kind == XdmKind.Any)
        {
            return;
        }

        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                if (field.Kind != XdmKind.Object)
                {
                    Add(problems, path, $"expects {XdmValues.Article(field)} but got an object");
                    return;
                }

                foreach (var property in value.EnumerateObject())
                {
                    var childPath = path.Length == 0 ? property.Name : $"{path}.{property.Name}";
                    if (field.Properties.TryGetValue(property.Name, out var child))
                    {
                        Visit(property.Value, child, childPath, problems);
                    }
                    else if (field.AcceptsAnyKey)
                    {
                        if (field.Values is { } values)
                        {
                            Visit(property.Value, values, childPath, problems);
                        }
                    }
                    else
                    {
                        Add(problems, childPath, "is not defined in the schema");
                    }
                }

                return;

            case JsonValueKind.Array:
                if (field.Kind != XdmKind.Array)
                {
                    Add(problems, path, $"expects {XdmValues.Article(field)} but got an array; arrays do not convert");
                    return;
                }

                var index = 0;
                foreach (var item in value.EnumerateArray())
                {
                    if (field.Values is { } items)
                    {
                        Visit(item, items, $"{path}[{index}]", problems);
                    }

                    index++;
                }

                return;

            case JsonValueKind.String:
                AddIfAny(problems, path, XdmValues.CheckString(field, value.GetString()!, fromCsv: false));
                return;

            case JsonValueKind.Number:
                AddIfAny(problems, path, value.TryGetInt64(out var whole)
                    ? XdmValues.CheckInteger(field, whole)
                    : CheckNonInt64(field, value.GetDouble()));
                return;

            case JsonValueKind.True:
            case JsonValueKind.False:
                if (field.Kind != XdmKind.Boolean)
                {
                    Add(problems, path, $"expects {XdmValues.Article(field)} but got the boolean {(value.ValueKind == JsonValueKind.True ? "true" : "false")}; booleans do not convert");
                }

                return;
        }
    }

    /// <summary>1e3 is a whole number even though it is not written as one; 1e30 is too big for any XDM integer.</summary>
    private static string? CheckNonInt64(XdmField field, double value)
    {
        if (field.Kind == XdmKind.Integer && Math.Floor(value) == value)
        {
            return value >= field.MinInteger && value <= field.MaxInteger
                ? null
                : $"expects an integer ({field.Describe()}) between {field.MinInteger} and {field.MaxInteger} but got {value.ToString(System.Globalization.CultureInfo.InvariantCulture)}";
        }

        return XdmValues.CheckFraction(field, value);
    }

    private static void AddIfAny(List<FieldProblem> problems, string path, string? problem)
    {
        if (problem is not null)
        {
            Add(problems, path, problem);
        }
    }

    private static void Add(List<FieldProblem> problems, string path, string problem) => problems.Add(new FieldProblem(path, problem));

    private static string Kind(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        _ => "null",
    };
}

/// <summary>One thing wrong with a record: the dotted field path ("" for the record itself) and what is wrong.</summary>
internal sealed record FieldProblem(string Path, string Problem);
