using Ingestion.Parquet.Compression;
using Ingestion.Parquet.Encodings;
using Ingestion.Parquet.Format;
using Ingestion.Parquet.Internal;
using Ingestion.Parquet.Thrift;

namespace Ingestion.Parquet.Writing;

/// <summary>A column chunk ready to be written: the optional dictionary page, then the data pages (buffers owned by the column).</summary>
internal sealed class EncodedChunk
{
    public ByteBuffer? DictionaryPage;
    public ByteBuffer DataPages = null!;
    public long NumValues;
    public long UncompressedSize;
    public List<ParquetEncoding> Encodings = new();
    public List<PageEncodingStats> EncodingStats = new();
    public Statistics? Statistics;

    public long CompressedSize => (DictionaryPage?.Length ?? 0) + DataPages.Length;
}

/// <summary>
/// Encodes one buffered column into pages: RLE levels, dictionary (RLE_DICTIONARY) or PLAIN values,
/// compression and checksums. Dictionary encoding is abandoned after the first page when it does not
/// shrink the data, and falls back to PLAIN for the remaining pages once the dictionary outgrows its limit.
/// </summary>
internal sealed class ChunkEncoder : IDisposable
{
    private readonly ParquetWriterOptions _options;
    private readonly ByteBuffer _page = new(1 << 16);
    private readonly ByteBuffer _levels = new(1 << 12);
    private readonly ThriftCompactWriter _header = new();
    private readonly RleBitPackedEncoder _rle = new();
    private byte[] _compressed = new byte[1 << 16];
    private int[] _indices = new int[1024];

    public ChunkEncoder(ParquetWriterOptions options) => _options = options;

    public EncodedChunk Encode(ColumnWriter column)
    {
        column.EncodedPages.Clear();
        column.EncodedDictionary.Clear();
        var chunk = new EncodedChunk { DataPages = column.EncodedPages, NumValues = column.LevelCount };
        object? dictionary = CreateDictionary(column);
        object? usedDictionary = null;
        int dataPages = 0, dictionaryDataPages = 0;
        int levelStart = 0, valueStart = 0;
        while (levelStart < column.LevelCount)
        {
            var (levelEnd, valueEnd) = NextPage(column, levelStart, valueStart);
            object? pageDictionary = null;
            if (dictionary is not null)
            {
                MapToIndices(column, dictionary, valueStart, valueEnd);
                long dictionarySize = DictionaryPlainSize(dictionary);
                bool keep = dictionarySize <= _options.DictionaryPageSizeLimit;
                if (keep && dataPages == 0)
                {
                    // Keep the dictionary only if indices plus dictionary beat plain values on the first page.
                    int bitWidth = Math.Max(1, BitPacking.BitWidth((ulong)Math.Max(DictionaryCount(dictionary) - 1, 0)));
                    long indexBytes = (long)(valueEnd - valueStart) * bitWidth / 8;
                    keep = indexBytes + dictionarySize < PlainSize(column, valueStart, valueEnd);
                }
                if (keep)
                {
                    pageDictionary = usedDictionary = dictionary;
                }
                else
                {
                    dictionary = null; // this page and the rest of the chunk are PLAIN
                }
            }
            WriteDataPage(column, chunk, levelStart, levelEnd, valueStart, valueEnd, pageDictionary);
            dataPages++;
            if (pageDictionary is not null) dictionaryDataPages++;
            levelStart = levelEnd;
            valueStart = valueEnd;
        }

        var dataPageType = _options.DataPageVersion == 2 ? PageType.DataPageV2 : PageType.DataPage;
        if (usedDictionary is not null)
        {
            chunk.DictionaryPage = WriteDictionaryPage(usedDictionary, column.EncodedDictionary, out long uncompressed);
            chunk.UncompressedSize += uncompressed;
            chunk.EncodingStats.Add(new PageEncodingStats { PageType = PageType.DictionaryPage, Encoding = ParquetEncoding.Plain, Count = 1 });
            chunk.EncodingStats.Add(new PageEncodingStats { PageType = dataPageType, Encoding = ParquetEncoding.RleDictionary, Count = dictionaryDataPages });
        }
        if (dataPages > dictionaryDataPages)
        {
            chunk.EncodingStats.Add(new PageEncodingStats { PageType = dataPageType, Encoding = ParquetEncoding.Plain, Count = dataPages - dictionaryDataPages });
        }
        chunk.Encodings.Add(ParquetEncoding.Plain);
        if (column.Column.MaxDefinitionLevel > 0 || column.Column.MaxRepetitionLevel > 0) chunk.Encodings.Add(ParquetEncoding.Rle);
        if (usedDictionary is not null) chunk.Encodings.Add(ParquetEncoding.RleDictionary);
        if (_options.WriteStatistics)
        {
            chunk.Statistics = ColumnStatisticsBuilder.Build(column, column.LevelCount - column.ValueCount);
        }
        _binaryDictionary?.SetSource([]); // do not keep a column's old data array alive once it has grown
        return chunk;
    }

    // One dictionary per type, emptied and reused from chunk to chunk: a new one per chunk would leave its grown
    // arrays (megabytes for a column of distinct values, before the dictionary is abandoned) as garbage every row group.
    private FixedDictionary<int>? _int32Dictionary;
    private FixedDictionary<long>? _int64Dictionary;
    private FixedDictionary<float>? _floatDictionary;
    private FixedDictionary<double>? _doubleDictionary;
    private BinaryDictionary? _binaryDictionary;

    private object? CreateDictionaryFor(ColumnWriter column) => column switch
    {
        ColumnWriter<int> => Reuse(ref _int32Dictionary),
        ColumnWriter<long> => Reuse(ref _int64Dictionary),
        ColumnWriter<float> => Reuse(ref _floatDictionary),
        ColumnWriter<double> => Reuse(ref _doubleDictionary),
        ByteArrayColumnWriter b => CreateBinary(b),
        _ => null,
    };

    private static FixedDictionary<T> Reuse<T>(ref FixedDictionary<T>? dictionary) where T : unmanaged
    {
        dictionary ??= new FixedDictionary<T>();
        dictionary.Clear();
        return dictionary;
    }

    private BinaryDictionary CreateBinary(ByteArrayColumnWriter b)
    {
        int fixedLength = b.Column.PhysicalType == PhysicalType.FixedLenByteArray ? b.Column.TypeLength : 0;
        if (_binaryDictionary is null || _binaryDictionary.FixedLength != fixedLength)
        {
            _binaryDictionary = new BinaryDictionary(fixedLength);
        }
        var d = _binaryDictionary;
        d.Clear();
        d.SetSource(b.RawData);
        return d;
    }

    private object? CreateDictionary(ColumnWriter column) =>
        _options.EnableDictionary && column.ValueCount > 0 && _options.DictionaryPageSizeLimit > 0 ? CreateDictionaryFor(column) : null;

    private static int DictionaryCount(object dictionary) => dictionary switch
    {
        FixedDictionary<int> d => d.Count,
        FixedDictionary<long> d => d.Count,
        FixedDictionary<float> d => d.Count,
        FixedDictionary<double> d => d.Count,
        BinaryDictionary d => d.Count,
        _ => 0,
    };

    private static long DictionaryPlainSize(object dictionary) => dictionary switch
    {
        FixedDictionary<int> d => d.PlainSize,
        FixedDictionary<long> d => d.PlainSize,
        FixedDictionary<float> d => d.PlainSize,
        FixedDictionary<double> d => d.PlainSize,
        BinaryDictionary d => d.PlainSize,
        _ => 0,
    };

    // Hot for every value written: compiled fully optimised at once rather than after tier-0 warm-up.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private void MapToIndices(ColumnWriter column, object dictionary, int start, int end)
    {
        int n = end - start;
        if (_indices.Length < n) _indices = new int[Math.Max(n, _indices.Length * 2)];
        var indices = _indices.AsSpan(0, n);
        switch (dictionary)
        {
            case FixedDictionary<int> d:
                Map(d, ((ColumnWriter<int>)column).Values[start..end], indices);
                break;
            case FixedDictionary<long> d:
                Map(d, ((ColumnWriter<long>)column).Values[start..end], indices);
                break;
            case FixedDictionary<float> d:
                Map(d, ((ColumnWriter<float>)column).Values[start..end], indices);
                break;
            case FixedDictionary<double> d:
                Map(d, ((ColumnWriter<double>)column).Values[start..end], indices);
                break;
            case BinaryDictionary d:
                {
                    var offsets = ((ByteArrayColumnWriter)column).Offsets;
                    for (int i = 0; i < n; i++)
                    {
                        int s = offsets[start + i];
                        indices[i] = d.GetOrAdd(s, offsets[start + i + 1] - s);
                    }
                    break;
                }
        }
    }

    // Hot: compiled fully optimised at once rather than after tier-0 warm-up.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private static void Map<T>(FixedDictionary<T> dictionary, ReadOnlySpan<T> values, Span<int> indices) where T : unmanaged
    {
        for (int i = 0; i < values.Length; i++) indices[i] = dictionary.GetOrAdd(values[i]);
    }

    private static long PlainSize(ColumnWriter column, int start, int end) => column switch
    {
        ColumnWriter<bool> => (end - start + 7) / 8,
        ColumnWriter<int> or ColumnWriter<float> => 4L * (end - start),
        ColumnWriter<long> or ColumnWriter<double> => 8L * (end - start),
        ByteArrayColumnWriter b => (long)b.Offsets[end] - b.Offsets[start] + (b.Column.PhysicalType == PhysicalType.FixedLenByteArray ? 0 : 4L * (end - start)),
        _ => 0,
    };

    /// <summary>The next page's entry and value ranges: about <see cref="ParquetWriterOptions.PageSize"/> bytes, ending on a row boundary.</summary>
    // Hot: compiled fully optimised at once rather than after tier-0 warm-up.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private (int LevelEnd, int ValueEnd) NextPage(ColumnWriter column, int levelStart, int valueStart)
    {
        int pageSize = _options.PageSize;
        var def = column.DefinitionLevels;
        var rep = column.RepetitionLevels;
        int levelCount = column.LevelCount;
        int maxDef = column.Column.MaxDefinitionLevel;
        int levelBytes = (def.IsEmpty ? 0 : 1) + (rep.IsEmpty ? 0 : 1);
        ReadOnlySpan<int> offsets = column is ByteArrayColumnWriter b ? b.Offsets : default;
        bool fixedBinary = column.Column.PhysicalType == PhysicalType.FixedLenByteArray;
        int width = column switch
        {
            ColumnWriter<bool> => 1,
            ColumnWriter<int> or ColumnWriter<float> => 4,
            ColumnWriter<long> or ColumnWriter<double> => 8,
            _ => 0,
        };
        if (def.IsEmpty && rep.IsEmpty && width > 0)
        {
            int n = Math.Max(1, pageSize / width);
            int end = (int)Math.Min(levelCount, (long)levelStart + n);
            return (end, valueStart + (end - levelStart));
        }
        long size = 0;
        int i = levelStart, v = valueStart;
        while (i < levelCount)
        {
            size += levelBytes;
            if (def.IsEmpty || def[i] == maxDef)
            {
                size += width > 0 ? width : offsets[v + 1] - offsets[v] + (fixedBinary ? 0 : 4);
                v++;
            }
            i++;
            if (size >= pageSize && (rep.IsEmpty || i == levelCount || rep[i] == 0))
            {
                break;
            }
        }
        return (i, v);
    }

    private void WriteDataPage(ColumnWriter column, EncodedChunk chunk, int levelStart, int levelEnd, int valueStart, int valueEnd, object? dictionary)
    {
        var descriptor = column.Column;
        var def = column.DefinitionLevels;
        var rep = column.RepetitionLevels;
        int count = levelEnd - levelStart;
        bool v2 = _options.DataPageVersion == 2;
        _page.Clear();
        _levels.Clear();
        int repLength = 0, defLength = 0;

        var levelTarget = v2 ? _levels : _page;
        if (!rep.IsEmpty)
        {
            repLength = EncodeLevels(levelTarget, rep[levelStart..levelEnd], descriptor.MaxRepetitionLevel, lengthPrefix: !v2);
        }
        if (!def.IsEmpty)
        {
            defLength = EncodeLevels(levelTarget, def[levelStart..levelEnd], descriptor.MaxDefinitionLevel, lengthPrefix: !v2);
        }

        var encoding = dictionary is null ? ParquetEncoding.Plain : ParquetEncoding.RleDictionary;
        if (dictionary is null)
        {
            WritePlain(column, valueStart, valueEnd, _page);
        }
        else
        {
            int bitWidth = Math.Max(1, BitPacking.BitWidth((ulong)Math.Max(DictionaryCount(dictionary) - 1, 0)));
            _page.WriteByte((byte)bitWidth);
            _rle.Begin(_page, bitWidth);
            foreach (int index in _indices.AsSpan(0, valueEnd - valueStart)) _rle.Write(index);
            _rle.Finish();
        }

        var codec = _options.Compression;
        ReadOnlySpan<byte> body;
        int uncompressedSize;
        if (v2)
        {
            // Version 2 keeps levels uncompressed in front of the (compressed) values.
            int valuesLength = _page.Length;
            int compressedLength = codec == CompressionCodec.Uncompressed
                ? valuesLength
                : PageCodec.Compress(codec, _page.WrittenSpan, ref _compressed, _options.GzipLevel);
            _levels.Write(codec == CompressionCodec.Uncompressed ? _page.WrittenSpan : _compressed.AsSpan(0, compressedLength));
            body = _levels.WrittenSpan;
            uncompressedSize = _levels.Length - compressedLength + valuesLength;
        }
        else
        {
            uncompressedSize = _page.Length;
            body = Compress(codec);
        }

        var header = new PageHeader
        {
            Type = v2 ? PageType.DataPageV2 : PageType.DataPage,
            UncompressedPageSize = uncompressedSize,
            CompressedPageSize = body.Length,
            Crc = _options.WritePageChecksums ? (int)Crc32.Compute(body) : null,
        };
        if (v2)
        {
            int rows = rep.IsEmpty ? count : rep[levelStart..levelEnd].Count((byte)0);
            header.DataPageHeaderV2 = new DataPageHeaderV2
            {
                NumValues = count,
                NumNulls = count - (valueEnd - valueStart),
                NumRows = rows,
                Encoding = encoding,
                DefinitionLevelsByteLength = defLength,
                RepetitionLevelsByteLength = repLength,
                IsCompressed = codec != CompressionCodec.Uncompressed,
            };
        }
        else
        {
            header.DataPageHeader = new DataPageHeader
            {
                NumValues = count,
                Encoding = encoding,
                DefinitionLevelEncoding = ParquetEncoding.Rle,
                RepetitionLevelEncoding = ParquetEncoding.Rle,
            };
        }
        _header.Reset();
        header.Write(_header);
        chunk.DataPages.Write(_header.WrittenSpan);
        chunk.DataPages.Write(body);
        chunk.UncompressedSize += _header.Length + uncompressedSize;
    }

    private ByteBuffer WriteDictionaryPage(object dictionary, ByteBuffer output, out long uncompressedTotal)
    {
        _page.Clear();
        int count;
        switch (dictionary)
        {
            case FixedDictionary<int> d: d.WritePlain(_page); count = d.Count; break;
            case FixedDictionary<long> d: d.WritePlain(_page); count = d.Count; break;
            case FixedDictionary<float> d: d.WritePlain(_page); count = d.Count; break;
            case FixedDictionary<double> d: d.WritePlain(_page); count = d.Count; break;
            case BinaryDictionary d: d.WritePlain(_page); count = d.Count; break;
            default: throw new InvalidOperationException("Unknown dictionary.");
        }
        ReadOnlySpan<byte> body = Compress(_options.Compression);
        var header = new PageHeader
        {
            Type = PageType.DictionaryPage,
            UncompressedPageSize = _page.Length,
            CompressedPageSize = body.Length,
            Crc = _options.WritePageChecksums ? (int)Crc32.Compute(body) : null,
            DictionaryPageHeader = new DictionaryPageHeader { NumValues = count, Encoding = ParquetEncoding.Plain },
        };
        _header.Reset();
        header.Write(_header);
        output.Write(_header.WrittenSpan);
        output.Write(body);
        uncompressedTotal = _header.Length + _page.Length;
        return output;
    }

    /// <summary>The page buffer compressed (or as is when uncompressed).</summary>
    private ReadOnlySpan<byte> Compress(CompressionCodec codec)
    {
        if (codec == CompressionCodec.Uncompressed)
        {
            return _page.WrittenSpan;
        }
        // Compress may replace _compressed with a larger array: take the length first, then the span.
        int length = PageCodec.Compress(codec, _page.WrittenSpan, ref _compressed, _options.GzipLevel);
        return _compressed.AsSpan(0, length);
    }

    /// <summary>Encodes levels with the RLE hybrid, run by run; returns the bytes written (including any length prefix).</summary>
    // Hot: compiled fully optimised at once rather than after tier-0 warm-up.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private int EncodeLevels(ByteBuffer target, ReadOnlySpan<byte> levels, int maxLevel, bool lengthPrefix)
    {
        int start = target.Length;
        if (lengthPrefix) target.WriteInt32(0);
        int dataStart = target.Length;
        _rle.Begin(target, BitPacking.BitWidth((ulong)maxLevel));
        int i = 0;
        while (i < levels.Length)
        {
            byte value = levels[i];
            int j = i + 1;
            while (j < levels.Length && levels[j] == value) j++;
            _rle.WriteRun(value, j - i);
            i = j;
        }
        _rle.Finish();
        if (lengthPrefix)
        {
            System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(target.Array.AsSpan(start), target.Length - dataStart);
        }
        return target.Length - start;
    }

    // Hot: compiled fully optimised at once rather than after tier-0 warm-up.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private static void WritePlain(ColumnWriter column, int start, int end, ByteBuffer output)
    {
        switch (column)
        {
            case ColumnWriter<bool> b:
                {
                    var values = b.Values[start..end];
                    var bytes = output.GetSpan((values.Length + 7) / 8);
                    bytes.Clear();
                    for (int i = 0; i < values.Length; i++)
                    {
                        if (values[i]) bytes[i >> 3] |= (byte)(1 << (i & 7));
                    }
                    output.Advance(bytes.Length);
                    break;
                }
            case ColumnWriter<int> c: output.WriteUnmanaged(c.Values[start..end]); break;
            case ColumnWriter<long> c: output.WriteUnmanaged(c.Values[start..end]); break;
            case ColumnWriter<float> c: output.WriteUnmanaged(c.Values[start..end]); break;
            case ColumnWriter<double> c: output.WriteUnmanaged(c.Values[start..end]); break;
            case ByteArrayColumnWriter b:
                {
                    var offsets = b.Offsets;
                    var data = b.Data;
                    if (b.Column.PhysicalType == PhysicalType.FixedLenByteArray)
                    {
                        output.Write(data[offsets[start]..offsets[end]]);
                        break;
                    }
                    output.Ensure(offsets[end] - offsets[start] + 4 * (end - start));
                    for (int i = start; i < end; i++)
                    {
                        output.WriteInt32(offsets[i + 1] - offsets[i]);
                        output.Write(data[offsets[i]..offsets[i + 1]]);
                    }
                    break;
                }
        }
    }

    public void Dispose()
    {
        _binaryDictionary?.Clear();
        _page.Dispose();
        _levels.Dispose();
    }
}
