using System.Collections.Concurrent;
using System.Buffers.Binary;
using Ingestion.Parquet.Format;
using Ingestion.Parquet.Thrift;
using Ingestion.Parquet.Writing;

namespace Ingestion.Parquet;

/// <summary>
/// Writes a Parquet file to a stream. Rows are buffered column by column; when the buffered size reaches
/// <see cref="ParquetWriterOptions.RowGroupSize"/> the full row group is handed to a background task that encodes
/// and streams it out while the caller fills a second set of buffers (at most one row group is in flight, so memory
/// stays bounded by two row groups). A failure of the background flush surfaces on the next call or at
/// <see cref="Close"/>. The stream need not be seekable. Dispose (or <see cref="DisposeAsync"/>) writes the footer;
/// <see cref="Abandon"/> stops without one. Not thread-safe.
/// </summary>
public sealed class ParquetWriter : IDisposable, IAsyncDisposable
{
    private static ReadOnlySpan<byte> Magic => "PAR1"u8;

    private readonly Stream _stream;
    private readonly bool _leaveOpen;
    private readonly ParquetWriterOptions _options;
    private readonly ColumnWriter[] _columns;
    private readonly ColumnMark[] _marks;
    private readonly RowShredder _shredder;
    private readonly List<RowGroup> _rowGroups = new();
    private readonly ConcurrentBag<ChunkEncoder> _encoders = new();
    // The second set of column buffers: holds the row group being flushed in the background (see FlushInBackground).
    private ColumnWriter[]? _twins;
    private Task? _pending;
    private volatile bool _abandoned;
    private int _rowGroupCount;
    private long _position;
    private int _bufferedRows;
    private long _nextCapacityPlan = 1024;
    private long _rowsFlushed;
    private bool _started;
    private bool _closed;
    private bool _faulted;

    public ParquetWriter(Stream stream, ParquetSchema schema, ParquetWriterOptions? options = null, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(schema);
        if (!stream.CanWrite)
        {
            throw new ArgumentException("The stream is not writable.", nameof(stream));
        }
        _options = options ?? new ParquetWriterOptions();
        _options.Validate();
        _stream = stream;
        _leaveOpen = leaveOpen;
        Schema = schema;
        _columns = schema.Columns.Select(ColumnWriter.Create).ToArray();
        _marks = new ColumnMark[_columns.Length];
        _shredder = new RowShredder(schema, _columns);
    }

    /// <summary>Creates (or overwrites) a file.</summary>
    public static ParquetWriter Create(string path, ParquetSchema schema, ParquetWriterOptions? options = null) =>
        new(new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16), schema, options);

    public ParquetSchema Schema { get; }

    /// <summary>The column buffers of the current row group, in schema column order.</summary>
    public IReadOnlyList<ColumnWriter> Columns => _columns;

    /// <summary>Rows written so far, including those still buffered.</summary>
    public long RowCount => _rowsFlushed + _bufferedRows;

    /// <summary>Row groups written to the stream so far (including one still being written in the background).</summary>
    public int RowGroupCount => _rowGroupCount;

    /// <summary>The typed writer of a bool, int, long, float or double column.</summary>
    public ColumnWriter<T> GetColumn<T>(int index) where T : unmanaged =>
        _columns[index] as ColumnWriter<T>
        ?? throw new InvalidOperationException($"Column '{_columns[index].Column.DottedPath}' is {_columns[index].Column.PhysicalType}, not {typeof(T).Name}.");

    public ColumnWriter<T> GetColumn<T>(string dottedPath) where T : unmanaged => GetColumn<T>(IndexOf(dottedPath));

    /// <summary>The writer of a BYTE_ARRAY or FIXED_LEN_BYTE_ARRAY column.</summary>
    public ByteArrayColumnWriter GetByteArrayColumn(int index) =>
        _columns[index] as ByteArrayColumnWriter
        ?? throw new InvalidOperationException($"Column '{_columns[index].Column.DottedPath}' is {_columns[index].Column.PhysicalType}, not a byte array.");

    public ByteArrayColumnWriter GetByteArrayColumn(string dottedPath) => GetByteArrayColumn(IndexOf(dottedPath));

    private int IndexOf(string dottedPath) =>
        Schema.FindColumn(dottedPath)?.Index ?? throw new ArgumentException($"No column '{dottedPath}'.", nameof(dottedPath));

    /// <summary>
    /// Completes a row written through the column writers: every column must have started exactly one more row.
    /// Flushes the row group when it has reached its target size.
    /// </summary>
    public void EndRow() => EndRows(1);

    /// <summary>Completes <paramref name="count"/> rows written through the column writers (e.g. after <see cref="ColumnWriter{T}.WriteRange"/>).</summary>
    public void EndRows(int count)
    {
        ThrowIfClosed();
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        int expected = _bufferedRows + count;
        foreach (var column in _columns)
        {
            if (column.RowCount != expected)
            {
                throw new InvalidOperationException($"Column '{column.Column.DottedPath}' has {column.RowCount} rows buffered; expected {expected}. Write every column once per row before ending the row.");
            }
        }
        _bufferedRows = expected;
        FlushIfFull();
    }

    /// <summary>
    /// Writes one row given as a dictionary (or hashtable, or object with matching properties). Nested structs
    /// are dictionaries or objects, lists are sequences, maps are dictionaries or key/value pairs. Missing fields
    /// are null. A value that does not fit the schema throws <see cref="ArgumentException"/> and leaves the
    /// writer as it was before the row.
    /// </summary>
    public void WriteRow(object row)
    {
        ArgumentNullException.ThrowIfNull(row);
        ThrowIfClosed();
        for (int i = 0; i < _columns.Length; i++) _marks[i] = _columns[i].Mark();
        try
        {
            _shredder.Write(row);
        }
        catch
        {
            for (int i = 0; i < _columns.Length; i++) _columns[i].Rollback(_marks[i]);
            throw;
        }
        _bufferedRows++;
        FlushIfFull();
    }

    public void WriteRows(IEnumerable<object> rows)
    {
        foreach (var row in rows) WriteRow(row);
    }

    private void FlushIfFull()
    {
        long buffered = 0;
        foreach (var column in _columns) buffered += column.BufferedBytes;
        if (buffered >= _options.RowGroupSize)
        {
            FlushInBackground();
        }
        else if (_bufferedRows >= _nextCapacityPlan && buffered > 0)
        {
            // Size the column buffers for the whole row group from what its first rows take, at 1K, 2K, 4K... rows:
            // they then grow once to about what the row group needs instead of doubling up to twice that.
            _nextCapacityPlan = Math.Max(_bufferedRows, 1024) * 2L;
            double scale = (double)_options.RowGroupSize / buffered;
            foreach (var column in _columns) column.PlanCapacity(scale);
        }
    }

    /// <summary>
    /// Hands the buffered row group to a background task that encodes and writes it, after waiting for the previous
    /// one; the columns go on filling the buffers that row group used.
    /// </summary>
    private void FlushInBackground()
    {
        WaitForPending();
        if (_bufferedRows == 0) return;
        var twins = _twins ??= _columns.Select(c => ColumnWriter.Create(c.Column)).ToArray();
        for (int i = 0; i < _columns.Length; i++)
        {
            _columns[i].SwapBuffers(twins[i]);
            _columns[i].Reset();
        }
        int rows = _bufferedRows;
        RowGroupHandedOff();
        // Encoded one column after another: the caller's thread is busy filling the next row group meanwhile.
        _pending = Task.Run(() =>
        {
            var chunks = EncodeRowGroup(twins, 1);
            WriteRowGroup(twins, rows, chunks);
        });
    }

    /// <summary>Waits for the row group being written in the background; rethrows its failure (the writer is then faulted).</summary>
    private void WaitForPending()
    {
        if (_pending is not { } pending) return;
        _pending = null;
        try
        {
            pending.GetAwaiter().GetResult();
        }
        catch
        {
            _faulted = true;
            throw;
        }
    }

    private async ValueTask WaitForPendingAsync()
    {
        if (_pending is not { } pending) return;
        _pending = null;
        try
        {
            await pending.ConfigureAwait(false);
        }
        catch
        {
            _faulted = true;
            throw;
        }
    }

    /// <summary>Encodes and writes the buffered rows as a row group (nothing happens when none are buffered).</summary>
    public void FlushRowGroup()
    {
        ThrowIfClosed();
        if (_bufferedRows == 0)
        {
            WaitForPending();
            return;
        }
        // Encoded while a row group in flight is still being written; written after it.
        var chunks = EncodeRowGroup(_columns, _options.MaxDegreeOfParallelism);
        WaitForPending();
        WriteRowGroup(_columns, _bufferedRows, chunks);
        RowGroupHandedOff();
        foreach (var column in _columns) column.Reset();
    }

    /// <summary>Encodes and writes the buffered rows as a row group, writing to the stream asynchronously.</summary>
    public async Task FlushRowGroupAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfClosed();
        await WaitForPendingAsync().ConfigureAwait(false);
        if (_bufferedRows == 0) return;
        var chunks = EncodeRowGroup(_columns, _options.MaxDegreeOfParallelism);
        try
        {
            if (!_started)
            {
                await WriteAsync(Magic.ToArray(), cancellationToken).ConfigureAwait(false);
                _started = true;
            }
            var group = StartRowGroup(_bufferedRows);
            for (int i = 0; i < chunks.Length; i++)
            {
                AddColumnChunk(group, i, chunks[i]);
                if (chunks[i].DictionaryPage is { } dictionary)
                {
                    await WriteAsync(dictionary.Array.AsMemory(0, dictionary.Length), cancellationToken).ConfigureAwait(false);
                }
                await WriteAsync(chunks[i].DataPages.Array.AsMemory(0, chunks[i].DataPages.Length), cancellationToken).ConfigureAwait(false);
            }
            _rowGroups.Add(group);
        }
        catch
        {
            _faulted = true;
            throw;
        }
        RowGroupHandedOff();
        foreach (var column in _columns) column.Reset();
    }

    /// <summary>Writes encoded chunks as the next row group (on the caller's thread or the background flush's).</summary>
    private void WriteRowGroup(ColumnWriter[] columns, int rows, EncodedChunk[] chunks)
    {
        try
        {
            if (_abandoned) throw new OperationCanceledException("The writer was abandoned.");
            if (!_started)
            {
                Write(Magic);
                _started = true;
            }
            var group = StartRowGroup(rows);
            for (int i = 0; i < chunks.Length; i++)
            {
                AddColumnChunk(group, i, chunks[i]);
                if (chunks[i].DictionaryPage is { } dictionary) Write(dictionary.WrittenSpan);
                Write(chunks[i].DataPages.WrittenSpan);
            }
            _rowGroups.Add(group);
        }
        catch
        {
            _faulted = true;
            throw;
        }
    }

    private EncodedChunk[] EncodeRowGroup(ColumnWriter[] columns, int parallelism)
    {
        var chunks = new EncodedChunk[columns.Length];
        void EncodeOne(int i)
        {
            if (_abandoned) throw new OperationCanceledException("The writer was abandoned.");
            if (!_encoders.TryTake(out var encoder)) encoder = new ChunkEncoder(_options);
            try
            {
                chunks[i] = encoder.Encode(columns[i]);
            }
            finally
            {
                _encoders.Add(encoder);
            }
        }
        try
        {
            if (parallelism == 1 || columns.Length == 1)
            {
                for (int i = 0; i < chunks.Length; i++) EncodeOne(i);
            }
            else
            {
                Parallel.For(0, chunks.Length, new ParallelOptions { MaxDegreeOfParallelism = parallelism }, EncodeOne);
            }
        }
        catch (AggregateException e) when (e.InnerExceptions.Count == 1)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
            throw;
        }
        return chunks;
    }

    private RowGroup StartRowGroup(int rows) => new()
    {
        NumRows = rows,
        FileOffset = _position,
        Ordinal = _rowGroups.Count <= short.MaxValue ? (short)_rowGroups.Count : null,
    };

    private void AddColumnChunk(RowGroup group, int index, EncodedChunk chunk)
    {
        var descriptor = _columns[index].Column;
        long dictionaryLength = chunk.DictionaryPage?.Length ?? 0;
        var meta = new ColumnMetaData
        {
            Type = descriptor.PhysicalType,
            Encodings = chunk.Encodings,
            PathInSchema = descriptor.Path.ToList(),
            Codec = _options.Compression,
            NumValues = chunk.NumValues,
            TotalUncompressedSize = chunk.UncompressedSize,
            TotalCompressedSize = chunk.CompressedSize,
            DataPageOffset = _position + dictionaryLength,
            DictionaryPageOffset = dictionaryLength > 0 ? _position : null,
            Statistics = chunk.Statistics,
            EncodingStats = chunk.EncodingStats,
        };
        group.Columns.Add(new ColumnChunk { FileOffset = _position, MetaData = meta });
        group.TotalByteSize += chunk.UncompressedSize;
        group.TotalCompressedSize = (group.TotalCompressedSize ?? 0) + chunk.CompressedSize;
    }

    /// <summary>The buffered rows have gone to a row group (written, or being written in the background).</summary>
    private void RowGroupHandedOff()
    {
        _rowGroupCount++;
        _rowsFlushed += _bufferedRows;
        _bufferedRows = 0;
        _nextCapacityPlan = 1024;
    }

    private byte[] BuildFooter()
    {
        var meta = new FileMetaData
        {
            Version = 2,
            Schema = Schema.ToElements(),
            NumRows = _rowsFlushed,
            RowGroups = _rowGroups,
            KeyValueMetadata = _options.KeyValueMetadata?.Select(kv => new KeyValuePair<string, string?>(kv.Key, kv.Value)).ToList(),
            CreatedBy = _options.CreatedBy,
            ColumnOrderCount = _columns.Length,
        };
        var writer = new ThriftCompactWriter(4096);
        meta.Write(writer);
        var footer = new byte[writer.Length + 8 + (_started ? 0 : 4)];
        int offset = 0;
        if (!_started)
        {
            Magic.CopyTo(footer);
            offset = 4;
        }
        writer.WrittenSpan.CopyTo(footer.AsSpan(offset));
        BinaryPrimitives.WriteInt32LittleEndian(footer.AsSpan(offset + writer.Length), writer.Length);
        Magic.CopyTo(footer.AsSpan(offset + writer.Length + 4));
        return footer;
    }

    /// <summary>Flushes the last row group and writes the footer; the stream is then complete.</summary>
    public void Close()
    {
        if (_closed) return;
        if (_faulted)
        {
            // The failure was reported to the caller; the stream is incomplete and gets no footer.
            WaitQuietly();
            _closed = true;
            return;
        }
        try
        {
            FlushRowGroup();
        }
        catch
        {
            // Not written completely: no footer, and nothing left running against the stream.
            WaitQuietly();
            _closed = true;
            throw;
        }
        var footer = BuildFooter();
        _started = true;
        Write(footer);
        _stream.Flush();
        _closed = true;
    }

    public async Task CloseAsync(CancellationToken cancellationToken = default)
    {
        if (_closed) return;
        if (_faulted)
        {
            WaitQuietly();
            _closed = true;
            return;
        }
        try
        {
            await FlushRowGroupAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            WaitQuietly();
            _closed = true;
            throw;
        }
        var footer = BuildFooter();
        _started = true;
        await WriteAsync(footer, cancellationToken).ConfigureAwait(false);
        await _stream.FlushAsync(cancellationToken).ConfigureAwait(false);
        _closed = true;
    }

    private void Write(ReadOnlySpan<byte> data)
    {
        _stream.Write(data);
        _position += data.Length;
    }

    private async ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        await _stream.WriteAsync(data, cancellationToken).ConfigureAwait(false);
        _position += data.Length;
    }

    private void ThrowIfClosed()
    {
        ObjectDisposedException.ThrowIf(_closed, this);
        if (_pending is { IsCompleted: true } done && !done.IsCompletedSuccessfully)
        {
            WaitForPending(); // throws the background flush's failure
        }
        if (_faulted) throw new InvalidOperationException("The writer failed while writing to its stream and cannot continue.");
    }

    /// <summary>
    /// Stops without writing the footer (the stream is left incomplete, e.g. to be deleted): cancels and waits for
    /// a row group being written in the background, ignoring its failure, and closes the stream unless left open.
    /// </summary>
    public void Abandon()
    {
        _abandoned = true;
        WaitQuietly();
        _closed = true;
        DisposeEncoders();
        if (!_leaveOpen) _stream.Dispose();
    }

    /// <summary>Waits for the background flush, if any, ignoring its failure (already reported or moot).</summary>
    private void WaitQuietly()
    {
        try
        {
            WaitForPending();
        }
        catch
        {
            // Reported elsewhere, or moot once the writer is abandoned.
        }
    }

    public void Dispose()
    {
        try
        {
            Close();
        }
        finally
        {
            WaitQuietly();
            _closed = true;
            DisposeEncoders();
            if (!_leaveOpen) _stream.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await CloseAsync().ConfigureAwait(false);
        }
        finally
        {
            WaitQuietly();
            _closed = true;
            DisposeEncoders();
            if (!_leaveOpen) await _stream.DisposeAsync().ConfigureAwait(false);
        }
    }

    private void DisposeEncoders()
    {
        while (_encoders.TryTake(out var encoder)) encoder.Dispose();
    }
}
