using System.Buffers.Binary;
using System.Text;

namespace Ingestion.Parquet.Thrift;

/// <summary>
/// Reads the Thrift compact protocol from a byte range. Every length and count is checked against the
/// bytes that remain, and nesting is capped, so hostile input fails with <see cref="ParquetFormatException"/>
/// instead of allocating or recursing without bound.
/// </summary>
internal sealed class ThriftCompactReader
{
    // Parquet metadata nests about six structs deep; 64 leaves room for future fields while keeping
    // a crafted footer from exhausting the stack when unknown fields are skipped.
    public const int MaxDepth = 64;

    private readonly byte[] _buffer;
    private readonly int _end;
    private readonly long _fileOffset;
    private readonly int _start;
    private readonly short[] _lastFieldIds = new short[MaxDepth + 1];
    private int _depth;
    private int _position;
    private CompactType _pendingBoolType;

    public ThriftCompactReader(byte[] buffer, int offset, int count, long fileOffset)
    {
        _buffer = buffer;
        _position = offset;
        _start = offset;
        _end = offset + count;
        _fileOffset = fileOffset;
    }

    public int Position => _position;

    public int Remaining => _end - _position;

    /// <summary>File offset of the next byte, for error messages.</summary>
    public long CurrentFileOffset => _fileOffset + (_position - _start);

    public ParquetFormatException Error(string message) =>
        new($"{message} (Thrift metadata at file offset {CurrentFileOffset})") { FileOffset = CurrentFileOffset };

    public void BeginStruct()
    {
        if (_depth >= MaxDepth)
        {
            throw Error($"Thrift structures nest deeper than {MaxDepth} levels");
        }
        _depth++;
        _lastFieldIds[_depth] = 0;
    }

    public void EndStruct() => _depth--;

    /// <summary>Reads the next field header; false at the struct's STOP marker.</summary>
    public bool ReadFieldHeader(out short fieldId, out CompactType type)
    {
        byte header = ReadRawByte();
        type = (CompactType)(header & 0x0F);
        if (type == CompactType.Stop)
        {
            fieldId = 0;
            return false;
        }
        int delta = header >> 4;
        fieldId = delta != 0 ? (short)(_lastFieldIds[_depth] + delta) : ReadI16();
        _lastFieldIds[_depth] = fieldId;
        if (type is CompactType.BooleanTrue or CompactType.BooleanFalse)
        {
            _pendingBoolType = type;
        }
        else if (type > CompactType.Struct)
        {
            throw Error($"Invalid Thrift field type {(int)type} for field {fieldId}");
        }
        return true;
    }

    /// <summary>Value of a boolean field: the compact protocol stores it in the field header's type.</summary>
    public bool ReadBoolField() => _pendingBoolType == CompactType.BooleanTrue;

    public byte ReadRawByte()
    {
        if (_position >= _end)
        {
            throw Error("Unexpected end of Thrift data");
        }
        return _buffer[_position++];
    }

    public sbyte ReadI8() => (sbyte)ReadRawByte();

    public short ReadI16()
    {
        int v = ReadI32();
        if (v < short.MinValue || v > short.MaxValue)
        {
            throw Error($"Thrift i16 value {v} out of range");
        }
        return (short)v;
    }

    public int ReadI32()
    {
        ulong raw = ReadVarint(5);
        if (raw > uint.MaxValue)
        {
            throw Error("Thrift i32 varint too long");
        }
        uint u = (uint)raw;
        return (int)(u >> 1) ^ -(int)(u & 1);
    }

    public long ReadI64()
    {
        ulong u = ReadVarint(10);
        return (long)(u >> 1) ^ -(long)(u & 1);
    }

    public double ReadDouble()
    {
        EnsureRemaining(8, "double");
        double d = BinaryPrimitives.ReadDoubleLittleEndian(_buffer.AsSpan(_position, 8));
        _position += 8;
        return d;
    }

    public byte[] ReadBinary()
    {
        int length = ReadLength("binary");
        byte[] bytes = _buffer.AsSpan(_position, length).ToArray();
        _position += length;
        return bytes;
    }

    public string ReadString()
    {
        int length = ReadLength("string");
        string s = Encoding.UTF8.GetString(_buffer, _position, length);
        _position += length;
        return s;
    }

    /// <summary>Reads a list or set header. Every element takes at least one byte, so the count is checked against the bytes left.</summary>
    public int ReadListHeader(out CompactType elementType)
    {
        byte header = ReadRawByte();
        elementType = (CompactType)(header & 0x0F);
        int count = header >> 4;
        if (count == 15)
        {
            ulong big = ReadVarint(5);
            if (big > int.MaxValue)
            {
                throw Error($"Thrift list declares {big} elements");
            }
            count = (int)big;
        }
        if (count > Remaining)
        {
            throw Error($"Thrift list declares {count} elements but only {Remaining} bytes remain");
        }
        if (count > 0 && (elementType == CompactType.Stop || elementType > CompactType.Struct))
        {
            throw Error($"Invalid Thrift list element type {(int)elementType}");
        }
        return count;
    }

    /// <summary>Reads a boolean list element (one byte; 1 is true).</summary>
    public bool ReadBoolElement() => ReadRawByte() == 1;

    public void Skip(CompactType type)
    {
        switch (type)
        {
            case CompactType.BooleanTrue:
            case CompactType.BooleanFalse:
                return;
            case CompactType.Byte:
                ReadRawByte();
                return;
            case CompactType.I16:
            case CompactType.I32:
            case CompactType.I64:
                ReadVarint(10);
                return;
            case CompactType.Double:
                EnsureRemaining(8, "double");
                _position += 8;
                return;
            case CompactType.Binary:
                {
                    int length = ReadLength("binary"); // read first: the varint itself advances the position
                    _position += length;
                    return;
                }
            case CompactType.List:
            case CompactType.Set:
                {
                    int count = ReadListHeader(out var elementType);
                    BeginStruct(); // counts towards the nesting cap
                    for (int i = 0; i < count; i++)
                    {
                        if (elementType is CompactType.BooleanTrue or CompactType.BooleanFalse)
                        {
                            ReadRawByte();
                        }
                        else
                        {
                            Skip(elementType);
                        }
                    }
                    EndStruct();
                    return;
                }
            case CompactType.Map:
                {
                    ulong count = ReadVarint(5);
                    if (count == 0)
                    {
                        return;
                    }
                    if (count > (ulong)Remaining)
                    {
                        throw Error($"Thrift map declares {count} entries but only {Remaining} bytes remain");
                    }
                    byte types = ReadRawByte();
                    var keyType = (CompactType)(types >> 4);
                    var valueType = (CompactType)(types & 0x0F);
                    BeginStruct();
                    for (ulong i = 0; i < count; i++)
                    {
                        SkipElement(keyType);
                        SkipElement(valueType);
                    }
                    EndStruct();
                    return;
                }
            case CompactType.Struct:
                BeginStruct();
                while (ReadFieldHeader(out _, out var fieldType))
                {
                    Skip(fieldType);
                }
                EndStruct();
                return;
            default:
                throw Error($"Invalid Thrift type {(int)type}");
        }
    }

    private void SkipElement(CompactType type)
    {
        if (type is CompactType.BooleanTrue or CompactType.BooleanFalse)
        {
            ReadRawByte();
        }
        else
        {
            Skip(type);
        }
    }

    private int ReadLength(string what)
    {
        ulong length = ReadVarint(5);
        if (length > (ulong)Remaining)
        {
            throw Error($"Thrift {what} declares {length} bytes but only {Remaining} remain");
        }
        return (int)length;
    }

    private void EnsureRemaining(int count, string what)
    {
        if (Remaining < count)
        {
            throw Error($"Unexpected end of Thrift data reading {what}");
        }
    }

    private ulong ReadVarint(int maxBytes)
    {
        ulong result = 0;
        int shift = 0;
        for (int i = 0; i < maxBytes; i++)
        {
            byte b = ReadRawByte();
            result |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return result;
            }
            shift += 7;
        }
        throw Error("Thrift varint too long");
    }
}
