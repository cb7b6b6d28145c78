using Ingestion.Parquet.Thrift;

namespace Ingestion.Parquet.Format;

internal sealed class PageEncodingStats
{
    public PageType PageType;
    public ParquetEncoding Encoding;
    public int Count;

    public static PageEncodingStats Read(ThriftCompactReader r)
    {
        var s = new PageEncodingStats();
        r.BeginStruct();
        while (r.ReadFieldHeader(out short id, out var t))
        {
            if (id == 1 && t == CompactType.I32) s.PageType = (PageType)r.ReadI32();
            else if (id == 2 && t == CompactType.I32) s.Encoding = (ParquetEncoding)r.ReadI32();
            else if (id == 3 && t == CompactType.I32) s.Count = r.ReadI32();
            else r.Skip(t);
        }
        r.EndStruct();
        return s;
    }

    public void Write(ThriftCompactWriter w)
    {
        w.BeginStruct();
        w.I32Field(1, (int)PageType);
        w.I32Field(2, (int)Encoding);
        w.I32Field(3, Count);
        w.EndStruct();
    }
}

/// <summary>Thrift ColumnMetaData: where a column chunk's pages are and what they hold.</summary>
internal sealed class ColumnMetaData
{
    public PhysicalType Type;
    public List<ParquetEncoding> Encodings = new();
    public List<string> PathInSchema = new();
    public CompressionCodec Codec;
    public long NumValues;
    public long TotalUncompressedSize;
    public long TotalCompressedSize;
    public List<KeyValuePair<string, string?>>? KeyValueMetadata;
    public long DataPageOffset;
    public long? IndexPageOffset;
    public long? DictionaryPageOffset;
    public Statistics? Statistics;
    public List<PageEncodingStats>? EncodingStats;
    public long? BloomFilterOffset;
    public int? BloomFilterLength;

    public static ColumnMetaData Read(ThriftCompactReader r)
    {
        var m = new ColumnMetaData();
        int seen = 0;
        r.BeginStruct();
        while (r.ReadFieldHeader(out short id, out var t))
        {
            switch (id)
            {
                case 1 when t == CompactType.I32: m.Type = (PhysicalType)r.ReadI32(); seen |= 1; break;
                case 2 when t == CompactType.List:
                    {
                        int n = r.ReadListHeader(out var et);
                        for (int i = 0; i < n; i++)
                        {
                            if (et == CompactType.I32) m.Encodings.Add((ParquetEncoding)r.ReadI32());
                            else r.Skip(et);
                        }
                        break;
                    }
                case 3 when t == CompactType.List:
                    {
                        int n = r.ReadListHeader(out var et);
                        for (int i = 0; i < n; i++)
                        {
                            if (et == CompactType.Binary) m.PathInSchema.Add(r.ReadString());
                            else r.Skip(et);
                        }
                        seen |= 2;
                        break;
                    }
                case 4 when t == CompactType.I32: m.Codec = (CompressionCodec)r.ReadI32(); seen |= 4; break;
                case 5 when t == CompactType.I64: m.NumValues = r.ReadI64(); seen |= 8; break;
                case 6 when t == CompactType.I64: m.TotalUncompressedSize = r.ReadI64(); break;
                case 7 when t == CompactType.I64: m.TotalCompressedSize = r.ReadI64(); seen |= 16; break;
                case 8 when t == CompactType.List: m.KeyValueMetadata = KeyValueCodec.ReadList(r); break;
                case 9 when t == CompactType.I64: m.DataPageOffset = r.ReadI64(); seen |= 32; break;
                case 10 when t == CompactType.I64: m.IndexPageOffset = r.ReadI64(); break;
                case 11 when t == CompactType.I64: m.DictionaryPageOffset = r.ReadI64(); break;
                case 12 when t == CompactType.Struct: m.Statistics = Statistics.Read(r); break;
                case 13 when t == CompactType.List:
                    {
                        int n = r.ReadListHeader(out var et);
                        m.EncodingStats = new List<PageEncodingStats>(n);
                        for (int i = 0; i < n; i++)
                        {
                            if (et == CompactType.Struct) m.EncodingStats.Add(PageEncodingStats.Read(r));
                            else r.Skip(et);
                        }
                        break;
                    }
                case 14 when t == CompactType.I64: m.BloomFilterOffset = r.ReadI64(); break;
                case 15 when t == CompactType.I32: m.BloomFilterLength = r.ReadI32(); break;
                default: r.Skip(t); break;
            }
        }
        r.EndStruct();
        if (seen != 63)
        {
            throw r.Error("ColumnMetaData lacks a required field (type, path_in_schema, codec, num_values, total_compressed_size or data_page_offset)");
        }
        return m;
    }

    public void Write(ThriftCompactWriter w)
    {
        w.BeginStruct();
        w.I32Field(1, (int)Type);
        w.ListField(2, CompactType.I32, Encodings.Count);
        foreach (var e in Encodings) w.WriteI32((int)e);
        w.ListField(3, CompactType.Binary, PathInSchema.Count);
        foreach (var p in PathInSchema) w.WriteString(p);
        w.I32Field(4, (int)Codec);
        w.I64Field(5, NumValues);
        w.I64Field(6, TotalUncompressedSize);
        w.I64Field(7, TotalCompressedSize);
        if (KeyValueMetadata is { Count: > 0 }) KeyValueCodec.WriteList(w, 8, KeyValueMetadata);
        w.I64Field(9, DataPageOffset);
        if (IndexPageOffset is { } ipo) w.I64Field(10, ipo);
        if (DictionaryPageOffset is { } dpo) w.I64Field(11, dpo);
        if (Statistics is not null)
        {
            w.StructField(12);
            Statistics.Write(w);
        }
        if (EncodingStats is { Count: > 0 })
        {
            w.ListField(13, CompactType.Struct, EncodingStats.Count);
            foreach (var s in EncodingStats) s.Write(w);
        }
        w.EndStruct();
    }
}

/// <summary>Thrift ColumnChunk.</summary>
internal sealed class ColumnChunk
{
    public string? FilePath;
    public long FileOffset;
    public ColumnMetaData? MetaData;
    public bool IsEncrypted;

    public static ColumnChunk Read(ThriftCompactReader r)
    {
        var c = new ColumnChunk();
        r.BeginStruct();
        while (r.ReadFieldHeader(out short id, out var t))
        {
            switch (id)
            {
                case 1 when t == CompactType.Binary: c.FilePath = r.ReadString(); break;
                case 2 when t == CompactType.I64: c.FileOffset = r.ReadI64(); break;
                case 3 when t == CompactType.Struct: c.MetaData = ColumnMetaData.Read(r); break;
                case 8 or 9: c.IsEncrypted = true; r.Skip(t); break;
                default: r.Skip(t); break;
            }
        }
        r.EndStruct();
        return c;
    }

    public void Write(ThriftCompactWriter w)
    {
        w.BeginStruct();
        if (FilePath is not null) w.StringField(1, FilePath);
        w.I64Field(2, FileOffset);
        if (MetaData is not null)
        {
            w.StructField(3);
            MetaData.Write(w);
        }
        w.EndStruct();
    }
}

/// <summary>Thrift RowGroup.</summary>
internal sealed class RowGroup
{
    public List<ColumnChunk> Columns = new();
    public long TotalByteSize;
    public long NumRows;
    public long? FileOffset;
    public long? TotalCompressedSize;
    public short? Ordinal;

    public static RowGroup Read(ThriftCompactReader r)
    {
        var g = new RowGroup();
        bool hasRows = false;
        r.BeginStruct();
        while (r.ReadFieldHeader(out short id, out var t))
        {
            switch (id)
            {
                case 1 when t == CompactType.List:
                    {
                        int n = r.ReadListHeader(out var et);
                        for (int i = 0; i < n; i++)
                        {
                            if (et == CompactType.Struct) g.Columns.Add(ColumnChunk.Read(r));
                            else r.Skip(et);
                        }
                        break;
                    }
                case 2 when t == CompactType.I64: g.TotalByteSize = r.ReadI64(); break;
                case 3 when t == CompactType.I64: g.NumRows = r.ReadI64(); hasRows = true; break;
                case 5 when t == CompactType.I64: g.FileOffset = r.ReadI64(); break;
                case 6 when t == CompactType.I64: g.TotalCompressedSize = r.ReadI64(); break;
                case 7 when t == CompactType.I16: g.Ordinal = r.ReadI16(); break;
                default: r.Skip(t); break;
            }
        }
        r.EndStruct();
        if (!hasRows)
        {
            throw r.Error("RowGroup without num_rows");
        }
        return g;
    }

    public void Write(ThriftCompactWriter w)
    {
        w.BeginStruct();
        w.ListField(1, CompactType.Struct, Columns.Count);
        foreach (var c in Columns) c.Write(w);
        w.I64Field(2, TotalByteSize);
        w.I64Field(3, NumRows);
        if (FileOffset is { } fo) w.I64Field(5, fo);
        if (TotalCompressedSize is { } tcs) w.I64Field(6, tcs);
        if (Ordinal is { } ord)
        {
            w.FieldHeader(7, CompactType.I16);
            w.WriteI32(ord);
        }
        w.EndStruct();
    }
}
