using System.Numerics;

namespace Ingestion.Parquet.Encodings;

/// <summary>
/// Decodes the RLE / bit-packing hybrid. Stops with <see cref="ParquetFormatException"/> when the data
/// runs out before the requested number of values, or a value exceeds the permitted maximum.
/// </summary>
internal ref struct RleBitPackedDecoder
{
    private readonly ReadOnlySpan<byte> _data;
    private readonly int _bitWidth;
    private int _position;

    // Current run.
    private bool _isRle;
    private long _runRemaining;
    private int _rleValue;
    private long _packedBitOffset;

    public RleBitPackedDecoder(ReadOnlySpan<byte> data, int bitWidth)
    {
        if (bitWidth is < 0 or > 32)
        {
            throw new ParquetFormatException($"RLE bit width {bitWidth} is outside 0..32");
        }
        _data = data;
        _bitWidth = bitWidth;
        _position = 0;
        _isRle = false;
        _runRemaining = 0;
        _rleValue = 0;
        _packedBitOffset = 0;
    }

    /// <summary>Bytes consumed so far.</summary>
    public int Position => _position;

    /// <summary>Fills <paramref name="output"/>; every value must be at most <paramref name="maxValue"/>.</summary>
    public void Read<T>(scoped Span<T> output, int maxValue, string what) where T : unmanaged, IBinaryInteger<T>
    {
        int i = 0;
        while (i < output.Length)
        {
            while (_runRemaining == 0)
            {
                if (!NextRun(what))
                {
                    throw new ParquetFormatException($"{what}: RLE data ends after {i} of {output.Length} values");
                }
            }
            int take = (int)Math.Min(_runRemaining, output.Length - i);
            if (_isRle)
            {
                if ((uint)_rleValue > (uint)maxValue)
                {
                    throw new ParquetFormatException($"{what}: value {_rleValue} exceeds the maximum {maxValue}");
                }
                output.Slice(i, take).Fill(T.CreateTruncating(_rleValue));
            }
            else
            {
                for (int k = 0; k < take; k++)
                {
                    uint v = (uint)BitPacking.ReadBits(_data, _packedBitOffset, _bitWidth);
                    _packedBitOffset += _bitWidth;
                    if (v > (uint)maxValue)
                    {
                        throw new ParquetFormatException($"{what}: value {v} exceeds the maximum {maxValue}");
                    }
                    output[i + k] = T.CreateTruncating(v);
                }
            }
            _runRemaining -= take;
            i += take;
        }
    }

    private bool NextRun(string what)
    {
        if (_position >= _data.Length)
        {
            return false;
        }
        uint header = ReadVarint(what);
        if ((header & 1) == 0)
        {
            _isRle = true;
            _runRemaining = header >> 1;
            int bytes = (_bitWidth + 7) / 8;
            if (_position + bytes > _data.Length)
            {
                throw new ParquetFormatException($"{what}: RLE run value is truncated");
            }
            int v = 0;
            for (int k = 0; k < bytes; k++) v |= _data[_position + k] << (8 * k);
            _position += bytes;
            _rleValue = v;
            return true;
        }
        _isRle = false;
        long groups = header >> 1;
        long byteLength = groups * _bitWidth;
        // A final group may be cut short by some writers: only the values actually present count.
        long available = Math.Min(byteLength, _data.Length - _position);
        _runRemaining = _bitWidth == 0 ? groups * 8 : Math.Min(groups * 8, available * 8 / _bitWidth);
        _packedBitOffset = (long)_position * 8;
        _position += (int)available;
        return true;
    }

    private uint ReadVarint(string what)
    {
        uint result = 0;
        for (int shift = 0; shift < 35; shift += 7)
        {
            if (_position >= _data.Length)
            {
                throw new ParquetFormatException($"{what}: RLE run header is truncated");
            }
            byte b = _data[_position++];
            result |= (uint)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return result;
            }
        }
        throw new ParquetFormatException($"{what}: RLE run header varint is too long");
    }
}
