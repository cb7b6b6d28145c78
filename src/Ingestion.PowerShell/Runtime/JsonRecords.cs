using System.Collections;
using System.Globalization;
using System.Management.Automation;
using System.Text.Json.Nodes;
using Ingestion.Core.Errors;

namespace Ingestion.PowerShell.Runtime;

/// <summary>
/// Pipeline objects (PSCustomObjects, hashtables, .NET objects, CSV rows) as JSON records for Data Cloud streaming,
/// through <see cref="PipelineValues"/>: nested objects become JSON objects, collections arrays, numbers and booleans
/// stay typed, $null is null. Data Cloud's formats: a DateTime is written in UTC as <c>yyyy-MM-ddTHH:mm:ss.fffZ</c>
/// (Local converted, Unspecified taken as UTC, as a typed-in <c>[datetime]'2024-05-01'</c> usually means), a
/// DateTimeOffset likewise, a DateOnly as <c>yyyy-MM-dd</c>; Guids and chars as text, byte arrays as Base64.
/// </summary>
internal static class JsonRecords
{
    public const string DateTimeFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";
    public const string DateFormat = "yyyy-MM-dd";

    /// <summary>The object as a record; false when it has no properties (a string, a number).</summary>
    public static bool TryConvert(PSObject input, out JsonObject record)
    {
        if (!PipelineValues.TryToRecord(input, out var values))
        {
            record = null!;
            return false;
        }

        record = ToObject(values, null);
        return true;
    }

    private static JsonObject ToObject(IEnumerable<KeyValuePair<string, object?>> values, string? path)
    {
        var result = new JsonObject();
        foreach (var (name, value) in values)
        {
            result[name] = ToNode(value, path is null ? name : path + "." + name);
        }

        return result;
    }

    private static JsonNode? ToNode(object? value, string path) => value switch
    {
        null => null,
        string s => JsonValue.Create(s),
        bool b => JsonValue.Create(b),
        char c => JsonValue.Create(c.ToString()),
        DateTime d => JsonValue.Create((d.Kind == DateTimeKind.Local ? d.ToUniversalTime() : d).ToString(DateTimeFormat, CultureInfo.InvariantCulture)),
        DateTimeOffset o => JsonValue.Create(o.UtcDateTime.ToString(DateTimeFormat, CultureInfo.InvariantCulture)),
        DateOnly day => JsonValue.Create(day.ToString(DateFormat, CultureInfo.InvariantCulture)),
        Guid g => JsonValue.Create(g.ToString()),
        byte[] bytes => JsonValue.Create(Convert.ToBase64String(bytes)),
        decimal m => JsonValue.Create(m),
        double x => Finite(x, path),
        float f => Finite(f, path),
        IDictionary<string, object?> map => ToObject(map, path),
        IList list => new JsonArray([.. list.Cast<object?>().Select((item, i) => ToNode(item, $"{path}[{i}]"))]),
        sbyte or byte or short or ushort or int or uint or long => JsonValue.Create(Convert.ToInt64(value, CultureInfo.InvariantCulture)),
        ulong u => JsonValue.Create(u),
        _ => JsonValue.Create(Convert.ToString(value, CultureInfo.InvariantCulture)),
    };

    private static JsonValue Finite(double value, string path) =>
        double.IsFinite(value)
            ? JsonValue.Create(value)
            : throw new IngestionException(IngestErrorKind.InvalidData, string.Format(Messages.NotAJsonNumber, path, value.ToString(CultureInfo.InvariantCulture)));
}
