using System.Buffers.Binary;
using System.Text;

namespace Ingestion.Parquet.Thrift;

/// <summary>Writes the Thrift compact protocol into a growable buffer.</summary>
internal sealed class ThriftCompactWriter
{
    private readonly Stack<short> _lastFieldIds = new();
    private byte[] _buffer;
    private int _length;
    private short _lastFieldId;

    public ThriftCompactWriter(int capacity = 256) => _buffer = new byte[capacity];

    public int Length => _length;

    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, _length);

    public void Reset()
    {
        _length = 0;
        _lastFieldId = 0;
        _lastFieldIds.Clear();
    }

    public void BeginStruct()
    {
        _lastFieldIds.Push(_lastFieldId);
        _lastFieldId = 0;
    }

    public void EndStruct()
    {
        WriteRawByte((byte)CompactType.Stop);
        _lastFieldId = _lastFieldIds.Pop();
    }

    public void FieldHeader(short id, CompactType type)
    {
        int delta = id - _lastFieldId;
        if (delta > 0 && delta <= 15)
        {
            WriteRawByte((byte)((delta << 4) | (int)type));
        }
        else
        {
            WriteRawByte((byte)type);
            WriteVarint(ZigZag(id));
        }
        _lastFieldId = id;
    }

    public void BoolField(short id, bool value) => FieldHeader(id, value ? CompactType.BooleanTrue : CompactType.BooleanFalse);

    public void I8Field(short id, sbyte value)
    {
        FieldHeader(id, CompactType.Byte);
        WriteRawByte((byte)value);
    }

    public void I32Field(short id, int value)
    {
        FieldHeader(id, CompactType.I32);
        WriteI32(value);
    }

    public void I64Field(short id, long value)
    {
        FieldHeader(id, CompactType.I64);
        WriteI64(value);
    }

    public void DoubleField(short id, double value)
    {
        FieldHeader(id, CompactType.Double);
        Ensure(8);
        BinaryPrimitives.WriteDoubleLittleEndian(_buffer.AsSpan(_length), value);
        _length += 8;
    }

    public void BinaryField(short id, ReadOnlySpan<byte> value)
    {
        FieldHeader(id, CompactType.Binary);
        WriteBinary(value);
    }

    public void StringField(short id, string value)
    {
        FieldHeader(id, CompactType.Binary);
        WriteString(value);
    }

    public void StructField(short id) => FieldHeader(id, CompactType.Struct);

    public void ListField(short id, CompactType elementType, int count)
    {
        FieldHeader(id, CompactType.List);
        ListHeader(elementType, count);
    }

    public void ListHeader(CompactType elementType, int count)
    {
        if (count < 15)
        {
            WriteRawByte((byte)((count << 4) | (int)elementType));
        }
        else
        {
            WriteRawByte((byte)(0xF0 | (int)elementType));
            WriteVarint((uint)count);
        }
    }

    public void WriteI32(int value) => WriteVarint(ZigZag(value));

    public void WriteI64(long value) => WriteVarint((ulong)((value << 1) ^ (value >> 63)));

    public void WriteBinary(ReadOnlySpan<byte> value)
    {
        WriteVarint((uint)value.Length);
        Ensure(value.Length);
        value.CopyTo(_buffer.AsSpan(_length));
        _length += value.Length;
    }

    public void WriteString(string value)
    {
        int max = Encoding.UTF8.GetMaxByteCount(value.Length);
        Ensure(max + 5);
        int count = Encoding.UTF8.GetByteCount(value);
        WriteVarint((uint)count);
        _length += Encoding.UTF8.GetBytes(value, _buffer.AsSpan(_length));
    }

    public void WriteRawByte(byte value)
    {
        Ensure(1);
        _buffer[_length++] = value;
    }

    private static uint ZigZag(int value) => (uint)((value << 1) ^ (value >> 31));

    private void WriteVarint(ulong value)
    {
        Ensure(10);
        while (value >= 0x80)
        {
            _buffer[_length++] = (byte)(value | 0x80);
            value >>= 7;
        }
        _buffer[_length++] = (byte)value;
    }

    private void Ensure(int extra)
    {
        if (_length + extra > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + extra));
        }
    }
}
