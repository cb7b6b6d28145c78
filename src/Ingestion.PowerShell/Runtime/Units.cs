using System.Globalization;

namespace Ingestion.PowerShell.Runtime;

/// <summary>
/// Sizes and durations the way a person reads them, for progress, messages and the table views of
/// Ingestion.format.ps1xml (which call <c>[Ingestion.PowerShell.Runtime.Units]::Bytes(...)</c>), so all three agree.
/// </summary>
public static class Units
{
    private static readonly string[] ByteUnits = ["B", "KB", "MB", "GB", "TB"];

    public static string Bytes(long bytes)
    {
        double value = bytes;
        var unit = 0;
        while (value >= 1024 && unit < ByteUnits.Length - 1)
        {
            value /= 1024;
            unit++;
        }

        return unit == 0
            ? string.Create(CultureInfo.CurrentCulture, $"{bytes} B")
            : string.Create(CultureInfo.CurrentCulture, $"{value:0.0} {ByteUnits[unit]}");
    }

    public static string Duration(TimeSpan duration) => duration.TotalSeconds switch
    {
        < 1 => string.Create(CultureInfo.CurrentCulture, $"{duration.TotalMilliseconds:0} ms"),
        < 60 => string.Create(CultureInfo.CurrentCulture, $"{duration.TotalSeconds:0.0} s"),
        < 3600 => string.Create(CultureInfo.CurrentCulture, $"{(int)duration.TotalMinutes} min {duration.Seconds} s"),
        _ => string.Create(CultureInfo.CurrentCulture, $"{(int)duration.TotalHours} h {duration.Minutes} min"),
    };
}
