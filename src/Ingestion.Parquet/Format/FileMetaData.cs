using Ingestion.Parquet.Thrift;

namespace Ingestion.Parquet.Format;

/// <summary>Thrift FileMetaData: the footer.</summary>
internal sealed class FileMetaData
{
    public int Version;
    public List<SchemaElement> Schema = new();
    public long NumRows;
    public List<RowGroup> RowGroups = new();
    public List<KeyValuePair<string, string?>>? KeyValueMetadata;
    public string? CreatedBy;
    /// <summary>Number of TYPE_ORDER column orders to write (one per leaf column) or that were read.</summary>
    public int ColumnOrderCount;
    public bool IsEncrypted;

    public static FileMetaData Read(ThriftCompactReader r)
    {
        var m = new FileMetaData();
        int seen = 0;
        r.BeginStruct();
        while (r.ReadFieldHeader(out short id, out var t))
        {
            switch (id)
            {
                case 1 when t == CompactType.I32: m.Version = r.ReadI32(); break;
                case 2 when t == CompactType.List:
                    {
                        int n = r.ReadListHeader(out var et);
                        for (int i = 0; i < n; i++)
                        {
                            if (et == CompactType.Struct) m.Schema.Add(SchemaElement.Read(r));
                            else r.Skip(et);
                        }
                        seen |= 1;
                        break;
                    }
                case 3 when t == CompactType.I64: m.NumRows = r.ReadI64(); seen |= 2; break;
                case 4 when t == CompactType.List:
                    {
                        int n = r.ReadListHeader(out var et);
                        for (int i = 0; i < n; i++)
                        {
                            if (et == CompactType.Struct) m.RowGroups.Add(RowGroup.Read(r));
                            else r.Skip(et);
                        }
                        seen |= 4;
                        break;
                    }
                case 5 when t == CompactType.List: m.KeyValueMetadata = KeyValueCodec.ReadList(r); break;
                case 6 when t == CompactType.Binary: m.CreatedBy = r.ReadString(); break;
                case 7 when t == CompactType.List:
                    {
                        int n = r.ReadListHeader(out var et);
                        for (int i = 0; i < n; i++) r.Skip(et);
                        m.ColumnOrderCount = n;
                        break;
                    }
                case 8 or 9: m.IsEncrypted = true; r.Skip(t); break;
                default: r.Skip(t); break;
            }
        }
        r.EndStruct();
        if ((seen & 1) == 0) throw r.Error("FileMetaData has no schema");
        if ((seen & 2) == 0) throw r.Error("FileMetaData has no num_rows");
        return m;
    }

    public void Write(ThriftCompactWriter w)
    {
        w.BeginStruct();
        w.I32Field(1, Version);
        w.ListField(2, CompactType.Struct, Schema.Count);
        foreach (var e in Schema) e.Write(w);
        w.I64Field(3, NumRows);
        w.ListField(4, CompactType.Struct, RowGroups.Count);
        foreach (var g in RowGroups) g.Write(w);
        if (KeyValueMetadata is { Count: > 0 }) KeyValueCodec.WriteList(w, 5, KeyValueMetadata);
        if (CreatedBy is not null) w.StringField(6, CreatedBy);
        if (ColumnOrderCount > 0)
        {
            // ColumnOrder union, member 1 TYPE_ORDER: tells readers min/max follow each type's defined order.
            w.ListField(7, CompactType.Struct, ColumnOrderCount);
            for (int i = 0; i < ColumnOrderCount; i++)
            {
                w.BeginStruct();
                w.StructField(1);
                w.BeginStruct();
                w.EndStruct();
                w.EndStruct();
            }
        }
        w.EndStruct();
    }
}
