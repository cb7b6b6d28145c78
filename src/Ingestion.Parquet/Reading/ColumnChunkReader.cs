using System.Buffers;
using System.Buffers.Binary;
using Ingestion.Parquet.Compression;
using Ingestion.Parquet.Encodings;
using Ingestion.Parquet.Format;
using Ingestion.Parquet.Thrift;

namespace Ingestion.Parquet.Reading;

/// <summary>
/// Decodes one column chunk: walks its pages, verifies checksums, decompresses, and decodes levels and values.
/// Every size the file declares is checked against the bytes actually present before it is used.
/// </summary>
internal sealed class ColumnChunkReader
{
    private readonly ColumnDescriptor _column;
    private readonly ColumnChunkMetadata _meta;
    private readonly ParquetReadOptions _options;
    private readonly byte[] _chunk;
    private readonly long _chunkFileOffset;
    private readonly int _rowGroup;

    private byte[] _pageBuffer = [];
    private int[] _indices = [];
    private ValueStore? _dictionary;
    private (PageHeader Header, int BodyOffset, int BodyLength, string Where, long PageOffset)? _pendingDictionary;

    public ColumnChunkReader(ColumnDescriptor column, ColumnChunkMetadata meta, byte[] chunk, long chunkFileOffset, int rowGroup, ParquetReadOptions options)
    {
        _column = column;
        _meta = meta;
        _chunk = chunk;
        _chunkFileOffset = chunkFileOffset;
        _rowGroup = rowGroup;
        _options = options;
    }

    private string Where(int page, long offset) =>
        $"row group {_rowGroup}, column '{_column.DottedPath}', page {page} at file offset {offset}";

    private ParquetFormatException Error(string message, long fileOffset) => new(message) { FileOffset = fileOffset };

    public ColumnData Read()
    {
        long declared = _meta.ValueCount;
        if (declared < 0 || declared > _options.MaxValuesPerColumnChunk)
        {
            throw Error($"Row group {_rowGroup}, column '{_column.DottedPath}' declares {declared} values; the limit is {_options.MaxValuesPerColumnChunk} (ParquetReadOptions.MaxValuesPerColumnChunk)", _chunkFileOffset);
        }
        int total = (int)declared;
        int maxDef = _column.MaxDefinitionLevel;
        int maxRep = _column.MaxRepetitionLevel;
        // Every entry costs at least a bit of page data unless run-length encoded, so start modestly and let arrays grow.
        int initial = (int)Math.Min(total, Math.Max(1024, _chunk.Length * 8L));
        byte[]? def = maxDef > 0 ? new byte[initial] : null;
        byte[]? rep = maxRep > 0 ? new byte[initial] : null;
        var values = ValueStore.Create(_column, maxDef == 0 ? initial : Math.Min(initial, 1024));

        int read = 0;
        int pos = 0;
        int pageIndex = 0;
        try
        {
            while (read < total)
            {
                long pageOffset = _chunkFileOffset + pos;
                if (pos >= _chunk.Length)
                {
                    throw Error($"Row group {_rowGroup}, column '{_column.DottedPath}': the column chunk ends after {read} of {total} values", pageOffset);
                }
                var thrift = new ThriftCompactReader(_chunk, pos, _chunk.Length - pos, pageOffset);
                PageHeader header;
                try
                {
                    header = PageHeader.Read(thrift);
                }
                catch (ParquetFormatException e)
                {
                    throw new ParquetFormatException($"{Where(pageIndex, pageOffset)}: invalid page header: {e.Message}", e) { FileOffset = e.FileOffset ?? pageOffset };
                }
                pos = thrift.Position;
                string where = Where(pageIndex, pageOffset);
                if (header.CompressedPageSize < 0 || header.CompressedPageSize > _chunk.Length - pos)
                {
                    throw Error($"{where}: compressed page size {header.CompressedPageSize} exceeds the {_chunk.Length - pos} bytes left in the column chunk", pageOffset);
                }
                if (header.UncompressedPageSize < 0)
                {
                    throw Error($"{where}: negative uncompressed page size {header.UncompressedPageSize}", pageOffset);
                }
                int bodyOffset = pos;
                int bodyLength = header.CompressedPageSize;
                pos += bodyLength;

                if (header.Crc is { } crc && _options.VerifyChecksums
                    && header.Type is PageType.DataPage or PageType.DataPageV2 or PageType.DictionaryPage)
                {
                    uint actual = Crc32.Compute(_chunk.AsSpan(bodyOffset, bodyLength));
                    if (actual != (uint)crc)
                    {
                        throw Error($"{where}: page CRC mismatch (stored 0x{(uint)crc:X8}, computed 0x{actual:X8}); the page is corrupt", pageOffset);
                    }
                }

                switch (header.Type)
                {
                    case PageType.DictionaryPage:
                        ReadDictionaryPage(header, bodyOffset, bodyLength, where, pageOffset, read);
                        break;
                    case PageType.DataPage:
                        read += ReadDataPageV1(header, bodyOffset, bodyLength, where, pageOffset, read, total, ref def, ref rep, values);
                        break;
                    case PageType.DataPageV2:
                        read += ReadDataPageV2(header, bodyOffset, bodyLength, where, pageOffset, read, total, ref def, ref rep, values);
                        break;
                    default:
                        break; // index pages and future page types carry nothing this reader needs
                }
                pageIndex++;
            }
        }
        finally
        {
            if (_pageBuffer.Length > 0)
            {
                ArrayPool<byte>.Shared.Return(_pageBuffer);
                _pageBuffer = [];
            }
        }

        if (rep is not null && total > 0 && rep[0] != 0)
        {
            throw Error($"Row group {_rowGroup}, column '{_column.DottedPath}': the first repetition level is {rep[0]}, not 0", _chunkFileOffset);
        }
        return values.ToColumnData(_column, def, rep, total);
    }

    private void ReadDictionaryPage(PageHeader header, int bodyOffset, int bodyLength, string where, long pageOffset, int valuesRead)
    {
        var dict = header.DictionaryPageHeader ?? throw Error($"{where}: dictionary page without a dictionary page header", pageOffset);
        if (_dictionary is not null || _pendingDictionary is not null)
        {
            throw Error($"{where}: a second dictionary page", pageOffset);
        }
        if (valuesRead > 0)
        {
            throw Error($"{where}: dictionary page after data pages", pageOffset);
        }
        if (dict.NumValues < 0)
        {
            throw Error($"{where}: dictionary page declares {dict.NumValues} values", pageOffset);
        }
        if (dict.Encoding is not (ParquetEncoding.Plain or ParquetEncoding.PlainDictionary))
        {
            throw Error($"{where}: unsupported dictionary page encoding {dict.Encoding}", pageOffset);
        }
        // Decoded on first use: a chunk whose pages are all null never needs it (nor its codec).
        _pendingDictionary = (header, bodyOffset, bodyLength, where, pageOffset);
    }

    private ValueStore? LoadDictionary()
    {
        if (_dictionary is not null || _pendingDictionary is not { } pending)
        {
            return _dictionary;
        }
        var (header, bodyOffset, bodyLength, where, pageOffset) = pending;
        int count = header.DictionaryPageHeader!.NumValues;
        // Its own buffer: this runs while a data page's body is being decoded from the shared page buffer.
        var body = Decompress(bodyOffset, bodyLength, header.UncompressedPageSize, where, pageOffset, dedicatedBuffer: true);
        // A value takes at least one bit (booleans) or one byte, so the count is bounded by the page size.
        if (count > (long)body.Length * 8)
        {
            throw Error($"{where}: dictionary page declares {count} values in {body.Length} bytes", pageOffset);
        }
        var store = ValueStore.Create(_column, Math.Min(count, body.Length + 1));
        store.DecodePlain(body, count, where);
        _dictionary = store;
        _pendingDictionary = null;
        return store;
    }

    private int ReadDataPageV1(PageHeader header, int bodyOffset, int bodyLength, string where, long pageOffset,
        int read, int total, ref byte[]? def, ref byte[]? rep, ValueStore values)
    {
        var h = header.DataPageHeader ?? throw Error($"{where}: data page without a data page header", pageOffset);
        int n = CheckCount(h.NumValues, read, total, where, pageOffset);
        var body = Decompress(bodyOffset, bodyLength, header.UncompressedPageSize, where, pageOffset);
        int pos = 0;
        if (_column.MaxRepetitionLevel > 0)
        {
            EnsureLevels(ref rep, read + n);
            pos += DecodeLevelsV1(body[pos..], h.RepetitionLevelEncoding, _column.MaxRepetitionLevel, rep.AsSpan(read, n), $"{where}, repetition levels");
        }
        if (_column.MaxDefinitionLevel > 0)
        {
            EnsureLevels(ref def, read + n);
            pos += DecodeLevelsV1(body[pos..], h.DefinitionLevelEncoding, _column.MaxDefinitionLevel, def.AsSpan(read, n), $"{where}, definition levels");
        }
        int nonNull = CountPresent(def, read, n);
        DecodeValues(h.Encoding, body[pos..], nonNull, values, where, pageOffset);
        return n;
    }

    private int ReadDataPageV2(PageHeader header, int bodyOffset, int bodyLength, string where, long pageOffset,
        int read, int total, ref byte[]? def, ref byte[]? rep, ValueStore values)
    {
        var h = header.DataPageHeaderV2 ?? throw Error($"{where}: data page v2 without its header", pageOffset);
        int n = CheckCount(h.NumValues, read, total, where, pageOffset);
        int repLength = h.RepetitionLevelsByteLength;
        int defLength = h.DefinitionLevelsByteLength;
        if (repLength < 0 || defLength < 0 || (long)repLength + defLength > bodyLength)
        {
            throw Error($"{where}: level lengths {repLength} + {defLength} do not fit the {bodyLength}-byte page", pageOffset);
        }
        var levels = _chunk.AsSpan(bodyOffset, repLength + defLength);
        if (_column.MaxRepetitionLevel > 0)
        {
            EnsureLevels(ref rep, read + n);
            var decoder = new RleBitPackedDecoder(levels[..repLength], BitPacking.BitWidth((ulong)_column.MaxRepetitionLevel));
            decoder.Read(rep.AsSpan(read, n), _column.MaxRepetitionLevel, $"{where}, repetition levels");
        }
        if (_column.MaxDefinitionLevel > 0)
        {
            EnsureLevels(ref def, read + n);
            var decoder = new RleBitPackedDecoder(levels.Slice(repLength, defLength), BitPacking.BitWidth((ulong)_column.MaxDefinitionLevel));
            decoder.Read(def.AsSpan(read, n), _column.MaxDefinitionLevel, $"{where}, definition levels");
        }
        int nonNull = CountPresent(def, read, n);
        int valuesOffset = bodyOffset + repLength + defLength;
        int valuesLength = bodyLength - repLength - defLength;
        int uncompressedValues = header.UncompressedPageSize - repLength - defLength;
        ReadOnlySpan<byte> data;
        if (valuesLength == 0 || nonNull == 0)
        {
            // An empty values section is not a compressed stream, and an all-null page needs no values:
            // never hand either to a codec (which may not even be one this reader supports).
            data = default;
        }
        else if (h.IsCompressed && _meta.Codec != CompressionCodec.Uncompressed)
        {
            if (uncompressedValues < 0)
            {
                throw Error($"{where}: uncompressed page size {header.UncompressedPageSize} is smaller than its levels", pageOffset);
            }
            data = Decompress(valuesOffset, valuesLength, uncompressedValues, where, pageOffset);
        }
        else
        {
            data = _chunk.AsSpan(valuesOffset, valuesLength);
        }
        DecodeValues(h.Encoding, data, nonNull, values, where, pageOffset);
        return n;
    }

    private int CheckCount(int declared, int read, int total, string where, long pageOffset)
    {
        if (declared < 0)
        {
            throw Error($"{where}: negative value count {declared}", pageOffset);
        }
        if (declared > total - read)
        {
            throw Error($"{where}: page declares {declared} values but the column chunk has only {total - read} left", pageOffset);
        }
        return declared;
    }

    private static void EnsureLevels(ref byte[]? levels, int needed)
    {
        if (levels!.Length < needed)
        {
            Array.Resize(ref levels, (int)Math.Min(Math.Max(needed, levels.Length * 2L), Array.MaxLength));
        }
    }

    private int CountPresent(byte[]? def, int start, int n)
    {
        if (def is null)
        {
            return n;
        }
        byte max = (byte)_column.MaxDefinitionLevel;
        return def.AsSpan(start, n).Count(max);
    }

    private static int DecodeLevelsV1(ReadOnlySpan<byte> data, ParquetEncoding encoding, int maxLevel, Span<byte> output, string what)
    {
        int bitWidth = BitPacking.BitWidth((ulong)maxLevel);
        switch (encoding)
        {
            case ParquetEncoding.Rle:
                {
                    if (data.Length < 4)
                    {
                        throw new ParquetFormatException($"{what}: missing length prefix");
                    }
                    int length = BinaryPrimitives.ReadInt32LittleEndian(data);
                    if (length < 0 || length > data.Length - 4)
                    {
                        throw new ParquetFormatException($"{what}: declare {length} bytes but {data.Length - 4} remain");
                    }
                    var decoder = new RleBitPackedDecoder(data.Slice(4, length), bitWidth);
                    decoder.Read(output, maxLevel, what);
                    return 4 + length;
                }
            case ParquetEncoding.BitPacked:
                {
                    // The deprecated BIT_PACKED level encoding packs most-significant bit first, without a length prefix.
                    long bits = (long)output.Length * bitWidth;
                    int bytes = (int)((bits + 7) / 8);
                    if (bytes > data.Length)
                    {
                        throw new ParquetFormatException($"{what}: BIT_PACKED levels need {bytes} bytes, {data.Length} remain");
                    }
                    long bit = 0;
                    for (int i = 0; i < output.Length; i++)
                    {
                        int v = 0;
                        for (int b = 0; b < bitWidth; b++, bit++)
                        {
                            v = (v << 1) | ((data[(int)(bit >> 3)] >> (7 - (int)(bit & 7))) & 1);
                        }
                        if (v > maxLevel)
                        {
                            throw new ParquetFormatException($"{what}: level {v} exceeds the maximum {maxLevel}");
                        }
                        output[i] = (byte)v;
                    }
                    return bytes;
                }
            default:
                throw new ParquetFormatException($"{what}: unsupported level encoding {encoding}");
        }
    }

    private void DecodeValues(ParquetEncoding encoding, ReadOnlySpan<byte> data, int count, ValueStore values, string where, long pageOffset)
    {
        if (count == 0)
        {
            return; // an all-null page: whatever the values section holds, nothing is read from it
        }
        switch (encoding)
        {
            case ParquetEncoding.Plain:
                values.DecodePlain(data, count, where);
                break;
            case ParquetEncoding.PlainDictionary:
            case ParquetEncoding.RleDictionary:
                DecodeDictionaryIndices(data, count, values, where, pageOffset);
                break;
            case ParquetEncoding.Rle:
                values.DecodeRleBoolean(data, count, where);
                break;
            case ParquetEncoding.DeltaBinaryPacked:
                values.DecodeDeltaBinaryPacked(data, count, where);
                break;
            case ParquetEncoding.DeltaLengthByteArray:
                values.DecodeDeltaLengthByteArray(data, count, where);
                break;
            case ParquetEncoding.DeltaByteArray:
                values.DecodeDeltaByteArray(data, count, where);
                break;
            case ParquetEncoding.ByteStreamSplit:
                values.DecodeByteStreamSplit(data, count, where);
                break;
            default:
                throw Error($"{where}: unsupported value encoding {encoding}", pageOffset);
        }
    }

    private void DecodeDictionaryIndices(ReadOnlySpan<byte> data, int count, ValueStore values, string where, long pageOffset)
    {
        if (count == 0)
        {
            return;
        }
        var dict = LoadDictionary() ?? throw Error($"{where}: dictionary-encoded page but the chunk has no dictionary page", pageOffset);
        if (dict.Count == 0)
        {
            throw Error($"{where}: dictionary-encoded values but the dictionary is empty", pageOffset);
        }
        if (data.Length < 1)
        {
            throw Error($"{where}: dictionary-encoded page lacks its bit width", pageOffset);
        }
        int bitWidth = data[0];
        if (bitWidth > 32)
        {
            throw Error($"{where}: dictionary index bit width {bitWidth} exceeds 32", pageOffset);
        }
        // Batches keep the index buffer small however many values a run-length encoded page claims.
        const int batch = 8192;
        if (_indices.Length < Math.Min(count, batch))
        {
            _indices = new int[Math.Min(count, batch)];
        }
        var decoder = new RleBitPackedDecoder(data[1..], bitWidth);
        string what = $"{where}, dictionary indices";
        for (int done = 0; done < count; done += batch)
        {
            var indices = _indices.AsSpan(0, Math.Min(batch, count - done));
            decoder.Read(indices, dict.Count - 1, what);
            values.AppendFromDictionary(dict, indices);
        }
    }

    private ReadOnlySpan<byte> Decompress(int offset, int length, int uncompressedSize, string where, long pageOffset, bool dedicatedBuffer = false)
    {
        var codec = _meta.Codec;
        if (codec == CompressionCodec.Uncompressed)
        {
            if (uncompressedSize != length)
            {
                throw Error($"{where}: uncompressed page declares {uncompressedSize} bytes but holds {length}", pageOffset);
            }
            return _chunk.AsSpan(offset, length);
        }
        if (!PageCodec.IsSupported(codec))
        {
            throw new ParquetNotSupportedException($"Row group {_rowGroup}, column '{_column.DottedPath}' is compressed with {PageCodec.Describe(codec)}, which this reader does not support (supported: UNCOMPRESSED, SNAPPY, GZIP).")
            {
                FileOffset = pageOffset,
            };
        }
        if (uncompressedSize > PageCodec.MaxExpansion(codec, length))
        {
            throw Error($"{where}: {length} compressed bytes cannot expand to the declared {uncompressedSize}", pageOffset);
        }
        if (!dedicatedBuffer && _pageBuffer.Length < uncompressedSize)
        {
            if (_pageBuffer.Length > 0)
            {
                ArrayPool<byte>.Shared.Return(_pageBuffer);
            }
            _pageBuffer = ArrayPool<byte>.Shared.Rent(Math.Max(uncompressedSize, 1));
        }
        var target = dedicatedBuffer ? new byte[uncompressedSize] : _pageBuffer.AsSpan(0, uncompressedSize);
        try
        {
            PageCodec.Decompress(codec, _chunk, offset, length, target);
        }
        catch (InvalidDataException e)
        {
            throw new ParquetFormatException($"{where}: {PageCodec.Describe(codec)} data is corrupt: {e.Message}", e) { FileOffset = pageOffset };
        }
        return target;
    }
}
