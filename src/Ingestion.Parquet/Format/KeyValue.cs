using Ingestion.Parquet.Thrift;

namespace Ingestion.Parquet.Format;

internal static class KeyValueCodec
{
    public static List<KeyValuePair<string, string?>> ReadList(ThriftCompactReader r)
    {
        int count = r.ReadListHeader(out var type);
        var list = new List<KeyValuePair<string, string?>>(count);
        for (int i = 0; i < count; i++)
        {
            if (type != CompactType.Struct)
            {
                r.Skip(type);
                continue;
            }
            string? key = null;
            string? value = null;
            r.BeginStruct();
            while (r.ReadFieldHeader(out short id, out var ft))
            {
                if (id == 1 && ft == CompactType.Binary) key = r.ReadString();
                else if (id == 2 && ft == CompactType.Binary) value = r.ReadString();
                else r.Skip(ft);
            }
            r.EndStruct();
            list.Add(new(key ?? throw r.Error("KeyValue without a key"), value));
        }
        return list;
    }

    public static void WriteList(ThriftCompactWriter w, short fieldId, IReadOnlyList<KeyValuePair<string, string?>> items)
    {
        w.ListField(fieldId, CompactType.Struct, items.Count);
        foreach (var kv in items)
        {
            w.BeginStruct();
            w.StringField(1, kv.Key);
            if (kv.Value is not null)
            {
                w.StringField(2, kv.Value);
            }
            w.EndStruct();
        }
    }
}
