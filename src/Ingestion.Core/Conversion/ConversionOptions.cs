using System.Text;
using Ingestion.Core.Errors;

namespace Ingestion.Core.Conversion;

/// <summary>The text formats a file converts from.</summary>
public enum ConversionFormat
{
    Csv,
    Json,
}

/// <summary>Page compression of a written Parquet file.</summary>
public enum ParquetCompression
{
    Snappy,
    Gzip,
    None,
}

/// <summary>How to convert CSV, JSON or objects to Parquet.</summary>
public sealed class ConversionOptions
{
    public const int DefaultSampleSize = 1000;
    public const long DefaultRowGroupSize = 64L << 20;

    /// <summary>The schema to write; null infers it from the first <see cref="SampleSize"/> records.</summary>
    public DataSchema? Schema { get; init; }

    /// <summary>Where <see cref="Schema"/> came from, for the result and for messages.</summary>
    public string? SchemaSource { get; init; }

    /// <summary><see cref="Schema"/> is a dataset's XDM schema: messages name its types the XDM way (long, date-time).</summary>
    public bool SchemaFromXdm { get; init; }

    /// <summary>
    /// Source column (or dotted source path) to schema field path. A null or empty target leaves the column out on
    /// purpose. Source names compare without regard to case.
    /// </summary>
    public IReadOnlyDictionary<string, string?>? Mapping { get; init; }

    public ParquetCompression Compression { get; init; } = ParquetCompression.Snappy;

    /// <summary>Target uncompressed size of a row group; one row group is what the writer keeps in memory.</summary>
    public long RowGroupSize { get; init; } = DefaultRowGroupSize;

    /// <summary>Records read to infer a schema (0 or less: all of them).</summary>
    public int SampleSize { get; init; } = DefaultSampleSize;

    /// <summary>
    /// Values that do not fit one type become strings instead of failing: conflicts in the sample make the field a
    /// string, and for files a conflict after the sample restarts the conversion with the whole file as sample.
    /// </summary>
    public bool AllowStringFallback { get; init; }

    /// <summary>Replace an existing destination file.</summary>
    public bool Overwrite { get; init; }

    /// <summary>CSV delimiter; null takes a tab for .tsv files and a comma otherwise.</summary>
    public char? Delimiter { get; init; }

    /// <summary>Text encoding of CSV files; null is UTF-8.</summary>
    public Encoding? Encoding { get; init; }

    public JsonLayout JsonLayout { get; init; } = JsonLayout.Auto;

    /// <summary>Resolves an encoding name (utf-8, utf-16, windows-1252, iso-8859-1, …) the way -Encoding takes it.</summary>
    public static Encoding ResolveEncoding(string name)
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        var normalized = name.Trim().ToLowerInvariant() switch
        {
            "utf8" or "utf-8" or "utf8nobom" or "utf8bom" => "utf-8",
            "unicode" or "utf16" => "utf-16",
            "bigendianunicode" => "utf-16BE",
            "utf32" => "utf-32",
            "ansi" => "windows-1252",
            "latin1" => "iso-8859-1",
            var other => other,
        };
        if (normalized == "utf-8")
        {
            return new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
        }

        try
        {
            return Encoding.GetEncoding(normalized, EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback);
        }
        catch (ArgumentException ex)
        {
            throw new IngestionException(IngestErrorKind.InvalidArgument, string.Format(Messages.EncodingUnknown, name), ex) { Target = name };
        }
    }

    /// <summary>The format a file's extension implies: .csv, .tsv and .txt are CSV; .json, .jsonl and .ndjson are JSON.</summary>
    public static ConversionFormat? FormatOf(string path) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".csv" or ".tsv" or ".txt" => ConversionFormat.Csv,
        ".json" or ".jsonl" or ".ndjson" => ConversionFormat.Json,
        _ => null,
    };
}
