using Ingestion.Parquet.Thrift;

namespace Ingestion.Parquet.Format;

/// <summary>Thrift Statistics: min/max as PLAIN-encoded bytes (the deprecated pair uses signed ordering).</summary>
internal sealed class Statistics
{
    public byte[]? Max;
    public byte[]? Min;
    public long? NullCount;
    public long? DistinctCount;
    public byte[]? MaxValue;
    public byte[]? MinValue;
    public bool? IsMaxValueExact;
    public bool? IsMinValueExact;

    public static Statistics Read(ThriftCompactReader r)
    {
        var s = new Statistics();
        r.BeginStruct();
        while (r.ReadFieldHeader(out short id, out var t))
        {
            switch (id)
            {
                case 1 when t == CompactType.Binary: s.Max = r.ReadBinary(); break;
                case 2 when t == CompactType.Binary: s.Min = r.ReadBinary(); break;
                case 3 when t == CompactType.I64: s.NullCount = r.ReadI64(); break;
                case 4 when t == CompactType.I64: s.DistinctCount = r.ReadI64(); break;
                case 5 when t == CompactType.Binary: s.MaxValue = r.ReadBinary(); break;
                case 6 when t == CompactType.Binary: s.MinValue = r.ReadBinary(); break;
                case 7 when t is CompactType.BooleanTrue or CompactType.BooleanFalse: s.IsMaxValueExact = r.ReadBoolField(); break;
                case 8 when t is CompactType.BooleanTrue or CompactType.BooleanFalse: s.IsMinValueExact = r.ReadBoolField(); break;
                default: r.Skip(t); break;
            }
        }
        r.EndStruct();
        return s;
    }

    public void Write(ThriftCompactWriter w)
    {
        w.BeginStruct();
        if (Max is not null) w.BinaryField(1, Max);
        if (Min is not null) w.BinaryField(2, Min);
        if (NullCount is { } nc) w.I64Field(3, nc);
        if (DistinctCount is { } dc) w.I64Field(4, dc);
        if (MaxValue is not null) w.BinaryField(5, MaxValue);
        if (MinValue is not null) w.BinaryField(6, MinValue);
        if (IsMaxValueExact is { } mx) w.BoolField(7, mx);
        if (IsMinValueExact is { } mn) w.BoolField(8, mn);
        w.EndStruct();
    }
}
