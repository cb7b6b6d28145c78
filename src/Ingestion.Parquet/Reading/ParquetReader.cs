using System.Buffers.Binary;
using Ingestion.Parquet.Format;
using Ingestion.Parquet.Reading;
using Ingestion.Parquet.Thrift;

namespace Ingestion.Parquet;

/// <summary>
/// Reads a Parquet file from a seekable stream: footer metadata, typed column chunks with their levels,
/// and rows assembled into .NET values one row group at a time. Not thread-safe.
/// </summary>
public sealed class ParquetReader : IDisposable, IAsyncDisposable
{
    private static ReadOnlySpan<byte> Magic => "PAR1"u8;
    private static ReadOnlySpan<byte> EncryptedMagic => "PARE"u8;

    private readonly Stream _stream;
    private readonly bool _leaveOpen;
    private readonly ParquetReadOptions _options;
    private readonly long _fileLength;
    private readonly long _footerStart;
    private bool _disposed;

    public ParquetReader(Stream stream, ParquetReadOptions? options = null, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanSeek || !stream.CanRead)
        {
            throw new ArgumentException("Parquet needs a readable, seekable stream (the footer is at the end).", nameof(stream));
        }
        _stream = stream;
        _leaveOpen = leaveOpen;
        _options = options ?? ParquetReadOptions.Default;
        _fileLength = stream.Length;
        try
        {
            (Metadata, _footerStart) = ReadFooter();
        }
        catch
        {
            if (!leaveOpen) stream.Dispose();
            throw;
        }
    }

    /// <summary>Opens a file for reading.</summary>
    public static ParquetReader Open(string path, ParquetReadOptions? options = null) =>
        new(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.RandomAccess), options);

    public ParquetFileMetadata Metadata { get; }

    public ParquetSchema Schema => Metadata.Schema;

    public IReadOnlyList<RowGroupMetadata> RowGroups => Metadata.RowGroups;

    private (ParquetFileMetadata, long) ReadFooter()
    {
        if (_fileLength < 12)
        {
            throw new ParquetFormatException($"The file is {_fileLength} bytes, too small to be Parquet (at least 12 bytes: magic, footer length, magic).");
        }
        Span<byte> head = stackalloc byte[4];
        ReadExactly(0, head);
        Span<byte> tail = stackalloc byte[8];
        ReadExactly(_fileLength - 8, tail);
        if (tail[4..].SequenceEqual(EncryptedMagic) || head.SequenceEqual(EncryptedMagic))
        {
            throw new ParquetNotSupportedException("The file uses Parquet Modular Encryption (magic 'PARE'); encrypted files are not supported.");
        }
        if (!tail[4..].SequenceEqual(Magic))
        {
            throw new ParquetFormatException("The file does not end with the Parquet magic 'PAR1'; it is not Parquet or is truncated.") { FileOffset = _fileLength - 4 };
        }
        if (!head.SequenceEqual(Magic))
        {
            throw new ParquetFormatException("The file does not start with the Parquet magic 'PAR1'.") { FileOffset = 0 };
        }
        int footerLength = BinaryPrimitives.ReadInt32LittleEndian(tail);
        if (footerLength <= 0 || footerLength > _fileLength - 12)
        {
            throw new ParquetFormatException($"The footer length {footerLength} does not fit a {_fileLength}-byte file.") { FileOffset = _fileLength - 8 };
        }
        long footerStart = _fileLength - 8 - footerLength;
        var footer = new byte[footerLength];
        ReadExactly(footerStart, footer);
        var raw = FileMetaData.Read(new ThriftCompactReader(footer, 0, footer.Length, footerStart));
        if (raw.IsEncrypted)
        {
            throw new ParquetNotSupportedException("The file uses Parquet Modular Encryption (plaintext footer with encryption algorithm); encrypted files are not supported.");
        }
        var schema = ParquetSchema.FromElements(raw.Schema);
        var rowGroups = new List<RowGroupMetadata>(raw.RowGroups.Count);
        for (int g = 0; g < raw.RowGroups.Count; g++)
        {
            var group = raw.RowGroups[g];
            if (group.NumRows < 0)
            {
                throw new ParquetFormatException($"Row group {g} declares {group.NumRows} rows.");
            }
            if (group.Columns.Count != schema.Columns.Count)
            {
                throw new ParquetFormatException($"Row group {g} has {group.Columns.Count} column chunks but the schema has {schema.Columns.Count} columns.");
            }
            var columns = new ColumnChunkMetadata[group.Columns.Count];
            for (int c = 0; c < columns.Length; c++)
            {
                var chunk = group.Columns[c];
                var column = schema.Columns[c];
                if (chunk.IsEncrypted)
                {
                    throw new ParquetNotSupportedException($"Column '{column.DottedPath}' is encrypted (Parquet Modular Encryption); encrypted files are not supported.");
                }
                if (chunk.MetaData is null)
                {
                    throw new ParquetFormatException(chunk.FilePath is null
                        ? $"Row group {g}, column '{column.DottedPath}' has no column metadata."
                        : $"Row group {g}, column '{column.DottedPath}' lives in another file ('{chunk.FilePath}'); external column chunks are not supported.");
                }
                if (chunk.MetaData.Type != column.PhysicalType)
                {
                    throw new ParquetFormatException($"Row group {g}, column '{column.DottedPath}' is stored as {chunk.MetaData.Type} but the schema says {column.PhysicalType}.");
                }
                columns[c] = new ColumnChunkMetadata(column, chunk.MetaData);
            }
            rowGroups.Add(new RowGroupMetadata(g, group, columns));
        }
        return (new ParquetFileMetadata(raw, schema, rowGroups), footerStart);
    }

    /// <summary>Decodes one column chunk with its definition and repetition levels.</summary>
    public ColumnData ReadColumn(int rowGroup, int column)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if ((uint)rowGroup >= (uint)RowGroups.Count) throw new ArgumentOutOfRangeException(nameof(rowGroup));
        var group = RowGroups[rowGroup];
        if ((uint)column >= (uint)group.Columns.Count) throw new ArgumentOutOfRangeException(nameof(column));
        var meta = group.Columns[column];
        var descriptor = Schema.Columns[column];

        if (meta.ValueCount == 0)
        {
            // Nothing to decode; writers of empty chunks sometimes leave the offsets unset.
            return ValueStore.Create(descriptor, 0).ToColumnData(descriptor, descriptor.MaxDefinitionLevel > 0 ? [] : null,
                descriptor.MaxRepetitionLevel > 0 ? [] : null, 0);
        }
        long start = meta.DataPageOffset;
        // Some writers store 0 for "no dictionary"; a real dictionary page precedes the data pages.
        if (meta.DictionaryPageOffset is > 0 and var dictionaryOffset && dictionaryOffset < start)
        {
            start = dictionaryOffset;
        }
        long length = meta.TotalCompressedSize;
        if (start < 4 || length < 0 || start > _footerStart || length > _footerStart - start)
        {
            throw new ParquetFormatException($"Row group {rowGroup}, column '{descriptor.DottedPath}' claims bytes {start}..{start + length}, outside the data region 4..{_footerStart}.") { FileOffset = start };
        }
        var chunk = new byte[length];
        ReadExactly(start, chunk);
        return new ColumnChunkReader(descriptor, meta, chunk, start, rowGroup, _options).Read();
    }

    /// <summary>Decodes every column of a row group and checks that they agree on the row count.</summary>
    public ColumnData[] ReadRowGroup(int rowGroup)
    {
        var group = RowGroups[rowGroup];
        var columns = new ColumnData[group.Columns.Count];
        for (int c = 0; c < columns.Length; c++)
        {
            var data = ReadColumn(rowGroup, c);
            long rows = CountRows(data);
            if (rows != group.RowCount)
            {
                throw new ParquetFormatException($"Row group {rowGroup}, column '{data.Column.DottedPath}' holds {rows} rows but the row group declares {group.RowCount}.");
            }
            columns[c] = data;
        }
        return columns;
    }

    private static long CountRows(ColumnData data)
    {
        if (data.Column.MaxRepetitionLevel == 0)
        {
            return data.LevelCount;
        }
        return data.RepetitionLevels.Count((byte)0);
    }

    /// <summary>Rows as dictionaries of field name to value, streamed row group by row group.</summary>
    /// <param name="limit">Stop after this many rows (null for all).</param>
    public IEnumerable<Dictionary<string, object?>> ReadRows(long? limit = null)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (limit < 0) throw new ArgumentOutOfRangeException(nameof(limit));
        return Iterate(limit ?? long.MaxValue);
    }

    private IEnumerable<Dictionary<string, object?>> Iterate(long limit)
    {
        long produced = 0;
        for (int g = 0; g < RowGroups.Count && produced < limit; g++)
        {
            if (RowGroups[g].RowCount == 0)
            {
                continue;
            }
            var assembler = new RowAssembler(Schema, ReadRowGroup(g), _options, g);
            for (long r = 0; r < RowGroups[g].RowCount && produced < limit; r++)
            {
                yield return assembler.NextRow();
                produced++;
            }
        }
    }

    /// <summary>The first row, or null when the file has none.</summary>
    public Dictionary<string, object?>? First() => ReadRows(1).FirstOrDefault();

    /// <summary>Reads every row of a file (convenience for small files and tests).</summary>
    public static List<Dictionary<string, object?>> ReadAllRows(string path, ParquetReadOptions? options = null)
    {
        using var reader = Open(path, options);
        return reader.ReadRows().ToList();
    }

    private void ReadExactly(long offset, Span<byte> buffer)
    {
        _stream.Position = offset;
        try
        {
            _stream.ReadExactly(buffer);
        }
        catch (EndOfStreamException e)
        {
            throw new ParquetFormatException($"The file ended while reading {buffer.Length} bytes at offset {offset}.", e) { FileOffset = offset };
        }
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        if (!_leaveOpen) _stream.Dispose();
    }

    public ValueTask DisposeAsync()
    {
        if (_disposed) return ValueTask.CompletedTask;
        _disposed = true;
        return _leaveOpen ? ValueTask.CompletedTask : _stream.DisposeAsync();
    }
}
