using Ingestion.Parquet.Thrift;

namespace Ingestion.Parquet.Format;

internal sealed class DataPageHeader
{
    public int NumValues;
    public ParquetEncoding Encoding;
    public ParquetEncoding DefinitionLevelEncoding;
    public ParquetEncoding RepetitionLevelEncoding;
    public Statistics? Statistics;
}

internal sealed class DataPageHeaderV2
{
    public int NumValues;
    public int NumNulls;
    public int NumRows;
    public ParquetEncoding Encoding;
    public int DefinitionLevelsByteLength;
    public int RepetitionLevelsByteLength;
    public bool IsCompressed = true;
    public Statistics? Statistics;
}

internal sealed class DictionaryPageHeader
{
    public int NumValues;
    public ParquetEncoding Encoding;
    public bool? IsSorted;
}

/// <summary>Thrift PageHeader, which precedes every page of a column chunk.</summary>
internal sealed class PageHeader
{
    public PageType Type;
    public int UncompressedPageSize;
    public int CompressedPageSize;
    public int? Crc;
    public DataPageHeader? DataPageHeader;
    public DictionaryPageHeader? DictionaryPageHeader;
    public DataPageHeaderV2? DataPageHeaderV2;

    public static PageHeader Read(ThriftCompactReader r)
    {
        var h = new PageHeader();
        int seen = 0;
        r.BeginStruct();
        while (r.ReadFieldHeader(out short id, out var t))
        {
            switch (id)
            {
                case 1 when t == CompactType.I32: h.Type = (PageType)r.ReadI32(); seen |= 1; break;
                case 2 when t == CompactType.I32: h.UncompressedPageSize = r.ReadI32(); seen |= 2; break;
                case 3 when t == CompactType.I32: h.CompressedPageSize = r.ReadI32(); seen |= 4; break;
                case 4 when t == CompactType.I32: h.Crc = r.ReadI32(); break;
                case 5 when t == CompactType.Struct: h.DataPageHeader = ReadDataPageHeader(r); break;
                case 7 when t == CompactType.Struct: h.DictionaryPageHeader = ReadDictionaryPageHeader(r); break;
                case 8 when t == CompactType.Struct: h.DataPageHeaderV2 = ReadDataPageHeaderV2(r); break;
                default: r.Skip(t); break;
            }
        }
        r.EndStruct();
        if (seen != 7)
        {
            throw r.Error("PageHeader lacks type, uncompressed_page_size or compressed_page_size");
        }
        return h;
    }

    private static DataPageHeader ReadDataPageHeader(ThriftCompactReader r)
    {
        var h = new DataPageHeader();
        int seen = 0;
        r.BeginStruct();
        while (r.ReadFieldHeader(out short id, out var t))
        {
            switch (id)
            {
                case 1 when t == CompactType.I32: h.NumValues = r.ReadI32(); seen |= 1; break;
                case 2 when t == CompactType.I32: h.Encoding = (ParquetEncoding)r.ReadI32(); seen |= 2; break;
                case 3 when t == CompactType.I32: h.DefinitionLevelEncoding = (ParquetEncoding)r.ReadI32(); break;
                case 4 when t == CompactType.I32: h.RepetitionLevelEncoding = (ParquetEncoding)r.ReadI32(); break;
                case 5 when t == CompactType.Struct: h.Statistics = Statistics.Read(r); break;
                default: r.Skip(t); break;
            }
        }
        r.EndStruct();
        if (seen != 3) throw r.Error("DataPageHeader lacks num_values or encoding");
        return h;
    }

    private static DictionaryPageHeader ReadDictionaryPageHeader(ThriftCompactReader r)
    {
        var h = new DictionaryPageHeader();
        int seen = 0;
        r.BeginStruct();
        while (r.ReadFieldHeader(out short id, out var t))
        {
            switch (id)
            {
                case 1 when t == CompactType.I32: h.NumValues = r.ReadI32(); seen |= 1; break;
                case 2 when t == CompactType.I32: h.Encoding = (ParquetEncoding)r.ReadI32(); seen |= 2; break;
                case 3 when t is CompactType.BooleanTrue or CompactType.BooleanFalse: h.IsSorted = r.ReadBoolField(); break;
                default: r.Skip(t); break;
            }
        }
        r.EndStruct();
        if (seen != 3) throw r.Error("DictionaryPageHeader lacks num_values or encoding");
        return h;
    }

    private static DataPageHeaderV2 ReadDataPageHeaderV2(ThriftCompactReader r)
    {
        var h = new DataPageHeaderV2();
        int seen = 0;
        r.BeginStruct();
        while (r.ReadFieldHeader(out short id, out var t))
        {
            switch (id)
            {
                case 1 when t == CompactType.I32: h.NumValues = r.ReadI32(); seen |= 1; break;
                case 2 when t == CompactType.I32: h.NumNulls = r.ReadI32(); seen |= 2; break;
                case 3 when t == CompactType.I32: h.NumRows = r.ReadI32(); seen |= 4; break;
                case 4 when t == CompactType.I32: h.Encoding = (ParquetEncoding)r.ReadI32(); seen |= 8; break;
                case 5 when t == CompactType.I32: h.DefinitionLevelsByteLength = r.ReadI32(); seen |= 16; break;
                case 6 when t == CompactType.I32: h.RepetitionLevelsByteLength = r.ReadI32(); seen |= 32; break;
                case 7 when t is CompactType.BooleanTrue or CompactType.BooleanFalse: h.IsCompressed = r.ReadBoolField(); break;
                case 8 when t == CompactType.Struct: h.Statistics = Statistics.Read(r); break;
                default: r.Skip(t); break;
            }
        }
        r.EndStruct();
        if (seen != 63) throw r.Error("DataPageHeaderV2 lacks a required field");
        return h;
    }

    public void Write(ThriftCompactWriter w)
    {
        w.BeginStruct();
        w.I32Field(1, (int)Type);
        w.I32Field(2, UncompressedPageSize);
        w.I32Field(3, CompressedPageSize);
        if (Crc is { } crc) w.I32Field(4, crc);
        if (DataPageHeader is { } d)
        {
            w.StructField(5);
            w.BeginStruct();
            w.I32Field(1, d.NumValues);
            w.I32Field(2, (int)d.Encoding);
            w.I32Field(3, (int)d.DefinitionLevelEncoding);
            w.I32Field(4, (int)d.RepetitionLevelEncoding);
            if (d.Statistics is not null)
            {
                w.StructField(5);
                d.Statistics.Write(w);
            }
            w.EndStruct();
        }
        if (DictionaryPageHeader is { } dict)
        {
            w.StructField(7);
            w.BeginStruct();
            w.I32Field(1, dict.NumValues);
            w.I32Field(2, (int)dict.Encoding);
            if (dict.IsSorted is { } sorted) w.BoolField(3, sorted);
            w.EndStruct();
        }
        if (DataPageHeaderV2 is { } v2)
        {
            w.StructField(8);
            w.BeginStruct();
            w.I32Field(1, v2.NumValues);
            w.I32Field(2, v2.NumNulls);
            w.I32Field(3, v2.NumRows);
            w.I32Field(4, (int)v2.Encoding);
            w.I32Field(5, v2.DefinitionLevelsByteLength);
            w.I32Field(6, v2.RepetitionLevelsByteLength);
            w.BoolField(7, v2.IsCompressed);
            if (v2.Statistics is not null)
            {
                w.StructField(8);
                v2.Statistics.Write(w);
            }
            w.EndStruct();
        }
        w.EndStruct();
    }
}
