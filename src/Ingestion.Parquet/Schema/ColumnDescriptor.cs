namespace Ingestion.Parquet;

/// <summary>A leaf column of a schema, with the levels the Dremel encoding gives it.</summary>
public sealed class ColumnDescriptor
{
    internal ColumnDescriptor(int index, string[] path, PrimitiveField field, int maxDefinitionLevel, int maxRepetitionLevel, SchemaNode node)
    {
        Index = index;
        Path = path;
        Field = field;
        MaxDefinitionLevel = maxDefinitionLevel;
        MaxRepetitionLevel = maxRepetitionLevel;
        Node = node;
    }

    /// <summary>Position among the schema's leaf columns (and in every row group).</summary>
    public int Index { get; }

    /// <summary>Physical path from the root, including the list/map intermediate groups (e.g. tags, list, element).</summary>
    public IReadOnlyList<string> Path { get; }

    public string DottedPath => string.Join('.', Path);

    public PrimitiveField Field { get; }

    public PhysicalType PhysicalType => Field.PhysicalType;

    public LogicalType? LogicalType => Field.LogicalType;

    public int TypeLength => Field.TypeLength;

    /// <summary>Definition level of a present (non-null) value; 0 for a required column outside any optional or repeated group.</summary>
    public int MaxDefinitionLevel { get; }

    /// <summary>0 unless the column is inside a list, map or repeated field.</summary>
    public int MaxRepetitionLevel { get; }

    internal SchemaNode Node { get; }

    public override string ToString() => $"{DottedPath} ({Field})";
}
