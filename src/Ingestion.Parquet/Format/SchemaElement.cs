using Ingestion.Parquet.Thrift;

namespace Ingestion.Parquet.Format;

/// <summary>Thrift SchemaElement: one node of the depth-first flattened schema tree.</summary>
internal sealed class SchemaElement
{
    public PhysicalType? Type;
    public int? TypeLength;
    public Repetition? RepetitionType;
    public string Name = "";
    public int? NumChildren;
    public ConvertedType? ConvertedType;
    public int? Scale;
    public int? Precision;
    public int? FieldId;
    public LogicalType? LogicalType;

    public static SchemaElement Read(ThriftCompactReader r)
    {
        var e = new SchemaElement();
        bool hasName = false;
        r.BeginStruct();
        while (r.ReadFieldHeader(out short id, out var t))
        {
            switch (id)
            {
                case 1 when t == CompactType.I32: e.Type = (PhysicalType)r.ReadI32(); break;
                case 2 when t == CompactType.I32: e.TypeLength = r.ReadI32(); break;
                case 3 when t == CompactType.I32: e.RepetitionType = (Repetition)r.ReadI32(); break;
                case 4 when t == CompactType.Binary: e.Name = r.ReadString(); hasName = true; break;
                case 5 when t == CompactType.I32: e.NumChildren = r.ReadI32(); break;
                case 6 when t == CompactType.I32: e.ConvertedType = (ConvertedType)r.ReadI32(); break;
                case 7 when t == CompactType.I32: e.Scale = r.ReadI32(); break;
                case 8 when t == CompactType.I32: e.Precision = r.ReadI32(); break;
                case 9 when t == CompactType.I32: e.FieldId = r.ReadI32(); break;
                case 10 when t == CompactType.Struct: e.LogicalType = LogicalTypeCodec.Read(r); break;
                default: r.Skip(t); break;
            }
        }
        r.EndStruct();
        if (!hasName)
        {
            throw r.Error("SchemaElement without a name");
        }
        return e;
    }

    public void Write(ThriftCompactWriter w)
    {
        w.BeginStruct();
        if (Type is { } type) w.I32Field(1, (int)type);
        if (TypeLength is { } tl) w.I32Field(2, tl);
        if (RepetitionType is { } rep) w.I32Field(3, (int)rep);
        w.StringField(4, Name);
        if (NumChildren is { } nc) w.I32Field(5, nc);
        if (ConvertedType is { } ct) w.I32Field(6, (int)ct);
        if (Scale is { } scale) w.I32Field(7, scale);
        if (Precision is { } precision) w.I32Field(8, precision);
        if (FieldId is { } fid) w.I32Field(9, fid);
        if (LogicalType is { } lt && LogicalTypeCodec.CanWrite(lt))
        {
            w.StructField(10);
            LogicalTypeCodec.Write(w, lt);
        }
        w.EndStruct();
    }
}

/// <summary>Maps the LogicalType Thrift union to <see cref="Parquet.LogicalType"/> and back.</summary>
internal static class LogicalTypeCodec
{
    public static LogicalType? Read(ThriftCompactReader r)
    {
        LogicalType? result = null;
        r.BeginStruct();
        while (r.ReadFieldHeader(out short id, out var t))
        {
            if (t != CompactType.Struct)
            {
                r.Skip(t);
                continue;
            }
            result = id switch
            {
                1 => Empty(r, LogicalType.String),
                2 => Empty(r, LogicalType.Map),
                3 => Empty(r, LogicalType.List),
                4 => Empty(r, LogicalType.Enum),
                5 => ReadDecimal(r),
                6 => Empty(r, LogicalType.Date),
                7 => ReadTemporal(r, isTimestamp: false),
                8 => ReadTemporal(r, isTimestamp: true),
                9 => Empty(r, LogicalType.Interval),
                10 => ReadInteger(r),
                11 => Empty(r, LogicalType.Null),
                12 => Empty(r, LogicalType.Json),
                13 => Empty(r, LogicalType.Bson),
                14 => Empty(r, LogicalType.Uuid),
                15 => Empty(r, LogicalType.Float16),
                16 => Empty(r, LogicalType.Variant),
                17 => Empty(r, LogicalType.Geometry),
                18 => Empty(r, LogicalType.Geography),
                _ => Empty(r, LogicalType.Unrecognized(id)),
            };
        }
        r.EndStruct();
        return result;
    }

    private static LogicalType Empty(ThriftCompactReader r, LogicalType type)
    {
        r.Skip(CompactType.Struct);
        return type;
    }

    private static LogicalType ReadDecimal(ThriftCompactReader r)
    {
        int scale = 0, precision = 0;
        r.BeginStruct();
        while (r.ReadFieldHeader(out short id, out var t))
        {
            if (id == 1 && t == CompactType.I32) scale = r.ReadI32();
            else if (id == 2 && t == CompactType.I32) precision = r.ReadI32();
            else r.Skip(t);
        }
        r.EndStruct();
        return LogicalType.UncheckedDecimal(precision, scale);
    }

    private static LogicalType ReadInteger(ThriftCompactReader r)
    {
        int bitWidth = 0;
        bool signed = true;
        r.BeginStruct();
        while (r.ReadFieldHeader(out short id, out var t))
        {
            if (id == 1 && t == CompactType.Byte) bitWidth = r.ReadI8();
            else if (id == 2 && t is CompactType.BooleanTrue or CompactType.BooleanFalse) signed = r.ReadBoolField();
            else r.Skip(t);
        }
        r.EndStruct();
        return LogicalType.UncheckedInteger(bitWidth, signed);
    }

    private static LogicalType ReadTemporal(ThriftCompactReader r, bool isTimestamp)
    {
        bool utc = false;
        TimeUnit unit = TimeUnit.Millis;
        r.BeginStruct();
        while (r.ReadFieldHeader(out short id, out var t))
        {
            if (id == 1 && t is CompactType.BooleanTrue or CompactType.BooleanFalse)
            {
                utc = r.ReadBoolField();
            }
            else if (id == 2 && t == CompactType.Struct)
            {
                r.BeginStruct();
                while (r.ReadFieldHeader(out short unitId, out var ut))
                {
                    if (unitId is >= 1 and <= 3)
                    {
                        unit = (TimeUnit)(unitId - 1);
                    }
                    r.Skip(ut);
                }
                r.EndStruct();
            }
            else
            {
                r.Skip(t);
            }
        }
        r.EndStruct();
        return isTimestamp ? LogicalType.Timestamp(unit, utc) : LogicalType.Time(unit, utc);
    }

    public static bool CanWrite(LogicalType type) => type.Kind != LogicalTypeKind.Unrecognized;

    public static void Write(ThriftCompactWriter w, LogicalType type)
    {
        w.BeginStruct();
        switch (type.Kind)
        {
            case LogicalTypeKind.Decimal:
                w.StructField(5);
                w.BeginStruct();
                w.I32Field(1, type.Scale);
                w.I32Field(2, type.Precision);
                w.EndStruct();
                break;
            case LogicalTypeKind.Time:
            case LogicalTypeKind.Timestamp:
                w.StructField(type.Kind == LogicalTypeKind.Time ? (short)7 : (short)8);
                w.BeginStruct();
                w.BoolField(1, type.IsAdjustedToUtc);
                w.StructField(2);
                w.BeginStruct();
                w.StructField((short)((int)type.Unit + 1));
                w.BeginStruct();
                w.EndStruct();
                w.EndStruct();
                w.EndStruct();
                break;
            case LogicalTypeKind.Integer:
                w.StructField(10);
                w.BeginStruct();
                w.I8Field(1, (sbyte)type.BitWidth);
                w.BoolField(2, type.IsSigned);
                w.EndStruct();
                break;
            default:
                w.StructField(type.Kind switch
                {
                    LogicalTypeKind.String => 1,
                    LogicalTypeKind.Map => 2,
                    LogicalTypeKind.List => 3,
                    LogicalTypeKind.Enum => 4,
                    LogicalTypeKind.Date => 6,
                    LogicalTypeKind.Interval => 9,
                    LogicalTypeKind.Null => 11,
                    LogicalTypeKind.Json => 12,
                    LogicalTypeKind.Bson => 13,
                    LogicalTypeKind.Uuid => 14,
                    LogicalTypeKind.Float16 => 15,
                    LogicalTypeKind.Variant => 16,
                    LogicalTypeKind.Geometry => 17,
                    LogicalTypeKind.Geography => 18,
                    _ => throw new InvalidOperationException($"Logical type {type} has no Thrift form."),
                });
                w.BeginStruct();
                w.EndStruct();
                break;
        }
        w.EndStruct();
    }
}
