namespace Ingestion.Parquet;

/// <summary>
/// The input is not a valid Parquet file, or uses a feature this codec does not implement.
/// The message says what is wrong and, where known, where (file offset, column, page).
/// </summary>
public class ParquetFormatException : Exception
{
    public ParquetFormatException(string message) : base(message) { }

    public ParquetFormatException(string message, Exception inner) : base(message, inner) { }

    /// <summary>Byte offset in the file where the problem was found, when known.</summary>
    public long? FileOffset { get; init; }
}

/// <summary>
/// The file is well formed but needs a feature this codec deliberately does not implement
/// (a compression codec such as ZSTD, or modular encryption).
/// </summary>
public sealed class ParquetNotSupportedException : ParquetFormatException
{
    public ParquetNotSupportedException(string message) : base(message) { }
}
