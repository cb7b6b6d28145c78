namespace Ingestion.Parquet;

/// <summary>How maps are returned by row reading.</summary>
public enum MapRepresentation
{
    /// <summary><c>Dictionary&lt;object, object?&gt;</c>; a null or duplicate key is reported as a format error.</summary>
    Dictionary,

    /// <summary><c>List&lt;KeyValuePair&lt;object?, object?&gt;&gt;</c> in file order, keeping null and duplicate keys.</summary>
    KeyValueList,
}

/// <summary>Options for <see cref="ParquetReader"/>.</summary>
public sealed class ParquetReadOptions
{
    /// <summary>Verify page CRC-32 checksums where the writer stored them (default true).</summary>
    public bool VerifyChecksums { get; init; } = true;

    /// <summary>
    /// Refuse column chunks declaring more values than this. Run-length encoding lets a few bytes stand for
    /// millions of values, so this caps the memory a small hostile file can demand (default 2^27).
    /// </summary>
    public long MaxValuesPerColumnChunk { get; init; } = 1L << 27;

    public MapRepresentation Maps { get; init; } = MapRepresentation.Dictionary;

    /// <summary>The defaults: checksums verified, maps as dictionaries.</summary>
    public static ParquetReadOptions Default { get; } = new();
}
