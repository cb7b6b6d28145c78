using System.Text.Json;
using System.Text.Json.Nodes;
using Ingestion.Core.Errors;

namespace Ingestion.Core.DataCloud;

/// <summary>
/// Reads the answer of <c>/actions/test</c>. The documentation shows only that a <c>validationReport</c> describes the
/// failing records, not its fields, so entries are read leniently: an index (<c>recordIndex</c>, <c>index</c>,
/// <c>record</c>, <c>row</c>), a field (<c>field</c>, <c>fieldName</c>, <c>column</c>) and a message (<c>message</c>,
/// <c>error</c>, <c>errorMessage</c>, <c>reason</c>), with nested <c>errors</c> lists flattened. A 400 without a
/// report (the older Spring-style <c>{"message":...}</c>) is one issue about the whole request.
/// </summary>
internal static class ValidationReportReader
{
    private static readonly string[] IndexKeys = ["recordIndex", "index", "record", "row", "recordNumber"];
    private static readonly string[] FieldKeys = ["field", "fieldName", "column", "name"];
    private static readonly string[] MessageKeys = ["message", "error", "errorMessage", "reason", "description", "errorCode"];

    public static IReadOnlyList<RecordValidationIssue> Read(string text, int status, int firstIndex)
    {
        JsonNode? root = null;
        if (!string.IsNullOrWhiteSpace(text))
        {
            try
            {
                root = JsonNode.Parse(text);
            }
            catch (JsonException)
            {
                root = null;
            }
        }

        var issues = new List<RecordValidationIssue>();
        var report = root is JsonObject o ? o["validationReport"] : null;
        if (report is not null)
        {
            Collect(report, null, null, firstIndex, issues);
        }
        else if (status == 400)
        {
            var message = root is JsonObject body ? Text(body, MessageKeys) : null;
            issues.Add(new RecordValidationIssue { Message = message ?? (string.IsNullOrWhiteSpace(text) ? Messages.ValidationRefusedNoReason : text) });
        }
        else if (root is not JsonObject && root is not null)
        {
            throw new IngestionException(IngestErrorKind.UnexpectedResponse, string.Format(Messages.ValidationUnexpected, text));
        }

        return issues;
    }

    private static void Collect(JsonNode node, int? index, string? field, int firstIndex, List<RecordValidationIssue> issues)
    {
        switch (node)
        {
            case JsonArray items:
                foreach (var item in items)
                {
                    if (item is not null)
                    {
                        Collect(item, index, field, firstIndex, issues);
                    }
                }

                break;
            case JsonObject entry:
                {
                    var ownIndex = Number(entry, IndexKeys);
                    var at = ownIndex is null ? index : firstIndex + ownIndex;
                    var ownField = Text(entry, FieldKeys) ?? field;
                    var nested = entry["errors"] ?? entry["issues"] ?? entry["validationErrors"];
                    if (nested is JsonArray)
                    {
                        Collect(nested, at, ownField, firstIndex, issues);
                    }
                    else if (Text(entry, MessageKeys) is { } message)
                    {
                        issues.Add(new RecordValidationIssue { Index = at, Field = ownField, Message = message });
                    }
                    else if (entry.Count > 0)
                    {
                        issues.Add(new RecordValidationIssue { Index = at, Field = ownField, Message = entry.ToJsonString() });
                    }

                    break;
                }

            case JsonValue value:
                issues.Add(new RecordValidationIssue { Index = index, Field = field, Message = value.ToString() });
                break;
        }
    }

    private static int? Number(JsonObject entry, string[] keys)
    {
        foreach (var key in keys)
        {
            if (entry[key] is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<int>(out var n))
            {
                return n;
            }
        }

        return null;
    }

    private static string? Text(JsonObject entry, string[] keys)
    {
        foreach (var key in keys)
        {
            if (entry[key] is JsonValue v && v.GetValueKind() == JsonValueKind.String)
            {
                return v.GetValue<string>();
            }
        }

        return null;
    }
}
