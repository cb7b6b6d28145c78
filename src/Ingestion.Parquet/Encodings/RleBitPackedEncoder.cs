using Ingestion.Parquet.Internal;

namespace Ingestion.Parquet.Encodings;

/// <summary>
/// The RLE / bit-packing hybrid (Encodings.md): runs of at least eight equal values become RLE runs,
/// everything else is bit-packed in groups of eight, up to 63 groups per run header.
/// </summary>
internal sealed class RleBitPackedEncoder
{
    private readonly int[] _buffered = new int[8];
    private ByteBuffer _output = null!;
    private int _bitWidth;
    private int _numBuffered;
    private int _previous;
    private int _repeatCount;
    private int _groupCount;
    private int _groupHeaderPosition = -1;

    public void Begin(ByteBuffer output, int bitWidth)
    {
        _output = output;
        _bitWidth = bitWidth;
        _numBuffered = 0;
        _previous = 0;
        _repeatCount = 0;
        _groupCount = 0;
        _groupHeaderPosition = -1;
    }

    // Hot for every value written: compiled fully optimised at once rather than after tier-0 warm-up.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public void Write(int value)
    {
        if (value == _previous)
        {
            if (++_repeatCount >= 8)
            {
                return;
            }
        }
        else
        {
            if (_repeatCount >= 8)
            {
                WriteRleRun();
            }
            _repeatCount = 1;
            _previous = value;
        }
        _buffered[_numBuffered++] = value;
        if (_numBuffered == 8)
        {
            WriteBitPackedGroup();
        }
    }

    /// <summary>Writes a run of levels; long constant stretches (the common case) cost O(1) per stretch.</summary>
    public void WriteRun(int value, int count)
    {
        // Fill up to the point where the encoder is in RLE mode, then account the rest in bulk.
        while (count > 0 && !(value == _previous && _repeatCount >= 8))
        {
            Write(value);
            count--;
        }
        _repeatCount += count;
    }

    public void Finish()
    {
        if (_repeatCount >= 8)
        {
            WriteRleRun();
        }
        else if (_numBuffered > 0)
        {
            for (int i = _numBuffered; i < 8; i++) _buffered[i] = 0;
            _numBuffered = 8;
            WriteBitPackedGroup();
            EndBitPackedRun();
        }
        else
        {
            EndBitPackedRun();
        }
    }

    private void WriteBitPackedGroup()
    {
        if (_groupCount >= 63)
        {
            EndBitPackedRun();
        }
        if (_groupHeaderPosition < 0)
        {
            _output.WriteByte(0);
            _groupHeaderPosition = _output.Length - 1;
        }
        BitPacking.Pack8(_buffered, _bitWidth, _output.GetSpan(_bitWidth));
        _output.Advance(_bitWidth);
        _numBuffered = 0;
        _repeatCount = 0;
        _groupCount++;
    }

    private void EndBitPackedRun()
    {
        if (_groupHeaderPosition < 0)
        {
            return;
        }
        _output.Array[_groupHeaderPosition] = (byte)((_groupCount << 1) | 1);
        _groupHeaderPosition = -1;
        _groupCount = 0;
    }

    private void WriteRleRun()
    {
        EndBitPackedRun();
        _output.WriteVarint((uint)_repeatCount << 1);
        int bytes = (_bitWidth + 7) / 8;
        for (int i = 0; i < bytes; i++)
        {
            _output.WriteByte((byte)(_previous >> (8 * i)));
        }
        _repeatCount = 0;
        _numBuffered = 0;
    }
}
