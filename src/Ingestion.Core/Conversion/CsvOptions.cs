using System.Text;

namespace Ingestion.Core.Conversion;

/// <summary>How to read a CSV file.</summary>
public sealed class CsvOptions
{
    public char Delimiter { get; init; } = ',';

    /// <summary>The file's encoding; anything but UTF-8 is transcoded to UTF-8 while reading.</summary>
    public Encoding Encoding { get; init; } = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>A record longer than this is refused rather than buffered: protects memory from a missing closing quote.</summary>
    public int MaxRecordBytes { get; init; } = 64 * 1024 * 1024;
}
