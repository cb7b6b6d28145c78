using System.Globalization;
using System.Text.RegularExpressions;
using Ingestion.Emulator.Schemas;

namespace Ingestion.Emulator.Processing;

/// <summary>
/// AEP's ingest-time conversions (batch ingestion guide, "Data type conversion"): strings convert to
/// numbers and dates when they parse, whole numbers to dates (epoch milliseconds); booleans and arrays do not convert.
/// Each method returns null when the value fits, else what is wrong, phrased to follow "field 'x' ".
/// </summary>
internal static partial class XdmValues
{
    public static string? CheckString(XdmField field, string text, bool fromCsv)
    {
        switch (field.Kind)
        {
            case XdmKind.Any:
                return null;
            case XdmKind.String:
                if (field.IsDate || field.IsDateTime)
                {
                    return IsIsoDateOrDateTime(text) ? null : $"expects a {field.Describe()} in ISO 8601 form (e.g. 2024-05-31 or 2024-05-31T12:00:00Z) but got \"{Clip(text)}\"";
                }

                return field.Enum is { } allowed && !allowed.Contains(text)
                    ? $"does not allow \"{Clip(text)}\"; allowed values are {string.Join(", ", allowed)}"
                    : null;
            case XdmKind.Integer:
                if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var whole))
                {
                    return decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _)
                        ? $"expects an integer ({field.Describe()}) but got \"{Clip(text)}\", which has a fraction"
                        : $"expects an integer ({field.Describe()}) but got \"{Clip(text)}\", which is not a number";
                }

                return CheckRange(field, whole);
            case XdmKind.Number:
                return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number)
                    ? null
                    : $"expects a number but got \"{Clip(text)}\", which is not a number";
            case XdmKind.Boolean:
                // A CSV cell is always text, so there "true"/"false" is how a boolean is written.
                return fromCsv && (text.Equals("true", StringComparison.OrdinalIgnoreCase) || text.Equals("false", StringComparison.OrdinalIgnoreCase))
                    ? null
                    : $"expects a boolean but got the string \"{Clip(text)}\"; strings do not convert to booleans";
            case XdmKind.Object:
                return $"is an object{(field.AcceptsAnyKey ? " (map)" : string.Empty)} and cannot take the string \"{Clip(text)}\"";
            default:
                return $"is an array and cannot take the string \"{Clip(text)}\"";
        }
    }

    public static string? CheckInteger(XdmField field, long value) => field.Kind switch
    {
        XdmKind.Integer => CheckRange(field, value),
        XdmKind.Number or XdmKind.Any => null,
        XdmKind.String when field.IsDate || field.IsDateTime => null,
        XdmKind.String => $"expects a string but got the number {value}; numbers do not convert to strings",
        _ => $"expects {Article(field)} but got the number {value}",
    };

    public static string? CheckFraction(XdmField field, double value) => field.Kind switch
    {
        XdmKind.Number or XdmKind.Any => null,
        XdmKind.Integer => $"expects an integer ({field.Describe()}) but got {value.ToString(CultureInfo.InvariantCulture)}, which has a fraction",
        XdmKind.String => $"expects {Article(field)} but got the number {value.ToString(CultureInfo.InvariantCulture)}; numbers do not convert to strings",
        _ => $"expects {Article(field)} but got the number {value.ToString(CultureInfo.InvariantCulture)}",
    };

    public static string Article(XdmField field)
    {
        var name = field.Describe();
        return (name[0] is 'a' or 'e' or 'i' or 'o' or 'u' ? "an " : "a ") + name;
    }

    public static string Clip(string text) => text.Length <= 60 ? text : text[..57] + "...";

    /// <summary>ISO 8601 calendar dates and date-times (with or without offset); the calendar values must exist.</summary>
    public static bool IsIsoDateOrDateTime(string text)
    {
        var match = IsoDateTime().Match(text);
        if (!match.Success)
        {
            return false;
        }

        int Part(string name, int fallback = 0) =>
            match.Groups[name].Success ? int.Parse(match.Groups[name].ValueSpan, CultureInfo.InvariantCulture) : fallback;

        var year = Part("y");
        var month = Part("mo");
        var day = Part("d");
        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month))
        {
            return false;
        }

        return Part("h") < 24 && Part("mi") < 60 && Part("s") < 60 && Part("oh") < 24 && Part("om") < 60;
    }

    private static string? CheckRange(XdmField field, long value) =>
        value < field.MinInteger || value > field.MaxInteger
            ? $"expects an integer ({field.Describe()}) between {field.MinInteger} and {field.MaxInteger} but got {value}"
            : null;

    [GeneratedRegex(@"^(?<y>\d{4})-(?<mo>\d{2})-(?<d>\d{2})([T ](?<h>\d{2}):(?<mi>\d{2})(:(?<s>\d{2})([.,]\d{1,9})?)?(Z|z|[+-](?<oh>\d{2})(:?(?<om>\d{2}))?)?)?$", RegexOptions.CultureInvariant)]
    private static partial Regex IsoDateTime();
}
