namespace Ingestion.Parquet;

internal enum NodeKind
{
    Primitive,
    Struct,
    /// <summary>The LIST-annotated group: its value is the list.</summary>
    ListWrapper,
    /// <summary>The repeated group of a three-level list: each instance holds one element.</summary>
    ListRepeated,
    MapWrapper,
    /// <summary>The repeated key/value group of a map.</summary>
    MapRepeated,
}

/// <summary>
/// A node of the physical schema tree (what the footer's SchemaElements describe), with the
/// definition and repetition levels that shredding and assembly need.
/// </summary>
internal sealed class SchemaNode
{
    public SchemaNode(string name, Repetition repetition, NodeKind kind)
    {
        Name = name;
        Repetition = repetition;
        Kind = kind;
    }

    public string Name { get; }
    public Repetition Repetition { get; }
    public NodeKind Kind { get; set; }
    public SchemaNode? Parent { get; set; }
    public SchemaNode[] Children { get; set; } = [];

    /// <summary>The user-facing field this node stands for; null for list/map repeated groups.</summary>
    public ParquetField? Field { get; set; }

    // Leaf properties.
    public PhysicalType? PhysicalType { get; set; }
    public int TypeLength { get; set; }
    public LogicalType? LogicalType { get; set; }
    public ConvertedType? ConvertedType { get; set; }
    public int? Scale { get; set; }
    public int? Precision { get; set; }
    public int? FieldId { get; set; }

    /// <summary>Definition level reached when this node is present.</summary>
    public int DefinitionLevel { get; set; }

    /// <summary>Repetition level of this node's repetitions (meaningful when repeated).</summary>
    public int RepetitionLevel { get; set; }

    public ColumnDescriptor? Column { get; set; }

    /// <summary>For a two-level list wrapper: the repeated child is itself the element.</summary>
    public bool IsTwoLevelList { get; set; }

    public bool IsLeaf => PhysicalType is not null;

    public int ChildIndex(string name)
    {
        for (int i = 0; i < Children.Length; i++)
        {
            if (Children[i].Name == name) return i;
        }
        return -1;
    }
}
