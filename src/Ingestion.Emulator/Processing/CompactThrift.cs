namespace Ingestion.Emulator.Processing;

/// <summary>
/// Just enough of Thrift's compact protocol to find <c>num_rows</c> (field 3, i64) in Parquet's
/// FileMetaData, skipping whatever comes before it.
/// </summary>
internal ref struct CompactThrift
{
    private const int MaxDepth = 64;
    private readonly ReadOnlySpan<byte> _data;
    private int _position;

    private CompactThrift(ReadOnlySpan<byte> data)
    {
        _data = data;
        _position = 0;
    }

    public static long ReadFileMetaDataRowCount(ReadOnlySpan<byte> footer)
    {
        var reader = new CompactThrift(footer);
        short fieldId = 0;
        while (true)
        {
            var header = reader.ReadByte();
            var type = header & 0x0F;
            if (type == 0)
            {
                throw new FormatException("num_rows is missing");
            }

            var delta = header >> 4;
            fieldId = delta != 0 ? (short)(fieldId + delta) : (short)ZigZag(reader.ReadVarint());
            if (fieldId == 3 && type == 6)
            {
                var rows = ZigZag(reader.ReadVarint());
                return rows >= 0 ? rows : throw new FormatException($"num_rows is negative ({rows})");
            }

            reader.Skip(type, 0);
        }
    }

    private void Skip(int type, int depth)
    {
        if (depth > MaxDepth)
        {
            throw new FormatException("the metadata is nested too deeply");
        }

        switch (type)
        {
            case 1 or 2: // boolean true/false: the value is in the type nibble
                break;
            case 3: // byte
                ReadByte();
                break;
            case 4 or 5 or 6: // i16, i32, i64 as zigzag varints
                ReadVarint();
                break;
            case 7: // double
                Advance(8);
                break;
            case 8: // binary/string
                Advance(checked((int)ReadVarint()));
                break;
            case 9 or 10: // list, set
                var header = ReadByte();
                var size = (long)(header >> 4);
                if (size == 15)
                {
                    size = (long)ReadVarint();
                }

                var elementType = header & 0x0F;
                for (long i = 0; i < size; i++)
                {
                    // Booleans inside collections take a whole byte.
                    if (elementType is 1 or 2)
                    {
                        ReadByte();
                    }
                    else
                    {
                        Skip(elementType, depth + 1);
                    }
                }

                break;
            case 11: // map
                var entries = (long)ReadVarint();
                if (entries > 0)
                {
                    var kinds = ReadByte();
                    for (long i = 0; i < entries; i++)
                    {
                        Skip(kinds >> 4, depth + 1);
                        Skip(kinds & 0x0F, depth + 1);
                    }
                }

                break;
            case 12: // struct
                while (true)
                {
                    var fieldHeader = ReadByte();
                    var fieldType = fieldHeader & 0x0F;
                    if (fieldType == 0)
                    {
                        break;
                    }

                    if (fieldHeader >> 4 == 0)
                    {
                        ReadVarint();
                    }

                    Skip(fieldType, depth + 1);
                }

                break;
            default:
                throw new FormatException($"unknown compact-protocol type {type} at byte {_position}");
        }
    }

    private byte ReadByte()
    {
        if (_position >= _data.Length)
        {
            throw new FormatException("it ends early");
        }

        return _data[_position++];
    }

    private void Advance(int count)
    {
        if (count < 0 || _position + count > _data.Length)
        {
            throw new FormatException("it ends early");
        }

        _position += count;
    }

    private ulong ReadVarint()
    {
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            var b = ReadByte();
            value |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return value;
            }
        }

        throw new FormatException("a varint is longer than 10 bytes");
    }

    private static long ZigZag(ulong value) => (long)(value >> 1) ^ -(long)(value & 1);
}
