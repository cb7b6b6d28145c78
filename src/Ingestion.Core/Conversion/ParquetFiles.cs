using System.Globalization;
using Ingestion.Core.Errors;
using Ingestion.Core.Models;
using Ingestion.Parquet;

namespace Ingestion.Core.Conversion;

/// <summary>Reads Parquet files for the cmdlets: footers summarised as plain objects, rows as dictionaries and lists.</summary>
public static class ParquetFiles
{
    /// <summary>The schema, row groups and per-column codecs, encodings, sizes and statistics of a file.</summary>
    public static ParquetFileInfo Inspect(string path)
    {
        using var reader = Open(path);
        var metadata = reader.Metadata;
        var schema = metadata.Schema;
        var columns = new List<ParquetColumnInfo>(schema.Columns.Count);
        foreach (var column in schema.Columns)
        {
            var chunks = metadata.RowGroups.Select(g => g.Columns[column.Index]).ToList();
            var nullCounts = chunks.Select(c => c.Statistics?.NullCount).ToList();
            columns.Add(new ParquetColumnInfo
            {
                Path = column.DottedPath,
                PhysicalType = PhysicalName(column.PhysicalType),
                LogicalType = column.LogicalType?.ToString(),
                Repetition = column.Field.Repetition.ToString().ToUpperInvariant(),
                MaxDefinitionLevel = column.MaxDefinitionLevel,
                MaxRepetitionLevel = column.MaxRepetitionLevel,
                Codec = string.Join(", ", chunks.Select(c => CodecName(c.Codec)).Distinct().DefaultIfEmpty("-")),
                Encodings = chunks.SelectMany(c => c.Encodings).Distinct().Select(EncodingName).ToList(),
                Values = chunks.Sum(c => c.ValueCount),
                Nulls = chunks.Count > 0 && nullCounts.All(n => n is not null) ? nullCounts.Sum() : null,
                Min = Extreme(chunks.Select(c => c.Statistics?.Min), smallest: true),
                Max = Extreme(chunks.Select(c => c.Statistics?.Max), smallest: false),
                CompressedBytes = chunks.Sum(c => c.TotalCompressedSize),
                UncompressedBytes = chunks.Sum(c => c.TotalUncompressedSize),
            });
        }

        return new ParquetFileInfo
        {
            Path = path,
            Bytes = new FileInfo(path).Length,
            Rows = metadata.RowCount,
            RowGroups = metadata.RowGroups.Count,
            Codecs = string.Join(", ", metadata.RowGroups.SelectMany(g => g.Columns).Select(c => CodecName(c.Codec)).Distinct().DefaultIfEmpty("-")),
            CreatedBy = metadata.CreatedBy,
            FormatVersion = metadata.Version,
            Schema = schema.ToString(),
            Columns = columns,
            RowGroupDetails = metadata.RowGroups.Select(g => new ParquetRowGroupInfo
            {
                Index = g.Index,
                Rows = g.RowCount,
                Bytes = g.TotalByteSize,
                CompressedBytes = g.TotalCompressedSize ?? g.Columns.Sum(c => c.TotalCompressedSize),
            }).ToList(),
            Metadata = metadata.KeyValueMetadata.GroupBy(kv => kv.Key).ToDictionary(g => g.Key, g => g.Last().Value),
        };
    }

    /// <summary>
    /// The rows of a file, streamed a row group at a time: structs as <c>Dictionary&lt;string, object?&gt;</c>, lists as
    /// <c>List&lt;object?&gt;</c>, maps as <c>Dictionary&lt;object, object?&gt;</c>; DATE as DateOnly, TIMESTAMP as DateTime.
    /// </summary>
    public static IEnumerable<Dictionary<string, object?>> ReadRows(string path, long? limit = null)
    {
        using var reader = Open(path);
        using var rows = reader.ReadRows(limit).GetEnumerator();
        while (true)
        {
            try
            {
                if (!rows.MoveNext())
                {
                    yield break;
                }
            }
            catch (ParquetFormatException ex)
            {
                throw Unreadable(path, ex);
            }

            yield return rows.Current;
        }
    }

    internal static ParquetReader Open(string path)
    {
        try
        {
            return ParquetReader.Open(path);
        }
        catch (ParquetFormatException ex)
        {
            throw Unreadable(path, ex);
        }
        catch (ArgumentException ex)
        {
            throw new IngestionException(IngestErrorKind.InvalidData, string.Format(Messages.ParquetUnreadable, path, ex.Message), ex) { Target = path };
        }
    }

    internal static IngestionException Unreadable(string path, ParquetFormatException ex) =>
        new(IngestErrorKind.InvalidData, string.Format(Messages.ParquetUnreadable, path, ex.Message), ex) { Target = path };

    internal static string PhysicalName(PhysicalType type) => type switch
    {
        PhysicalType.ByteArray => "BYTE_ARRAY",
        PhysicalType.FixedLenByteArray => "FIXED_LEN_BYTE_ARRAY",
        _ => type.ToString().ToUpperInvariant(),
    };

    private static string CodecName(CompressionCodec codec) => codec switch
    {
        CompressionCodec.Lz4Raw => "LZ4_RAW",
        _ => codec.ToString().ToUpperInvariant(),
    };

    private static string EncodingName(ParquetEncoding encoding) => encoding switch
    {
        ParquetEncoding.PlainDictionary => "PLAIN_DICTIONARY",
        ParquetEncoding.BitPacked => "BIT_PACKED",
        ParquetEncoding.DeltaBinaryPacked => "DELTA_BINARY_PACKED",
        ParquetEncoding.DeltaLengthByteArray => "DELTA_LENGTH_BYTE_ARRAY",
        ParquetEncoding.DeltaByteArray => "DELTA_BYTE_ARRAY",
        ParquetEncoding.RleDictionary => "RLE_DICTIONARY",
        ParquetEncoding.ByteStreamSplit => "BYTE_STREAM_SPLIT",
        _ => encoding.ToString().ToUpperInvariant(),
    };

    /// <summary>The smallest (or largest) of the row groups' statistics; null unless all are known and comparable.</summary>
    private static object? Extreme(IEnumerable<object?> values, bool smallest)
    {
        object? best = null;
        foreach (var value in values)
        {
            if (value is not IComparable comparable || (best is not null && best.GetType() != value.GetType()))
            {
                return null;
            }

            if (best is null || (smallest ? comparable.CompareTo(best) < 0 : comparable.CompareTo(best) > 0))
            {
                best = value;
            }
        }

        return best is byte[] bytes ? Convert.ToHexString(bytes).ToLower(CultureInfo.InvariantCulture) : best;
    }
}
